// `rocketmq-ts benchmark producer|batch|tx`: RocketMQ's producer.sh / batchproducer.sh / tproducer.sh on the rocketmq-ts
// client. One producer (one connection per broker) keeps `window` sends in flight; sync = each logical sender awaits its
// reply (Java's -w threads), async = many outstanding replies (Java's -y with its 10,000 cap), oneway = no reply.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { AdminClient } from '../../client/admin/admin-client.ts';
import { Producer } from '../../client/producer/producer.ts';
import { LocalTransactionState, TransactionProducer } from '../../client/producer/transaction-producer.ts';
import type { Message } from '../../client/message.ts';
import { runLoad } from './load-loop.ts';
import type { LoadResult, ProgressSample } from './load-loop.ts';

export const ProducerBenchMode = { SYNC: 'sync', ASYNC: 'async', ONEWAY: 'oneway', BATCH: 'batch', TX: 'tx' } as const;
export type ProducerBenchMode = (typeof ProducerBenchMode)[keyof typeof ProducerBenchMode];

export interface ProducerBenchOptions {
  namesrvAddr: string;
  /** Topic, or the prefix of `topicCount` topics `<topic>_<i>`. */
  topic: string;
  topicCount: number;
  mode: ProducerBenchMode;
  /** Sends (requests) in flight at once. */
  window: number;
  /** Body bytes. */
  messageSize: number;
  /** Messages per SEND_BATCH_MESSAGE (mode batch). */
  batchSize: number;
  /** Tags tag0..tag<n-1> round robin; 0 = no tag. */
  tagCount: number;
  /** KEYS = epoch seconds (as producer.sh -k). */
  keyEnable: boolean;
  /** Bytes of one extra user property (0 = none). */
  propertySize: number;
  /** Messages to send; 0 = run for durationMs. */
  messages: number;
  durationMs: number;
  warmupMs: number;
  group: string;
  /** Create the topics on every master of this cluster first (with `queueNums` read/write queues). */
  createTopicsInCluster?: string;
  queueNums: number;
  /** Wait for the store (flush/replication) before the reply: property WAIT (default true). */
  waitStoreMsgOK: boolean;
  /** Per-send timeout (ms). */
  sendTimeoutMs: number;
  onProgress?: (p: ProgressSample) => void;
  onMeasureStart?: () => void;
  onMeasureEnd?: () => void;
  signal?: AbortSignal;
}

export const PRODUCER_BENCH_DEFAULTS = {
  topic: 'BenchmarkTest',
  topicCount: 1,
  mode: ProducerBenchMode.SYNC,
  window: 64,
  messageSize: 128,
  batchSize: 16,
  tagCount: 0,
  keyEnable: false,
  propertySize: 0,
  messages: 0,
  durationMs: 30_000,
  warmupMs: 2_000,
  group: 'benchmark_producer',
  queueNums: 8,
  waitStoreMsgOK: true,
  sendTimeoutMs: 3_000,
} as const;

export interface ProducerBenchResult extends LoadResult {
  mode: ProducerBenchMode;
  topicCount: number;
  messageSize: number;
  batchSize: number;
  window: number;
  /** Client RSS at the end, MiB. */
  clientRssMb: number;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random alphanumeric body, as producer.sh builds one. */
export function randomBody(size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = ALNUM.charCodeAt(Math.floor(Math.random() * ALNUM.length));
  return b;
}

export function benchTopics(topic: string, count: number): string[] {
  return count <= 1 ? [topic] : Array.from({ length: count }, (_, i) => `${topic}_${i}`);
}

/** Run `fn` over `items` with at most `limit` calls in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Create `topics` (read/write queues = queueNums) on every master of `clusterName`. */
export async function createBenchTopics(namesrvAddr: string, clusterName: string, topics: readonly string[], queueNums: number): Promise<void> {
  const admin = new AdminClient({ namesrvAddr });
  await admin.start();
  try {
    await inParallel(topics, 32, (topic) => admin.createTopic({ topic, clusterName, readQueueNums: queueNums, writeQueueNums: queueNums }));
  } finally {
    await admin.shutdown();
  }
}

function validate(o: ProducerBenchOptions): void {
  const bad = (m: string): never => {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, m);
  };
  if (!(o.window >= 1)) bad(`window must be ≥ 1, got ${o.window}`);
  if (!(o.messageSize >= 1)) bad(`message size must be ≥ 1, got ${o.messageSize}`);
  if (!(o.topicCount >= 1)) bad(`topic count must be ≥ 1, got ${o.topicCount}`);
  if (o.mode === ProducerBenchMode.BATCH && !(o.batchSize >= 1)) bad(`batch size must be ≥ 1, got ${o.batchSize}`);
}

