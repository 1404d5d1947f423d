// npm run bench:compare: rocketmq-ts against Redis Streams and NATS JetStream on this machine, loopback only, 1 KiB
// bodies, scenarios S1, S2, S4, S5, S6 of ../shared/reference/perf-baselines.md. Starts every server itself (by PID),
// runs each client in its own process, writes bench/results/compare-<date>.json and the comparison section of
// BENCHMARKS.md. Bounded to ~10 minutes; SIGINT or an error stops everything it started.
// Env: BENCH_SECONDS (measured seconds per run, default 5), BENCH_S4_MESSAGES (backlog, default 1,000,000),
//      BENCH_ONLY=S1,S4 (subset), BENCH_NO_WRITE=1 (print only), BENCH_CPU_PROF=1 (our broker writes a .cpuprofile into bench/results/prof/).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { DriverResult, DriverSpec } from './driver.ts';
import { processRssMb } from './proc-stat.ts';
import { ROOT, ensurePeerBinaries, killAllNow, startNats, startOurs, startRedis, stopAll, stopServer } from './servers.ts';
import type { Server } from './servers.ts';
import { renderMarkdown, updateBenchmarksMd } from './report.ts';
import type { CompareRun, ScenarioRow } from './report.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const S4_MESSAGES = Number(process.env.BENCH_S4_MESSAGES ?? 1_000_000);
/** Messages per pull in the tuned S4 row (pullBatchSize; the broker's per-pull caps are raised to match). */
const S4_TUNED_PULL = 256;
const S5_TOPICS = Number(process.env.BENCH_S5_TOPICS ?? 5000);
// 5,000 topics × 8 queues (as the one-topic run) = 40,000 consume queues. BENCH_S5_QUEUES changes the queues per topic.
const S5_QUEUES = Number(process.env.BENCH_S5_QUEUES ?? 8);
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter((s) => s !== '');
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
// BENCH_NO_WRITE=1: print the table only (quick A/B runs); bench/results and BENCHMARKS.md stay untouched.
const NO_WRITE = process.env.BENCH_NO_WRITE === '1';
const BUDGET_MS = 9.5 * 60_000;
const DRIVER_TIMEOUT_MS = 150_000;
const started = Date.now();

const want = (id: string): boolean => ONLY.length === 0 || ONLY.some((o) => id.startsWith(o));

function runDriver(spec: DriverSpec): Promise<DriverResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/compare/driver.ts'), JSON.stringify(spec)], {
      cwd: ROOT,
      env: { ...process.env, ROCKETMQ_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, DRIVER_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{"system"'));
      if (code === 0 && line !== undefined) resolve(JSON.parse(line) as DriverResult);
      else reject(new Error(`driver ${spec.system}/${spec.kind} exited ${code ?? signal}: ${err.slice(-2000)}`));
    });
  });
}

