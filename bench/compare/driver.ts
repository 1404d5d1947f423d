// One measured client run against one system, in its own process so its CPU is counted apart from the servers'.
// Usage: node --import tsx bench/compare/driver.ts '<DriverSpec as JSON>'  → prints one JSON line (DriverResult).
// Every system is driven by the same closed loop (src/cli/benchmark/load-loop.ts) with 1 KiB bodies.
import { connect, AckPolicy, DeliverPolicy, StorageType } from 'nats';
import type { JetStreamClient, NatsConnection } from 'nats';
import { Redis } from 'ioredis';
import { runLoad } from '../../src/cli/benchmark/load-loop.ts';
import type { LoadResult } from '../../src/cli/benchmark/load-loop.ts';
import { benchTopics, createBenchTopics, inParallel, randomBody } from '../../src/cli/benchmark/producer-bench.ts';
import { runConsumerBenchmark } from '../../src/cli/benchmark/consumer-bench.ts';
import { Producer } from '../../src/client/producer/producer.ts';
import { AdminClient } from '../../src/client/admin/admin-client.ts';
import type { Message } from '../../src/client/message.ts';
import { sampleCpu } from './proc-stat.ts';

export interface DriverSpec {
  system: 'ours' | 'redis' | 'nats';
  /** send: one message per request; batch: `batch` messages per request; preload then consume: drain a backlog. */
  kind: 'send' | 'batch' | 'consume';
  /** ours: NameServer "host:port"; redis/nats: "host:port" of the server. */
  addr: string;
  /** Server processes whose CPU is sampled over the measured phase, by label. */
  serverPids: Record<string, number>;
  window: number;
  batch: number;
  topics: number;
  /** ours: topic prefix; redis: key prefix; nats: stream name (subjects <name>.<i>). */
  name: string;
  /** ours: cluster to create topics in. */
  cluster?: string;
  queues: number;
  size: number;
  durationMs: number;
  warmupMs: number;
  /** consume: backlog size. */
  messages: number;
  /** ours consume: messages per pull. */
  pullBatch?: number;
}

