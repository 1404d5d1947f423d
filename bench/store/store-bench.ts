// Store benchmark: 1 KiB-body appends to the CommitLog under each flush mode, next to raw fs.writeSync of 256 KiB buffers
// on the same machine in the same run. Writes bench/results/store-<date>.json and the store table of BENCHMARKS.md.
// Run: npm run bench:store   (env BENCH_SECONDS=<seconds per scenario>, default 3)
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommitLog, PutMessageStatus } from '../../src/store/commitlog/commit-log.ts';
import type { AppendInput } from '../../src/store/commitlog/commit-log.ts';
import { defaultMessageStoreConfig, FlushDiskType } from '../../src/store/config/message-store-config.ts';
import { encodeProperties } from '../../src/common/message/message-properties.ts';
import { recordSize } from '../../src/common/message/message-record.ts';
import { RocketMQError, ERROR_CODES } from '../../src/common/errors.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BODY = 1024;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Row {
  scenario: string;
  flushMode: string;
  appenders: number;
  batch: number;
  records: number;
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  fdatasyncs?: number;
  /** Appends answered OS_PAGE_CACHE_BUSY (retried after 1 ms). */
  pageCacheBusy?: number;
}

function message(i: number): AppendInput {
  const body = Buffer.alloc(BODY, i & 0xff);
  return {
    topic: 'BenchTopic',
    queueId: i & 7,
    flag: 0,
    body,
    properties: encodeProperties({ UNIQ_KEY: `7F0000010001000000000000${(i & 0xffff).toString(16).padStart(8, '0')}`, TAGS: 'bench', WAIT: 'true' }),
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: { address: '127.0.0.1', port: 50_000 },
    storeHost: { address: '127.0.0.1', port: 10_911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

const SAMPLE = Array.from({ length: 256 }, (_, i) => message(i));
/** A batch targets one queue (§5.5). */
const BATCH_SAMPLE = SAMPLE.map((m) => ({ ...m, queueId: 0 }));
const RECORD_SIZE = recordSize({ ...SAMPLE[0], queueOffset: 0, commitLogOffset: 0, storeTimestamp: 0 });

/** Writes back dirty pages so every scenario starts from the same page-cache state. */
function settle(): void {
  spawnSync('sync');
}

function freshDir(): string {
  return fs.mkdtempSync(join(os.tmpdir(), 'store-bench-'));
}

function row(scenario: string, flushMode: string, appenders: number, batch: number, records: number, ns: bigint, extra = {}): Row {
  const seconds = Number(ns) / 1e9;
  return {
    scenario,
    flushMode,
    appenders,
    batch,
    records,
    seconds: Math.round(seconds * 1000) / 1000,
    recordsPerSec: Math.round(records / seconds),
    mbPerSec: Math.round(((records * RECORD_SIZE) / seconds / 1024 / 1024) * 10) / 10,
    ...extra,
  };
}

/** fs.writeSync of 256 KiB buffers into one growing file; rate in records of RECORD_SIZE bytes. */
function rawWrite(): Row {
  const dir = freshDir();
  try {
    const fd = fs.openSync(join(dir, 'raw'), 'w+');
    const buf = Buffer.alloc(256 * 1024, 7);
    const limit = 4 * 1024 * 1024 * 1024;
    let pos = 0;
    const t0 = process.hrtime.bigint();
    const deadline = t0 + BigInt(Math.round(SECONDS * 1e9));
    while (process.hrtime.bigint() < deadline && pos < limit) {
      pos += fs.writeSync(fd, buf, 0, buf.length, pos);
    }
    const ns = process.hrtime.bigint() - t0;
    fs.closeSync(fd);
    return row('raw fs.writeSync 256 KiB', 'none', 1, 0, pos / RECORD_SIZE, ns);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function appendBench(scenario: string, flushMode: FlushDiskType, appenders: number, batch: number): Promise<Row> {
  const dir = freshDir();
  let syncs = 0;
  let busy = 0;
  const log = new CommitLog(defaultMessageStoreConfig({ storePathRootDir: dir, flushDiskType: flushMode }), {
    fdatasync: (fd) =>
      new Promise<void>((resolve, reject) => {
        syncs++;
        fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()));
      }),
  });
  try {
    log.load();
    log.recover(0);
    log.start();
    let records = 0;
    const t0 = process.hrtime.bigint();
    const deadline = t0 + BigInt(Math.round(SECONDS * 1e9));
    const maxBytes = 6 * 1024 * 1024 * 1024;
    // ASYNC_FLUSH appends resolve at once: without a turn of the event loop no write completion would ever run.
    const yieldEvery = flushMode === FlushDiskType.ASYNC_FLUSH;
    const worker = async (w: number): Promise<void> => {
      let i = w;
      let calls = 0;
      const group: AppendInput[] = [];
      while (log.getMaxOffset() < maxBytes) {
        // check the clock every 16 calls: hrtime is not free at hundreds of thousands of calls per second
        if ((calls++ & 15) === 0 && process.hrtime.bigint() >= deadline) break;
        if (batch <= 1) {
          const r = await log.appendMessage(SAMPLE[i & 255]);
          if (r.status === PutMessageStatus.OS_PAGE_CACHE_BUSY) {
            busy++; // the disk is behind: back off like a client told "busy"
            await new Promise((res) => setTimeout(res, 1));
            continue;
          }
          if (r.status !== PutMessageStatus.PUT_OK) throw new RocketMQError(ERROR_CODES.INTERNAL, `append failed: ${r.status}`);
          records++;
          i++;
          // A broker's appends arrive from socket reads: let the event loop turn now and then (I/O completions).
          if (yieldEvery && (i & 255) === 0) await new Promise((r) => setImmediate(r));
        } else {
          group.length = 0;
          for (let k = 0; k < batch; k++) group.push(BATCH_SAMPLE[(i + k) & 255]);
          const r = await log.appendMessages(group);
          if (r.status === PutMessageStatus.OS_PAGE_CACHE_BUSY) {
            busy++;
            await new Promise((res) => setTimeout(res, 1));
            continue;
          }
          if (r.status !== PutMessageStatus.PUT_OK) throw new RocketMQError(ERROR_CODES.INTERNAL, `batch append failed: ${r.status}`);
          records += batch;
          i += batch;
          if (yieldEvery && (i & 255) < batch) await new Promise((r) => setImmediate(r));
        }
      }
    };
    await Promise.all(Array.from({ length: appenders }, (_, w) => worker(w)));
    const ns = process.hrtime.bigint() - t0;
    return row(scenario, flushMode, appenders, batch, records, ns, {
      ...(flushMode === FlushDiskType.SYNC_FLUSH ? { fdatasyncs: syncs } : {}),
      ...(busy > 0 ? { pageCacheBusy: busy } : {}),
    });
  } finally {
    await log.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function table(rows: Row[], rawMean: number): string {
  const lines = [
    '| scenario | flush mode | appenders | batch | records/s | MB/s | vs raw | fdatasyncs |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ratio = `${((r.recordsPerSec / rawMean) * 100).toFixed(1)} %`;
    lines.push(
      `| ${r.scenario} | ${r.flushMode} | ${r.appenders} | ${r.batch || '-'} | ${r.recordsPerSec.toLocaleString('en-US')} | ${r.mbPerSec} | ${ratio} | ${r.fdatasyncs ?? '-'} |`,
    );
  }
  return lines.join('\n');
}

function updateBenchmarksMd(section: string): void {
  const path = join(ROOT, 'BENCHMARKS.md');
  const start = '<!-- store-bench:start -->';
  const end = '<!-- store-bench:end -->';
  let text = fs.existsSync(path) ? fs.readFileSync(path, 'utf8') : '# Benchmarks\n';
  const block = `${start}\n${section}\n${end}`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  text = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(path, text);
}

async function main(): Promise<void> {
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  console.log(`machine: ${JSON.stringify(machine)}; ${SECONDS} s per scenario; record ${RECORD_SIZE} bytes (1 KiB body)`);
  const rows: Row[] = [];
  const run = async (make: () => Row | Promise<Row>): Promise<Row> => {
    settle();
    const x = await make();
    rows.push(x);
    console.log(`${x.scenario.padEnd(34)} ${x.flushMode.padEnd(11)} ${String(x.recordsPerSec).padStart(10)} records/s ${String(x.mbPerSec).padStart(8)} MB/s${x.fdatasyncs === undefined ? '' : `  fdatasyncs ${x.fdatasyncs}`}`);
    return x;
  };
  const loadStart = os.loadavg().map((x) => x.toFixed(2)).join(' / ');
  const rawBefore = await run(rawWrite);
  const asyncRow = await run(() => appendBench('append, 1 appender', FlushDiskType.ASYNC_FLUSH, 1, 1));
  await run(() => appendBench('append, batch of 16', FlushDiskType.ASYNC_FLUSH, 1, 16));
  await run(() => appendBench('append, batch of 64', FlushDiskType.ASYNC_FLUSH, 1, 64));
  await run(() => appendBench('append, 1 appender', FlushDiskType.SYNC_FLUSH, 1, 1));
  const sync32 = await run(() => appendBench('append, 32 appenders', FlushDiskType.SYNC_FLUSH, 32, 1));
  await run(() => appendBench('append, 32 appenders, batch of 16', FlushDiskType.SYNC_FLUSH, 32, 16));
  const rawAfter = await run(rawWrite);
  // the raw rate swings with the kernel's write-back state: compare with the mean of a run before and one after
  const rawMean = Math.round((rawBefore.recordsPerSec + rawAfter.recordsPerSec) / 2);
  const loadEnd = os.loadavg().map((x) => x.toFixed(2)).join(' / ');
  const date = new Date().toISOString().slice(0, 10);
  const aims = {
    rawMeanRecordsPerSec: rawMean,
    asyncVsRawMean: Math.round((asyncRow.recordsPerSec / rawMean) * 1000) / 10,
    batch64VsRawMean: Math.round(((rows.find((r) => r.batch === 64)?.recordsPerSec ?? 0) / rawMean) * 1000) / 10,
    asyncAimPercent: 50,
    sync32RecordsPerSec: sync32.recordsPerSec,
    sync32Aim: 20_000,
  };
  const result = { date, machine, loadAverage: { start: loadStart, end: loadEnd }, secondsPerScenario: SECONDS, recordBytes: RECORD_SIZE, rows, aims };
  fs.mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const out = join(ROOT, 'bench', 'results', `store-${date}.json`);
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  const section = [
    '## Store (CommitLog appends)',
    '',
    `Run ${date} with \`npm run bench:store\` on ${machine.cpus} cores (${machine.cpuModel}), ${machine.memGiB} GiB RAM, ` +
      `Node ${machine.node}, ${machine.platform}. ${SECONDS} s per scenario, record = ${RECORD_SIZE} bytes (1 KiB body), ` +
      '1 GiB segments, files in a temp dir on the same disk. "raw" is `fs.writeSync` of 256 KiB buffers into one file, ' +
      'counted in records of the same size. Batches are SEND_BATCH-style `appendMessages` (one result per batch). ' +
      `Load average ${loadStart} at the start, ${loadEnd} at the end (above ~1 other work shared the 2 cores). ` +
      '`sync` runs before each scenario so each starts with no dirty pages.',
    '',
    table(rows, rawMean),
    '',
    `"vs raw" divides by the mean of the two raw runs (${rawMean.toLocaleString('en-US')} records/s). ` +
      `Aims: async append ≥ 50 % of raw — measured ${aims.asyncVsRawMean} % (batch of 64: ${aims.batch64VsRawMean} %); SYNC_FLUSH with 32 appenders ≥ 20,000 records/s — measured ${sync32.recordsPerSec.toLocaleString('en-US')}.`,
    `Raw JSON: \`bench/results/store-${date}.json\`.`,
    '',
    'What bounds these numbers (profiled with `--cpu-prof`):',
    '- ASYNC_FLUSH is CPU-bound on the main thread at about 1.5–2.5 µs per record: encoding the record (≈25 % of samples), ' +
      'body CRC (≈7 %), offsetMsgId (≈5 %), GC (10–18 %), promise and bookkeeping. Raw `writeSync` is a memcpy into the page ' +
      'cache whose speed swings between 0.4 and 7 GB/s with the kernel\'s write-back state, so the ratio swings with it: the ' +
      '50 % aim holds while raw runs below ≈ 1 GB/s and is missed above that. Batches save the per-call promise/result but ' +
      'not the per-record encoding.',
    '- Fixed on the way: fresh 4 MiB `allocUnsafeSlow` buffers made every copy pay a page fault (400–600 ns per KiB vs 57 ns ' +
      'reused): written chunks are now pooled. An object spread of the 14-field record input cost 12 µs on V8 (vs 20 ns ' +
      'for a field-by-field copy). Group commit now waits one event-loop turn before each fdatasync so every appender ' +
      'answered by the previous round is covered by the next one (≈31 records per fdatasync with 32 appenders).',
    '- SYNC_FLUSH is bound by fdatasync latency: ≈ 0.25 ms on an idle machine, 1–3 ms while other work loads the disk; ' +
      'with 32 appenders each fdatasync covers ≈ 31 records, so records/s ≈ 32 ÷ fdatasync latency.',
  ].join('\n');
  updateBenchmarksMd(section);
  console.log(`wrote ${out} and BENCHMARKS.md`);
}

await main();
