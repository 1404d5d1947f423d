// The comparison's markdown: one table (every number with its durability mode), ours/peer ratios, the aims of issue 8
// with a verdict each, and the run's conditions. updateBenchmarksMd replaces only the block between the compare markers.
import type { DriverResult } from './driver.ts';

export interface ScenarioRow {
  scenario: string;
  system: string;
  durability: string;
  window: number;
  batch: number;
  topics: number;
  result: DriverResult;
  /** 1-minute load average right after the run. */
  loadAvg: number;
}

export interface CompareRun {
  date: string;
  machine: { cpus: number; cpuModel: string; memGiB: number; kernel: string; node: string; redis: string; nats: string };
  loadAvgStart: number[];
  loadAvgEnd: number[];
  seconds: number;
  rows: ScenarioRow[];
  notes: string[];
  ourIdleRssMb: number;
  totalSeconds?: number;
}

const START = '<!-- compare:start -->';
const END = '<!-- compare:end -->';

const fmt = (n: number): string => n.toLocaleString('en-US');
const msOf = (us: number | undefined): string => (us === undefined ? '-' : (us / 1000).toFixed(2));

function find(run: CompareRun, scenario: string, system: string): ScenarioRow | undefined {
  return run.rows.find((r) => r.scenario === scenario && r.system === system);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(2)}×`;
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**';
}

export function renderMarkdown(run: CompareRun, jsonPath: string): string {
  const m = run.machine;
  const lines: string[] = [
    '## Side by side: rocketmq-ts vs Redis Streams vs NATS JetStream',
    '',
    `Run ${run.date.slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:compare\` on ${m.cpus} × ${m.cpuModel}, ${m.memGiB} GiB RAM, ` +
      `${m.kernel}, Node ${m.node}; ${m.redis}; ${m.nats}. Load average ${run.loadAvgStart.join(' / ')} at the start, ` +
      `${run.loadAvgEnd.join(' / ')} at the end (other work was running on the machine when the load is above ~1). ` +
      `Loopback only, 1 KiB bodies, each client in its own Node process, one connection, closed loop with a fixed number of ` +
      `requests in flight (w), ${run.seconds} s measured after 1 s warm-up, one run per row. Latency is per request (for a batch, ` +
      `the whole batch). CPU µs/msg = utime+stime of the process over the measured phase ÷ messages ("server" for ours is ` +
      `the one process holding NameServer + Broker).`,
    '',
    '| scenario | system | durability | msgs/s | p50 ms | p99 ms | p99.9 ms | server CPU µs/msg | client CPU µs/msg | ours ÷ this |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of run.rows) {
    const ourRow = r.system === 'ours' ? undefined : find(run, r.scenario, 'ours');
    const l = r.result.latency;
    lines.push(
      `| ${r.scenario} | ${r.system} | ${r.durability} | ${fmt(r.result.msgsPerSec)} | ${msOf(l?.p50Us)} | ${msOf(l?.p99Us)} | ${msOf(l?.p999Us)} | ` +
        `${r.result.cpuUsPerMsg.server ?? '-'} | ${r.result.cpuUsPerMsg.client ?? '-'} | ${r.system === 'ours' ? '' : ratio(ourRow?.result.msgsPerSec, r.result.msgsPerSec)} |`,
    );
  }
  lines.push('');
  const manyName = run.rows.find((r) => r.scenario.startsWith('S5 ') && r.topics > 1)?.scenario ?? 'S5 5000 topics';
  const s5 = (sys: string): string => ratio(find(run, manyName, sys)?.result.msgsPerSec, find(run, 'S5 1 topics', sys)?.result.msgsPerSec);
  lines.push(
    `${manyName} ÷ S5 1 topic (same client, window 32): ours ${s5('ours')}, redis ${s5('redis')}, nats ${s5('nats')}. ` +
      'Ours: the topics exist at broker start (queues per topic: see the notes); redis: one stream key per topic; nats: one stream, one subject per topic.',
  );
  const pre = run.rows.filter((r) => r.result.preload !== undefined);
  if (pre.length > 0) {
    lines.push(
      `S4 backlog preload: ${pre.map((r) => `${r.system} ${fmt(r.result.preload?.messages ?? 0)} msgs at ${fmt(r.result.preload?.msgsPerSec ?? 0)}/s (${r.result.preload?.method ?? ''})`).join('; ')}.`,
    );
    lines.push(`S4 consumers: ${pre.map((r) => `${r.system}: ${r.result.note ?? ''}`).join('; ')}.`);
  }
  const nb = find(run, 'S2 batch 64', 'nats')?.result.note;
  if (nb !== undefined) lines.push(`S2 nats: ${nb}.`);
  lines.push('');

  const get = (s: string, sys: string): DriverResult | undefined => find(run, s, sys)?.result;
  const s1o = get('S1 sync w32', 'ours');
  const s1r = get('S1 sync w32', 'redis');
  const s2o = get('S2 batch 64', 'ours');
  const s4o = get('S4 backlog', 'ours');
  const s4r = get('S4 backlog', 'redis');
  const s5a = get('S5 1 topics', 'ours');
  const s5b = get(manyName, 'ours');
  const s6o = get('S6 sync w32', 'ours');
  const s6r = get('S6 sync w32', 'redis');
  const both = <T>(a: T | undefined, b: T | undefined, f: (a: T, b: T) => boolean): boolean | undefined =>
    a === undefined || b === undefined ? undefined : f(a, b);
  lines.push('| aim (issue 8, this 2-core machine) | measured | verdict |', '|---|---|---|');
  lines.push(
    `| S1 w32 ≥ 1.5× Redis, p99 ≤ 2 ms | ${ratio(s1o?.msgsPerSec, s1r?.msgsPerSec)} Redis, p99 ${msOf(s1o?.latency?.p99Us)} ms | ` +
      `${verdict(both(s1o, s1r, (a, b) => a.msgsPerSec >= 1.5 * b.msgsPerSec && (a.latency?.p99Us ?? Infinity) <= 2000))} |`,
  );
  lines.push(`| S2 ≥ 400,000 msgs/s | ${s2o ? fmt(s2o.msgsPerSec) : '-'} | ${verdict(s2o ? s2o.msgsPerSec >= 400_000 : undefined)} |`);
  const tunedName = run.rows.find((r) => r.scenario.startsWith('S4 backlog pull'))?.scenario;
  const s4t = tunedName === undefined ? undefined : get(tunedName, 'ours');
  const s4Measured =
    `${ratio(s4o?.msgsPerSec, s4r?.msgsPerSec)} with Java's pull defaults` +
    (s4t === undefined ? '' : `; ${ratio(s4t.msgsPerSec, s4r?.msgsPerSec)} with ${(tunedName ?? '').replace('S4 backlog ', '')}`);
  lines.push(
    `| S4 ≥ Redis XREADGROUP | ${s4Measured} | defaults: ${verdict(both(s4o, s4r, (a, b) => a.msgsPerSec >= b.msgsPerSec))}` +
      (s4t === undefined ? '' : `; tuned: ${verdict(both(s4t, s4r, (a, b) => a.msgsPerSec >= b.msgsPerSec))}`) +
      ' |',
  );
  lines.push(`| S5 5,000 topics ≥ 90 % of 1 topic | ${ratio(s5b?.msgsPerSec, s5a?.msgsPerSec)} | ${verdict(both(s5b, s5a, (a, b) => a.msgsPerSec >= 0.9 * b.msgsPerSec))} |`);
  lines.push(`| S6 ≥ 2× Redis AOF always | ${ratio(s6o?.msgsPerSec, s6r?.msgsPerSec)} | ${verdict(both(s6o, s6r, (a, b) => a.msgsPerSec >= 2 * b.msgsPerSec))} |`);
  lines.push(`| broker RSS ≤ 100 MB idle | ${run.ourIdleRssMb} MiB (NameServer + Broker process) | ${verdict(run.ourIdleRssMb <= 100)} |`);
  lines.push('');
  for (const n of run.notes) lines.push(`- ${n}`);
  if (run.notes.length > 0) lines.push('');
  lines.push(`Raw JSON: \`${jsonPath}\`. Total run time ${run.totalSeconds ?? '?'} s.`);
  return lines.join('\n');
}

/** Replace (or append) the block between the compare markers; the rest of the file is left alone. */
export function updateBenchmarksMd(current: string, section: string): string {
  const block = `${START}\n${section}\n${END}`;
  const a = current.indexOf(START);
  const b = current.indexOf(END);
  if (a >= 0 && b > a) return current.slice(0, a) + block + current.slice(b + END.length);
  return `${current.replace(/\s*$/, '')}\n\n${block}\n`;
}