function loadAvg(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

async function main(): Promise<void> {
  ensurePeerBinaries();
  const date = new Date().toISOString().slice(0, 10);
  const profDir = join(ROOT, 'bench/results/prof');
  if (CPU_PROF) mkdirSync(profDir, { recursive: true });
  const run: CompareRun = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      kernel: `${os.type()} ${os.release()}`,
      node: process.version,
      redis: versionOf('redis-server', ['--version']),
      nats: versionOf('nats-server', ['--version']),
    },
    loadAvgStart: loadAvg(),
    loadAvgEnd: [],
    seconds: SECONDS,
    rows: [],
    notes: [],
    ourIdleRssMb: 0,
  };
  const log = (s: string): void => void process.stdout.write(`${s}\n`);
  log(`bench:compare on ${run.machine.cpus} × ${run.machine.cpuModel}, Node ${run.machine.node}, load ${run.loadAvgStart.join(' ')}`);

  const prof = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  const ours = await startOurs('ASYNC_FLUSH', prof);
  const redis = await startRedis(false);
  const nats = await startNats();
  await new Promise((r) => setTimeout(r, 2000));
  run.ourIdleRssMb = processRssMb(ours.pid);
  log(`servers up: ours ${ours.addr} (pid ${ours.pid}, idle RSS ${run.ourIdleRssMb} MiB), redis ${redis.addr} (pid ${redis.pid}), nats ${nats.addr} (pid ${nats.pid})`);

  const base = { batch: 1, topics: 1, queues: 8, size: 1024, durationMs: SECONDS * 1000, warmupMs: 1000, messages: 0 };
  let seq = 0;
  const one = async (
    scenario: string,
    durability: string,
    server: Server,
    system: DriverSpec['system'],
    over: Partial<DriverSpec>,
  ): Promise<void> => {
    if (Date.now() - started > BUDGET_MS) {
      run.notes.push(`${scenario} ${system}: skipped, time budget used up`);
      return;
    }
    seq++;
    const spec: DriverSpec = {
      ...base,
      window: 1,
      system,
      kind: 'send',
      addr: server.addr,
      serverPids: { server: server.pid },
      name: `bench${seq}x${process.pid}`,
      ...(system === 'ours' ? { cluster: server.cluster } : {}),
      ...over,
    };
    try {
      const r = await runDriver(spec);
      const row: ScenarioRow = { scenario, system, durability, window: spec.window, batch: spec.batch, topics: spec.topics, result: r, loadAvg: loadAvg()[0] };
      run.rows.push(row);
      const l = r.latency;
      log(
        `${scenario.padEnd(14)} ${system.padEnd(5)} ${String(r.msgsPerSec).padStart(8)} msgs/s` +
          (l ? `  p50 ${(l.p50Us / 1000).toFixed(2)} ms  p99 ${(l.p99Us / 1000).toFixed(2)} ms  p99.9 ${(l.p999Us / 1000).toFixed(2)} ms` : '') +
          `  CPU µs/msg server ${r.cpuUsPerMsg.server} client ${r.cpuUsPerMsg.client}` +
          (r.errors.length > 0 ? `  errors: ${r.errors.join('; ')}` : ''),
      );
    } catch (e) {
      run.notes.push(`${scenario} ${system}: failed: ${e instanceof Error ? e.message.slice(0, 300) : String(e)}`);
      log(`${scenario} ${system}: FAILED ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const peers: Array<[DriverSpec['system'], Server, string]> = [
    ['ours', ours, 'ASYNC_FLUSH (page cache)'],
    ['redis', redis, 'no persistence'],
    ['nats', nats, 'file store, default periodic fsync'],
  ];

  if (want('S1')) {
    for (const w of [1, 32]) for (const [sys, srv, dur] of peers) await one(`S1 sync w${w}`, dur, srv, sys, { window: w });
  }
  if (want('S2')) {
    for (const [sys, srv, dur] of peers) await one('S2 batch 64', dur, srv, sys, { kind: 'batch', batch: 64, window: 4 });
  }
  if (want('S5')) {
    for (const [sys, srv, dur] of peers) await one('S5 1 topics', dur, srv, sys, { window: 32, topics: 1 });
    // The topics exist at broker start (topics.json), as on a broker restarted with them.
    const many = await startOurs('ASYNC_FLUSH', prof, [`topics=S5many:${S5_TOPICS}:${S5_QUEUES}`]);
    await one(`S5 ${S5_TOPICS} topics`, peers[0][2], many, 'ours', { window: 32, topics: S5_TOPICS, name: 'S5many', cluster: undefined });
    await stopServer(many);
    run.notes.push(`S5 ours with ${S5_TOPICS} topics: ${S5_QUEUES} queues per topic (${S5_TOPICS * S5_QUEUES} consume queues), each written once and dispatched before the measured phase`);
    for (const [sys, srv, dur] of peers.slice(1)) await one(`S5 ${S5_TOPICS} topics`, dur, srv, sys, { window: 32, topics: S5_TOPICS });
  }
  if (want('S4')) {
    for (const [sys, srv, dur] of peers) await one('S4 backlog', dur, srv, sys, { kind: 'consume', messages: S4_MESSAGES, durationMs: 0 });
  }
  await stopServer(ours);
  if (want('S4')) {
    // The same drain with pulls closer to the peers' batches (redis XREADGROUP COUNT 1000, nats max_messages 1000):
    // pullBatchSize 256 and the broker's per-pull caps raised to match (operator keys maxTransferCountOnMessageInMemory /
    // maxTransferBytesOnMessageInMemory; Java's defaults are 32 and 256 KiB).
    const tuned = await startOurs('ASYNC_FLUSH', prof, [`maxTransferCountOnMessageInMemory=${S4_TUNED_PULL}`, 'maxTransferBytesOnMessageInMemory=2097152']);
    await one(`S4 backlog pull ${S4_TUNED_PULL}`, peers[0][2], tuned, 'ours', {
      kind: 'consume',
      messages: S4_MESSAGES,
      durationMs: 0,
      pullBatch: S4_TUNED_PULL,
      cluster: tuned.cluster,
    });
    await stopServer(tuned);
  }
  await stopServer(nats);
  await stopServer(redis);

  if (want('S6')) {
    const oursSync = await startOurs('SYNC_FLUSH', prof);
    const redisAof = await startRedis(true);
    await one('S6 sync w32', 'SYNC_FLUSH (group commit)', oursSync, 'ours', { window: 32 });
    await one('S6 sync w32', 'AOF appendfsync always', redisAof, 'redis', { window: 32 });
    run.notes.push('S6 NATS: not run; Debian nats-server 2.9.10 has no sync_interval (per-message fsync needs ≥ 2.10), its default fsyncs every 2 min');
    await stopServer(redisAof);
    await stopServer(oursSync);
  }
  if (S4_MESSAGES !== 1_000_000) run.notes.push(`S4 backlog scaled to ${S4_MESSAGES} messages (BENCH_S4_MESSAGES)`);

  run.loadAvgEnd = loadAvg();
  run.totalSeconds = Math.round((Date.now() - started) / 1000);
  if (NO_WRITE) {
    log(`\n${renderMarkdown(run, '(not written: BENCH_NO_WRITE=1)')}`);
    return;
  }
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `compare-${date}.json`);
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  const md = renderMarkdown(run, `bench/results/compare-${date}.json`);
  const benchMd = join(ROOT, 'BENCHMARKS.md');
  writeFileSync(benchMd, updateBenchmarksMd(readFileSync(benchMd, 'utf8'), md));
  log(`\n${md}`);
  log(`wrote ${file} and BENCHMARKS.md in ${run.totalSeconds} s`);
}

function versionOf(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args).toString().trim().split('\n')[0] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

let stopping = false;
const abort = (why: string): void => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`bench:compare: ${why}; stopping the servers it started\n`);
  stopAll().finally(() => process.exit(130));
};
process.on('SIGINT', () => abort('interrupted'));
process.on('SIGTERM', () => abort('terminated'));
process.on('exit', killAllNow);

main().then(
  () => stopAll().then(() => process.exit(0)),
  (e: unknown) => {
    process.stderr.write(`bench:compare failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    stopAll().finally(() => process.exit(1));
  },
);
