// Result shape of the timer benchmark and its BENCHMARKS.md section (between timer-bench markers; the rest of the file
// is left alone).
import type { LatencySummary } from '../../src/cli/benchmark/latency.ts';

export interface PhaseStats {
  phase: string;
  seconds: number;
  /** Broker process CPU (utime + stime) over the phase ÷ wall time, in % of one core. */
  brokerCpuPercent: number;
  brokerCpuSeconds: number;
  brokerRssMaxMb: number;
  brokerRssAvgMb: number;
  /** CPU of the benchmark process (producer + consumer) over the phase, in % of one core. */
  clientCpuPercent: number;
}

export interface TimerRun {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memGiB: number;
    node: string;
    kernel: string;
    loadAvgStart: number[];
    loadAvgEnd: number[];
  };
  config: {
    count: number;
    leadMs: number;
    windowMs: number;
    inFlight: number;
    queues: number;
    bodyBytes: number;
    graceMs: number;
    seed: number;
    timerPrecisionMs: number;
    consumer: string;
  };
  send: { seconds: number; msgsPerSec: number; sentAfterDue: number; pendingAtFirstDue: boolean };
  delivery: {
    received: number;
    missing: number;
    duplicates: number;
    early: number;
    earliestMs: number;
    receivedBeforeFirstDue: number;
    timedOut: boolean;
    lastReceivedAfterLastDueMs: number;
    latenessVsDue: LatencySummary;
    latenessVsDueSecond: LatencySummary;
    dueSecondToStore: LatencySummary;
    storeToReceive: LatencySummary;
    /** Per due second: how many messages and how far apart the first and last delivered copy were stored. */
    slots: { seconds: number; messagesPerSecondAvg: number; storeSpanP50Ms: number; storeSpanMaxMs: number };
  };
  phases: PhaseStats[];
  brokerRssEndMb: number;
  failures: string[];
}

const START = '<!-- timer-bench:start -->';
const END = '<!-- timer-bench:end -->';

const ms = (us: number): string => (us / 1000).toFixed(us >= 100_000 ? 0 : 1);
const int = (n: number): string => n.toLocaleString('en-US');

function row(label: string, s: LatencySummary): string {
  return `| ${label} | ${ms(s.minUs)} | ${ms(s.p50Us)} | ${ms(s.p90Us)} | ${ms(s.p99Us)} | ${ms(s.p999Us)} | ${ms(s.maxUs)} | ${ms(s.avgUs)} |`;
}

export function renderSection(r: TimerRun, jsonPath: string): string {
  const m = r.machine;
  const c = r.config;
  const d = r.delivery;
  const lines = [
    '## Timer messages (delivery lateness)',
    '',
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:timer\` on ${m.cpus} × ${m.cpuModel.trim()}, ${m.memGiB} GiB RAM, ` +
      `${m.kernel}, Node ${m.node}. Load average ${m.loadAvgStart.join(' / ')} at the start, ${m.loadAvgEnd.join(' / ')} at the end ` +
      '(other work — test suites of concurrent sessions — shared the 2 cores; above ~1 the numbers include waiting for a core).',
    '',
    `Setup: the embedded server (\`rocketmq-ts start\`, NameServer + Broker in one process, ASYNC_FLUSH, timerPrecisionMs ` +
      `${c.timerPrecisionMs}) in its own process; one topic of ${c.queues} queues; ${int(c.count)} timer messages (\`deliverTimeMs\`, ` +
      `${c.bodyBytes}-byte bodies) sent with ${c.inFlight} sends in flight, due times uniform over ` +
      `[start + ${c.leadMs / 1000} s, start + ${(c.leadMs + c.windowMs) / 1000} s) in random order, so all of them are parked in ` +
      `the time wheel before the first is due. ${c.consumer}. Lateness = the consumer's Date.now() when the listener gets ` +
      'the message − its requested due time (same clock: one machine).',
    '',
    `Send: ${int(c.count)} timer messages in ${r.send.seconds.toFixed(1)} s = **${int(r.send.msgsPerSec)} msgs/s** ` +
      `(sync send, ${c.inFlight} in flight; timer messages cannot be batched). ` +
      `All pending before the first due time: ${r.send.pendingAtFirstDue ? 'yes' : `**no** (${r.send.sentAfterDue} sent after their due time)`}.`,
    '',
    `Delivered ${int(d.received)} / ${int(c.count)}; early: **${d.early}**; duplicates: ${d.duplicates}; missing: ${d.missing}; ` +
      `last one received ${(d.lastReceivedAfterLastDueMs / 1000).toFixed(1)} s after the last due time.`,
    '',
    '| lateness (ms) | min | p50 | p90 | p99 | p99.9 | max | mean |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row('**receive − due time**', d.latenessVsDue),
    row('receive − due time rounded up to the second', d.latenessVsDueSecond),
    row('↳ timer path: store time of the delivered copy − due second', d.dueSecondToStore),
    row('↳ consumer path: receive − store time of the delivered copy', d.storeToReceive),
    '',
    `Per due second (${d.slots.seconds} seconds, ${int(d.slots.messagesPerSecondAvg)} messages each on average), the wheel stored ` +
      `that second's copies over ${d.slots.storeSpanP50Ms} ms (median; max ${d.slots.storeSpanMaxMs} ms) from the first to the last.`,
    '',
    '| phase | seconds | broker CPU (% of a core) | broker CPU s | broker RSS avg MiB | broker RSS max MiB | client CPU (% of a core) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.phases.map(
      (p) => `| ${p.phase} | ${p.seconds.toFixed(1)} | ${p.brokerCpuPercent} | ${p.brokerCpuSeconds.toFixed(2)} | ${p.brokerRssAvgMb} | ${p.brokerRssMaxMb} | ${p.clientCpuPercent} |`,
    ),
    '',
    '"pending" is the wait between the last send and the first due time (100 % of the timers parked, nothing due); ' +
      '"delivery" runs from the first due time until the last message was received. Store timestamps have 1 ms resolution.',
  ];
  if (r.failures.length > 0) lines.push('', `**Checks failed:** ${r.failures.join('; ')}.`);
  lines.push('', `Raw JSON: \`${jsonPath}\`.`);
  return lines.join('\n');
}

export function updateTimerSection(current: string, section: string): string {
  const block = `${START}\n${section}\n${END}`;
  const a = current.indexOf(START);
  const b = current.indexOf(END);
  if (a >= 0 && b > a) return current.slice(0, a) + block + current.slice(b + END.length);
  return `${current.replace(/\s*$/, '')}\n\n${block}\n`;
}