export async function runProducerBenchmark(o: ProducerBenchOptions): Promise<ProducerBenchResult> {
  validate(o);
  const topics = benchTopics(o.topic, o.topicCount);
  if (o.createTopicsInCluster !== undefined) await createBenchTopics(o.namesrvAddr, o.createTopicsInCluster, topics, o.queueNums);
  const common = { namesrvAddr: o.namesrvAddr, group: o.group, sendMsgTimeout: o.sendTimeoutMs };
  const producer =
    o.mode === ProducerBenchMode.TX
      ? new TransactionProducer({
          ...common,
          transactionListener: {
            executeLocalTransaction: () => LocalTransactionState.COMMIT_MESSAGE,
            checkLocalTransaction: () => LocalTransactionState.COMMIT_MESSAGE,
          },
        })
      : new Producer(common);
  await producer.start();
  try {
    // Routes first, so the measured phase does not include NameServer lookups.
    await inParallel(topics, 32, (t) => producer.fetchPublishQueues(t));
    const body = randomBody(o.messageSize);
    const extra = o.propertySize > 0 ? { bench_prop: 'p'.repeat(o.propertySize) } : undefined;
    const message = (seq: number): Message => {
      const m: Message = { topic: topics[seq % topics.length], body };
      if (o.tagCount > 0) m.tags = `tag${seq % o.tagCount}`;
      if (o.keyEnable) m.keys = String(Math.floor(Date.now() / 1000));
      if (extra !== undefined) m.properties = extra;
      if (!o.waitStoreMsgOK) m.waitStoreMsgOK = false;
      return m;
    };
    const batch = o.mode === ProducerBenchMode.BATCH ? o.batchSize : 1;
    const op = (seq: number): Promise<unknown> => {
      switch (o.mode) {
        case ProducerBenchMode.ONEWAY:
          return producer.sendOneway(message(seq));
        case ProducerBenchMode.BATCH: {
          const topic = topics[seq % topics.length];
          const msgs: Message[] = [];
          for (let i = 0; i < batch; i++) msgs.push({ ...message(seq * batch + i), topic });
          return producer.sendBatch(msgs);
        }
        case ProducerBenchMode.TX:
          return (producer as TransactionProducer).sendMessageInTransaction(message(seq));
        default:
          return producer.send(message(seq));
      }
    };
    const result = await runLoad(op, {
      window: o.window,
      operations: o.messages > 0 ? Math.ceil(o.messages / batch) : 0,
      durationMs: o.durationMs,
      warmupMs: o.warmupMs,
      messagesPerOp: batch,
      onProgress: o.onProgress,
      onMeasureStart: o.onMeasureStart,
      onMeasureEnd: o.onMeasureEnd,
      signal: o.signal,
    });
    return {
      ...result,
      mode: o.mode,
      topicCount: o.topicCount,
      messageSize: o.messageSize,
      batchSize: batch,
      window: o.window,
      clientRssMb: Math.round(process.memoryUsage().rss / 1048576),
    };
  } finally {
    await producer.shutdown();
  }
}