export interface DriverResult {
  system: string;
  kind: string;
  messages: number;
  seconds: number;
  msgsPerSec: number;
  failures: number;
  latency?: LoadResult['latency'];
  /** µs of CPU per message, per process label ("client" = this driver). */
  cpuUsPerMsg: Record<string, number>;
  preload?: { messages: number; seconds: number; msgsPerSec: number; method: string };
  errors: string[];
  note?: string;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as DriverSpec;
const body = randomBody(spec.size);

/** Samples server CPU at the start and end of the measured phase. */
class CpuWindow {
  #start: Record<string, number> = {};
  #end: Record<string, number> = {};
  #clientStart = 0;
  #clientEnd = 0;
  begin = (): void => {
    this.#start = sampleCpu(Object.values(spec.serverPids));
    const u = process.cpuUsage();
    this.#clientStart = u.user + u.system;
  };
  end = (): void => {
    this.#end = sampleCpu(Object.values(spec.serverPids));
    const u = process.cpuUsage();
    this.#clientEnd = u.user + u.system;
  };
  perMessage(messages: number): Record<string, number> {
    const out: Record<string, number> = {};
    const per = (us: number): number => (messages > 0 ? Math.round((us / messages) * 100) / 100 : 0);
    for (const [label, pid] of Object.entries(spec.serverPids)) out[label] = per(this.#end[pid] - this.#start[pid]);
    out.client = per(this.#clientEnd - this.#clientStart);
    return out;
  }
}

function loadResult(r: LoadResult, cpu: CpuWindow, extra: Partial<DriverResult> = {}): DriverResult {
  return {
    system: spec.system,
    kind: spec.kind,
    messages: r.messages,
    seconds: Math.round(r.seconds * 1000) / 1000,
    msgsPerSec: r.msgsPerSec,
    failures: r.failures,
    latency: r.latency,
    cpuUsPerMsg: cpu.perMessage(r.messages),
    errors: r.errors,
    ...extra,
  };
}

/** The result of draining a backlog: `messages` consumed in `seconds`, after a preload of `preload.messages`. */
function drainResult(
  d: { messages: number; seconds: number; msgsPerSec?: number; failures?: number; errors?: string[]; note: string },
  cpu: CpuWindow,
  preload: { messages: number; seconds: number; method: string },
): DriverResult {
  return {
    system: spec.system,
    kind: spec.kind,
    messages: d.messages,
    seconds: Math.round(d.seconds * 1000) / 1000,
    msgsPerSec: d.msgsPerSec ?? Math.round(d.messages / d.seconds),
    failures: d.failures ?? 0,
    cpuUsPerMsg: cpu.perMessage(d.messages),
    preload: { ...preload, msgsPerSec: Math.round(preload.messages / preload.seconds) },
    errors: d.errors ?? [],
    note: d.note,
  };
}

function load(op: (seq: number) => Promise<unknown>, cpu: CpuWindow, perOp: number): Promise<LoadResult> {
  return runLoad(op, {
    window: spec.window,
    durationMs: spec.durationMs,
    warmupMs: spec.warmupMs,
    messagesPerOp: perOp,
    onMeasureStart: cpu.begin,
    onMeasureEnd: cpu.end,
  });
}

// ---- ours ----

/** Waits until the broker has dispatched everything appended (new consume queues are created by the dispatch, behind the sends). */
async function waitForDispatch(topic: string): Promise<void> {
  const admin = new AdminClient({ namesrvAddr: spec.addr });
  await admin.start();
  try {
    const route = await admin.topicRoute(topic);
    const addrs = route.brokerDatas.map((b) => b.brokerAddrs['0']).filter((a): a is string => a !== undefined);
    const deadline = Date.now() + 120_000;
    for (const addr of addrs) {
      while ((await admin.brokerRuntimeInfo(addr)).dispatchBehindBytes !== '0' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.shutdown();
  }
}

async function ours(): Promise<DriverResult> {
  const topics = benchTopics(spec.name, spec.topics);
  if (spec.cluster !== undefined) await createBenchTopics(spec.addr, spec.cluster, topics, spec.queues);
  const producer = new Producer({ namesrvAddr: spec.addr, group: `bench_${spec.name}` });
  await producer.start();
  const cpu = new CpuWindow();
  try {
    await inParallel(topics, 32, (t) => producer.fetchPublishQueues(t));
    if (spec.kind === 'send') {
      // Write every queue of every topic once so first-write costs (consume-queue files) stay out of the measured phase.
      const queues = (await Promise.all(topics.map((t) => producer.fetchPublishQueues(t)))).flat();
      await inParallel(queues, 32, (queue) => producer.send({ topic: queue.topic, body }, { queue }));
      await waitForDispatch(topics[0]);
      const r = await load((seq) => producer.send({ topic: topics[seq % topics.length], body }), cpu, 1);
      return loadResult(r, cpu);
    }
    if (spec.kind === 'batch') {
      const batchOf = (seq: number): Message[] => {
        const topic = topics[seq % topics.length];
        return Array.from({ length: spec.batch }, () => ({ topic, body }));
      };
      const r = await load((seq) => producer.sendBatch(batchOf(seq)), cpu, spec.batch);
      return loadResult(r, cpu);
    }
    // consume: preload with batches of 64, then drain with a push consumer from the first offset.
    const t0 = process.hrtime.bigint();
    const per = 64;
    const pre = await runLoad(() => producer.sendBatch(Array.from({ length: per }, () => ({ topic: topics[0], body }))), {
      window: 4,
      operations: Math.ceil(spec.messages / per),
      messagesPerOp: per,
    });
    const preSec = Number(process.hrtime.bigint() - t0) / 1e9;
    await producer.shutdown();
    const r = await runConsumerBenchmark({
      namesrvAddr: spec.addr,
      topic: topics[0],
      topicCount: 1,
      group: `bench_${spec.name}_cg`,
      expression: '*',
      concurrency: 20,
      pullBatchSize: spec.pullBatch ?? 32,
      consumeBatchSize: 32,
      failRate: 0,
      fromFirst: true,
      messages: pre.messages,
      durationMs: 0,
      idleTimeoutMs: 10_000,
      onFirstMessage: cpu.begin,
    });
    cpu.end();
    return drainResult(
      {
        messages: r.messages,
        seconds: r.seconds,
        msgsPerSec: r.msgsPerSec,
        failures: r.failures,
        errors: r.timedOut ? ['consumer went idle before the backlog was drained'] : [],
        note: `push consumer, pullBatchSize ${spec.pullBatch ?? 32}, 20 listener calls in flight, offsets committed every 5 s`,
      },
      cpu,
      { messages: pre.messages, seconds: preSec, method: 'sendBatch 64, 4 in flight' },
    );
  } finally {
    await producer.shutdown();
  }
}

// ---- Redis Streams (ioredis) ----

async function redis(): Promise<DriverResult> {
  const [host, port] = spec.addr.split(':');
  const r = new Redis({ host, port: Number(port), lazyConnect: true, enableAutoPipelining: false });
  await r.connect();
  const keys = benchTopics(spec.name, spec.topics);
  const cpu = new CpuWindow();
  try {
    if (spec.kind === 'send') {
      const res = await load((seq) => r.xadd(keys[seq % keys.length], '*', 'f', body), cpu, 1);
      return loadResult(res, cpu);
    }
    if (spec.kind === 'batch') {
      const res = await load((seq) => {
        const p = r.pipeline();
        const key = keys[seq % keys.length];
        for (let i = 0; i < spec.batch; i++) p.xadd(key, '*', 'f', body);
        return p.exec();
      }, cpu, spec.batch);
      return loadResult(res, cpu);
    }
    const key = keys[0];
    await r.del(key);
    const t0 = process.hrtime.bigint();
    for (let n = 0; n < spec.messages; n += 1000) {
      const p = r.pipeline();
      for (let j = 0; j < Math.min(1000, spec.messages - n); j++) p.xadd(key, '*', 'f', body);
      await p.exec();
    }
    const preSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const total = await r.xlen(key);
    await r.xgroup('CREATE', key, 'g1', '0');
    cpu.begin();
    const c0 = process.hrtime.bigint();
    let got = 0;
    while (got < total) {
      const res = (await r.callBuffer('XREADGROUP', 'GROUP', 'g1', 'c1', 'COUNT', 1000, 'STREAMS', key, '>')) as [Buffer, [Buffer, Buffer[]][]][] | null;
      if (res === null) break;
      const entries = res[0][1];
      got += entries.length;
      await r.xack(key, 'g1', ...entries.map((e) => e[0]));
    }
    const sec = Number(process.hrtime.bigint() - c0) / 1e9;
    cpu.end();
    await r.del(key);
    return drainResult({ messages: got, seconds: sec, note: 'XREADGROUP COUNT 1000 + XACK per batch, one connection' }, cpu, {
      messages: total,
      seconds: preSec,
      method: 'pipelines of 1000 XADD',
    });
  } finally {
    if (spec.kind !== 'consume') await r.del(...keys).catch(() => 0);
    r.disconnect();
  }
}

// ---- NATS JetStream (nats.js) ----

async function waitStreamCount(nc: NatsConnection, stream: string, n: number, timeoutMs: number): Promise<number> {
  const jsm = await nc.jetstreamManager();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const have = (await jsm.streams.info(stream)).state.messages;
    if (have >= n || Date.now() > deadline) return have;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function nats(): Promise<DriverResult> {
  const nc = await connect({ servers: spec.addr });
  const jsm = await nc.jetstreamManager();
  const stream = spec.name;
  await jsm.streams.delete(stream).catch(() => false);
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], storage: StorageType.File, num_replicas: 1 });
  const js: JetStreamClient = nc.jetstream();
  const subjects = benchTopics(stream, spec.topics).map((_, i) => `${stream}.${i}`);
  const cpu = new CpuWindow();
  try {
    if (spec.kind === 'send' || spec.kind === 'batch') {
      // No batch publish in JetStream: "batch" keeps window × batch publishes in flight instead.
      const perOp = spec.kind === 'batch' ? spec.batch : 1;
      const res = await load(async (seq) => {
        if (perOp === 1) return js.publish(subjects[seq % subjects.length], body);
        const subject = subjects[seq % subjects.length];
        const acks = [];
        for (let i = 0; i < perOp; i++) acks.push(js.publish(subject, body));
        return Promise.all(acks);
      }, cpu, perOp);
      return loadResult(res, cpu, spec.kind === 'batch' ? { note: `no batch API: ${spec.batch} js.publish per request, ${spec.window} requests in flight` } : {});
    }
    // Preload: core publishes into the stream's subject (no per-message ack), then wait for the stream to hold them all.
    const t0 = process.hrtime.bigint();
    for (let n = 0; n < spec.messages; n++) {
      nc.publish(subjects[0], body);
      if ((n & 4095) === 4095) await nc.flush();
    }
    await nc.flush();
    let total = await waitStreamCount(nc, stream, spec.messages, 60_000);
    let method = 'core publish into the stream subject + wait';
    if (total < spec.messages) {
      method += `; ${spec.messages - total} topped up with js.publish`;
      const missing = spec.messages - total;
      await runLoad(() => js.publish(subjects[0], body), { window: 256, operations: missing });
      total = await waitStreamCount(nc, stream, spec.messages, 10_000);
    }
    const preSec = Number(process.hrtime.bigint() - t0) / 1e9;
    await jsm.consumers.add(stream, { durable_name: 'dur', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 20_000 });
    const c = await js.consumers.get(stream, 'dur');
    cpu.begin();
    const c0 = process.hrtime.bigint();
    let got = 0;
    const it = await c.consume({ max_messages: 1000 });
    for await (const m of it) {
      m.ack();
      got++;
      if (got >= total) break;
    }
    await nc.flush();
    const sec = Number(process.hrtime.bigint() - c0) / 1e9;
    cpu.end();
    return drainResult(
      { messages: got, seconds: sec, note: 'durable pull consumer, consume({max_messages: 1000}), explicit ack per message' },
      cpu,
      { messages: total, seconds: preSec, method },
    );
  } finally {
    await jsm.streams.delete(stream).catch(() => false);
    await nc.drain();
  }
}

const run = spec.system === 'ours' ? ours : spec.system === 'redis' ? redis : nats;
run().then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`driver ${spec.system}/${spec.kind} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
