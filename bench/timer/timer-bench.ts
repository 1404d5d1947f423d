// The timer-message benchmark (issue 5): N timer messages with due times spread over a window, all pending in the
// broker's time wheel before the first one is due; a push consumer records lateness = receive time − due time.
// Started by bench/timer/run.ts (which sets the log level first). See that file for the environment knobs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { AdminClient } from '../../src/client/admin/admin-client.ts';
import { ConsumeFromWhere } from '../../src/client/consumer/consumer-options.ts';
import { ConsumeConcurrentlyStatus } from '../../src/client/consumer/listener.ts';
import type { MessageExt } from '../../src/client/consumer/message-ext.ts';
import { PushConsumer } from '../../src/client/consumer/push-consumer.ts';
import { Producer } from '../../src/client/producer/producer.ts';
import { LatencyRecorder } from '../../src/cli/benchmark/latency.ts';
import { processCpuUs, processRssMb } from '../compare/proc-stat.ts';
import { renderSection, updateTimerSection } from './report.ts';
import type { PhaseStats, TimerRun } from './report.ts';
import { ROOT, killEmbeddedServerNow, startEmbeddedServer, stopEmbeddedServer } from './server.ts';
import type { EmbeddedServer } from './server.ts';

function envNum(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v} is not a non-negative number`);
  return n;
}

const COUNT = envNum('BENCH_TIMER_COUNT', 100_000);
const LEAD_MS = envNum('BENCH_TIMER_LEAD_MS', 30_000);
const WINDOW_MS = envNum('BENCH_TIMER_WINDOW_MS', 60_000);
const IN_FLIGHT = envNum('BENCH_TIMER_IN_FLIGHT', 64);
const QUEUES = envNum('BENCH_TIMER_QUEUES', 8);
const BODY_BYTES = envNum('BENCH_TIMER_BODY_BYTES', 256);
const GRACE_MS = envNum('BENCH_TIMER_GRACE_MS', 30_000);
const SEED = envNum('BENCH_TIMER_SEED', 20261121);
const LABEL = process.env.BENCH_TIMER_LABEL ?? '';
// A labelled run (a variant such as a burst) writes timer-<label>-<date>.json and leaves BENCHMARKS.md alone.
const WRITE_DOC = process.env.BENCH_TIMER_NO_DOC !== '1' && LABEL === '';
const PRECISION_MS = 1000; // timerPrecisionMs default: TIMER_OUT_MS is the due time rounded up to it.

/** Deterministic uniform [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function selfCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

class PhaseSampler {
  readonly #pid: number;
  #name = '';
  #startMs = 0;
  #startCpuUs = 0;
  #startSelfCpuUs = 0;
  #rssMax = 0;
  #rssSum = 0;
  #samples = 0;
  readonly done: PhaseStats[] = [];

  constructor(pid: number) {
    this.#pid = pid;
  }

  begin(name: string): void {
    if (this.#name !== '') this.end();
    this.#name = name;
    this.#startMs = Date.now();
    this.#startCpuUs = processCpuUs(this.#pid);
    this.#startSelfCpuUs = selfCpuUs();
    this.#rssMax = 0;
    this.#rssSum = 0;
    this.#samples = 0;
    this.sample();
  }

  sample(): void {
    if (this.#name === '') return;
    try {
      const rss = processRssMb(this.#pid);
      this.#rssMax = Math.max(this.#rssMax, rss);
      this.#rssSum += rss;
      this.#samples++;
    } catch {
      // the process is gone; the run will fail elsewhere
    }
  }

  end(): void {
    if (this.#name === '') return;
    this.sample();
    const wallMs = Date.now() - this.#startMs;
    let cpuUs = 0;
    try {
      cpuUs = processCpuUs(this.#pid) - this.#startCpuUs;
    } catch {
      cpuUs = Number.NaN;
    }
    this.done.push({
      phase: this.#name,
      seconds: Math.round(wallMs) / 1000,
      brokerCpuPercent: wallMs > 0 ? Math.round((cpuUs / 10) / wallMs) : 0,
      brokerCpuSeconds: Math.round(cpuUs / 1e4) / 100,
      brokerRssMaxMb: this.#rssMax,
      brokerRssAvgMb: this.#samples > 0 ? Math.round(this.#rssSum / this.#samples) : 0,
      clientCpuPercent: wallMs > 0 ? Math.round((selfCpuUs() - this.#startSelfCpuUs) / 10 / wallMs) : 0,
    });
    this.#name = '';
  }
}

async function inParallel(count: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, () => worker()));
}

function loadAvg(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

export async function main(): Promise<number> {
  const startedAt = new Date();
  const loadStart = loadAvg();
  const tag = startedAt.getTime().toString(36);
  const topic = `TimerBench_${tag}`;
  const group = `timer_bench_${tag}`;
  let server: EmbeddedServer | undefined;
  let producer: Producer | undefined;
  let consumer: PushConsumer | undefined;
  let sampleTimer: ReturnType<typeof setInterval> | undefined;
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${sig}: stopping the server and removing its data\n`);
    if (sampleTimer !== undefined) clearInterval(sampleTimer);
    const s = server;
    const finish = (): never => process.exit(130);
    if (s === undefined) finish();
    else stopEmbeddedServer(s).then(finish, () => {
      killEmbeddedServerNow(s);
      finish();
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const onExit = (): void => {
    if (server !== undefined) killEmbeddedServerNow(server);
  };
  process.once('exit', onExit);

  try {
    server = await startEmbeddedServer();
    const srv = server;
    process.stderr.write(`server pid ${srv.pid}: NameServer ${srv.namesrvAddr}, Broker ${srv.brokerAddr}, data in ${srv.dataDir}\n`);
    const admin = new AdminClient({ namesrvAddr: srv.namesrvAddr });
    await admin.start();
    await admin.createTopic({ topic, brokerAddr: srv.brokerAddr, readQueueNums: QUEUES, writeQueueNums: QUEUES });
    await admin.shutdown();

    // Due times: uniform over [T0 + lead, T0 + lead + window), in random order (every wheel second's list interleaves
    // sends from the whole run).
    const rand = rng(SEED);
    const t0 = Date.now();
    const firstDue = t0 + LEAD_MS;
    const due = new Float64Array(COUNT);
    for (let i = 0; i < COUNT; i++) due[i] = firstDue + Math.floor(rand() * WINDOW_MS);
    let minDue = Number.POSITIVE_INFINITY;
    let maxDue = 0;
    for (const d of due) {
      minDue = Math.min(minDue, d);
      maxDue = Math.max(maxDue, d);
    }

    const late = new LatencyRecorder(); // receive − due (µs)
    const lateVsSecond = new LatencyRecorder(); // receive − due rounded up to the timer precision
    const timerPath = new LatencyRecorder(); // store time of the delivered copy − due rounded up
    const pullPath = new LatencyRecorder(); // receive − store time of the delivered copy
    const seen = new Uint8Array(COUNT);
    let received = 0;
    let duplicates = 0;
    let early = 0;
    let earliestMs = 0;
    let foreign = 0;
    // Per due second: first and last store time of its delivered copies (how long the wheel took over that second).
    const slots = new Map<number, { first: number; last: number; n: number }>();
    let allIn!: () => void;
    const allReceived = new Promise<void>((r) => (allIn = r));

    consumer = new PushConsumer({
      namesrvAddr: srv.namesrvAddr,
      group,
      consumeFromWhere: ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET,
    });
    consumer.subscribe(topic, '*');
    consumer.onMessage((msgs: MessageExt[]) => {
      const now = Date.now();
      for (const m of msgs) {
        const seq = Number(m.properties.benchSeq);
        const dueMs = Number(m.properties.benchDueMs);
        if (!Number.isInteger(seq) || seq < 0 || seq >= COUNT || dueMs !== due[seq]) {
          foreign++;
          continue;
        }
        if (seen[seq] === 1) {
          duplicates++;
          continue;
        }
        seen[seq] = 1;
        received++;
        const lateMs = now - dueMs;
        if (lateMs < 0) {
          early++;
          earliestMs = Math.min(earliestMs, lateMs);
        } else {
          late.record(lateMs * 1000);
        }
        const dueSecond = Math.ceil(dueMs / PRECISION_MS) * PRECISION_MS;
        lateVsSecond.record(Math.max(0, now - dueSecond) * 1000);
        timerPath.record(Math.max(0, m.storeTimestamp - dueSecond) * 1000);
        const slot = slots.get(dueSecond);
        if (slot === undefined) slots.set(dueSecond, { first: m.storeTimestamp, last: m.storeTimestamp, n: 1 });
        else {
          slot.first = Math.min(slot.first, m.storeTimestamp);
          slot.last = Math.max(slot.last, m.storeTimestamp);
          slot.n++;
        }
        pullPath.record(Math.max(0, now - m.storeTimestamp) * 1000);
      }
      if (received >= COUNT) allIn();
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await consumer.start();

    const sampler = new PhaseSampler(srv.pid);
    sampleTimer = setInterval(() => sampler.sample(), 1000);
    sampleTimer.unref();

    producer = new Producer({ namesrvAddr: srv.namesrvAddr, group: `${group}_p` });
    await producer.start();
    const pad = 'x'.repeat(BODY_BYTES);
    const p = producer;
    sampler.begin('send');
    const sendStart = Date.now();
    let sentAfterDue = 0;
    await inParallel(COUNT, IN_FLIGHT, async (i) => {
      const d = due[i];
      const body = `{"seq":${i},"dueMs":${d}}${pad}`.slice(0, Math.max(BODY_BYTES, 40));
      if (Date.now() >= d) sentAfterDue++;
      await p.send({ topic, body, deliverTimeMs: d, properties: { benchSeq: String(i), benchDueMs: String(d) } });
    });
    const sendEnd = Date.now();
    const sendSeconds = (sendEnd - sendStart) / 1000;
    process.stderr.write(`sent ${COUNT} timer messages in ${sendSeconds.toFixed(1)} s (${Math.round(COUNT / sendSeconds)}/s)\n`);
    const pendingAtFirstDue = sendEnd <= minDue;
    if (!pendingAtFirstDue) {
      process.stderr.write(`warning: sending ended ${sendEnd - minDue} ms after the first due time; raise BENCH_TIMER_LEAD_MS\n`);
    }

    sampler.begin('pending');
    const receivedBeforeFirstDue = (): number => received;
    await new Promise<void>((r) => setTimeout(r, Math.max(0, minDue - Date.now())));
    const earlyBeforeWindow = receivedBeforeFirstDue();
    sampler.begin('delivery');
    const deadline = maxDue + GRACE_MS;
    const timedOut = await Promise.race([
      allReceived.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), Math.max(0, deadline - Date.now())).unref()),
    ]);
    const lastReceivedAt = Date.now();
    sampler.end();
    clearInterval(sampleTimer);
    sampleTimer = undefined;

    await producer.shutdown();
    producer = undefined;
    await consumer.shutdown();
    consumer = undefined;
    const brokerRssEndMb = processRssMb(srv.pid);
    await stopEmbeddedServer(srv);
    server = undefined;

    const missing = COUNT - received;
    const spans = [...slots.values()].map((x) => x.last - x.first).sort((a, b) => a - b);
    const perSlot = [...slots.values()].map((x) => x.n);
    const slotStats = {
      seconds: slots.size,
      messagesPerSecondAvg: perSlot.length > 0 ? Math.round(perSlot.reduce((a, b) => a + b, 0) / perSlot.length) : 0,
      storeSpanP50Ms: spans[Math.floor(spans.length / 2)] ?? 0,
      storeSpanMaxMs: spans.at(-1) ?? 0,
    };
    const failures: string[] = [];
    if (early > 0) failures.push(`${early} delivered before their due time (earliest ${-earliestMs} ms early)`);
    if (missing > 0) failures.push(`${missing} not received by ${GRACE_MS} ms after the last due time`);
    if (duplicates > 0) failures.push(`${duplicates} received more than once`);
    if (foreign > 0) failures.push(`${foreign} unexpected messages`);
    if (!pendingAtFirstDue) failures.push(`sending ended ${sendEnd - minDue} ms after the first due time (${sentAfterDue} sent after their due time)`);

    const run: TimerRun = {
      date: startedAt.toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        kernel: `${os.type()} ${os.release()}`,
        loadAvgStart: loadStart,
        loadAvgEnd: loadAvg(),
      },
      config: {
        count: COUNT,
        leadMs: LEAD_MS,
        windowMs: WINDOW_MS,
        inFlight: IN_FLIGHT,
        queues: QUEUES,
        bodyBytes: BODY_BYTES,
        graceMs: GRACE_MS,
        seed: SEED,
        timerPrecisionMs: PRECISION_MS,
        consumer: 'PushConsumer, Java defaults (pullBatchSize 32, 20 listener calls in flight, 1 message per call, long polling)',
      },
      send: { seconds: sendSeconds, msgsPerSec: Math.round(COUNT / sendSeconds), sentAfterDue, pendingAtFirstDue },
      delivery: {
        received,
        missing,
        duplicates,
        early,
        earliestMs,
        receivedBeforeFirstDue: earlyBeforeWindow,
        timedOut,
        lastReceivedAfterLastDueMs: lastReceivedAt - maxDue,
        latenessVsDue: late.total(),
        latenessVsDueSecond: lateVsSecond.total(),
        dueSecondToStore: timerPath.total(),
        storeToReceive: pullPath.total(),
        slots: slotStats,
      },
      phases: sampler.done,
      brokerRssEndMb,
      failures,
    };
    const day = startedAt.toISOString().slice(0, 10);
    const resultsDir = join(ROOT, 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    const fileName = LABEL === '' ? `timer-${day}.json` : `timer-${LABEL.replace(/[^\w.-]/g, '_')}-${day}.json`;
    const jsonPath = join(resultsDir, fileName);
    writeFileSync(jsonPath, `${JSON.stringify(run, null, 2)}\n`);
    const section = renderSection(run, `bench/results/${fileName}`);
    process.stdout.write(`${section}\n`);
    if (WRITE_DOC) {
      const md = join(ROOT, 'BENCHMARKS.md');
      writeFileSync(md, updateTimerSection(readFileSync(md, 'utf8'), section));
      process.stderr.write(`updated BENCHMARKS.md and ${jsonPath}\n`);
    }
    if (failures.length > 0) {
      process.stderr.write(`FAILED:\n- ${failures.join('\n- ')}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (server !== undefined) process.stderr.write(`server log tail:\n${server.log().slice(-4000)}\n`);
    throw e;
  } finally {
    if (sampleTimer !== undefined) clearInterval(sampleTimer);
    await producer?.shutdown().catch(() => undefined);
    await consumer?.shutdown().catch(() => undefined);
    if (server !== undefined) await stopEmbeddedServer(server).catch(() => undefined);
    server = undefined;
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
