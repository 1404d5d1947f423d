// `rocketmq-ts benchmark consumer`: RocketMQ's consumer.sh on the rocketmq-ts push consumer. Counts consumed messages
// and records born→consume (B2C) and store→consume (S2C) times; stops after a message count or a duration.
import { PushConsumer } from '../../client/consumer/push-consumer.ts';
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener.ts';
import { ConsumeFromWhere } from '../../client/consumer/consumer-options.ts';
import type { MessageExt } from '../../client/consumer/message-ext.ts';
import { LatencyRecorder } from './latency.ts';
import type { LatencySummary } from './latency.ts';
import { benchTopics } from './producer-bench.ts';

export interface ConsumerBenchOptions {
  namesrvAddr: string;
  topic: string;
  topicCount: number;
  group: string;
  /** Tag expression (default "*"). */
  expression: string;
  /** Listener calls in flight (Java consume threads). */
  concurrency: number;
  /** Messages per pull request. */
  pullBatchSize: number;
  /** Messages per listener call. */
  consumeBatchSize: number;
  /** Percentage of listener calls answered RECONSUME_LATER (consumer.sh -r). */
  failRate: number;
  fromFirst: boolean;
  /** Stop after this many messages; 0 = run for durationMs. */
  messages: number;
  durationMs: number;
  /** Give up this long after the last message arrived (when a count was asked for). */
  idleTimeoutMs: number;
  onProgress?: (p: ConsumerProgress) => void;
  /** Called when the first message arrives (the measured phase starts there). */
  onFirstMessage?: () => void;
  signal?: AbortSignal;
}

export const CONSUMER_BENCH_DEFAULTS = {
  topic: 'BenchmarkTest',
  topicCount: 1,
  group: 'benchmark_consumer',
  expression: '*',
  concurrency: 20,
  pullBatchSize: 32,
  consumeBatchSize: 1,
  failRate: 0,
  fromFirst: false,
  messages: 0,
  durationMs: 30_000,
  idleTimeoutMs: 10_000,
} as const;

export interface ConsumerProgress {
  elapsedSec: number;
  tps: number;
  failures: number;
  total: number;
  avgB2CMs: number;
  maxB2CMs: number;
  avgS2CMs: number;
  maxS2CMs: number;
}

export interface ConsumerBenchResult {
  messages: number;
  failures: number;
  /** From the first message to the last one counted. */
  seconds: number;
  msgsPerSec: number;
  bornToConsume: LatencySummary;
  storeToConsume: LatencySummary;
  cpuUs: number;
  clientRssMb: number;
  /** The run ended because no message came for idleTimeoutMs. */
  timedOut: boolean;
}

export function consumerProgressLine(p: ConsumerProgress): string {
  return (
    `[${p.elapsedSec.toFixed(0).padStart(4)}s] Consume TPS: ${p.tps} | FAIL: ${p.failures} | AVG(B2C) RT(ms): ${p.avgB2CMs.toFixed(3)} | ` +
    `AVG(S2C) RT(ms): ${p.avgS2CMs.toFixed(3)} | MAX(B2C) RT(ms): ${p.maxB2CMs.toFixed(3)} | MAX(S2C) RT(ms): ${p.maxS2CMs.toFixed(3)} | Total: ${p.total}`
  );
}

function cpuNowUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

export async function runConsumerBenchmark(o: ConsumerBenchOptions): Promise<ConsumerBenchResult> {
  const b2c = new LatencyRecorder();
  const s2c = new LatencyRecorder();
  let total = 0;
  let failures = 0;
  let intervalCount = 0;
  let firstNs: bigint | undefined;
  let lastNs = process.hrtime.bigint();
  let cpuStart = cpuNowUs();
  const startNs = process.hrtime.bigint();
  let finished!: (timedOut: boolean) => void;
  const done = new Promise<boolean>((r) => (finished = r));

  const consumer = new PushConsumer({
    namesrvAddr: o.namesrvAddr,
    group: o.group,
    consumeFromWhere: o.fromFirst ? ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET : ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET,
    consumeConcurrency: o.concurrency,
    pullBatchSize: o.pullBatchSize,
    consumeMessageBatchMaxSize: o.consumeBatchSize,
    // Keep enough cached per queue for one pull batch plus the one being consumed.
    pullThresholdForQueue: Math.max(1000, o.pullBatchSize * 4),
    consumeConcurrentlyMaxSpan: Math.max(2000, o.pullBatchSize * 8),
  });
  for (const t of benchTopics(o.topic, o.topicCount)) consumer.subscribe(t, o.expression);
  consumer.onMessage((msgs: MessageExt[]) => {
    const now = Date.now();
    if (firstNs === undefined) {
      firstNs = process.hrtime.bigint();
      cpuStart = cpuNowUs();
      o.onFirstMessage?.();
    }
    if (o.failRate > 0 && Math.random() * 100 < o.failRate) {
      failures += msgs.length;
      return ConsumeConcurrentlyStatus.RECONSUME_LATER;
    }
    for (const m of msgs) {
      b2c.record((now - m.bornTimestamp) * 1000);
      s2c.record((now - m.storeTimestamp) * 1000);
    }
    total += msgs.length;
    intervalCount += msgs.length;
    lastNs = process.hrtime.bigint();
    if (o.messages > 0 && total >= o.messages) finished(false);
    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
  });

  let lastTick = process.hrtime.bigint();
  const timer = setInterval(() => {
    const now = process.hrtime.bigint();
    const span = Number(now - lastTick) / 1e9;
    lastTick = now;
    const bi = b2c.takeInterval();
    const si = s2c.takeInterval();
    o.onProgress?.({
      elapsedSec: Number(now - startNs) / 1e9,
      tps: Math.round(intervalCount / span),
      failures,
      total,
      avgB2CMs: bi.avgUs / 1000,
      maxB2CMs: bi.maxUs / 1000,
      avgS2CMs: si.avgUs / 1000,
      maxS2CMs: si.maxUs / 1000,
    });
    intervalCount = 0;
    const idleMs = Number(now - (firstNs === undefined ? startNs : lastNs)) / 1e6;
    if (o.messages > 0 && idleMs > o.idleTimeoutMs) finished(true);
    if (o.messages === 0 && Number(now - startNs) / 1e6 >= o.durationMs) finished(false);
  }, 1000);
  const onAbort = (): void => finished(false);
  o.signal?.addEventListener('abort', onAbort, { once: true });

  await consumer.start();
  let timedOut: boolean;
  try {
    timedOut = await done;
  } finally {
    clearInterval(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
  const cpuUs = cpuNowUs() - cpuStart;
  const seconds = firstNs === undefined ? 0 : Math.max(1e-6, Number(lastNs - firstNs) / 1e9);
  await consumer.shutdown();
  return {
    messages: total,
    failures,
    seconds,
    msgsPerSec: seconds > 0 ? Math.round(total / seconds) : 0,
    bornToConsume: b2c.total(),
    storeToConsume: s2c.total(),
    cpuUs,
    clientRssMb: Math.round(process.memoryUsage().rss / 1048576),
    timedOut,
  };
}
