// Text output of the benchmark tools: the per-second progress line and the final summary (HDR percentiles).
import type { LatencySummary } from './latency.ts';
import type { LoadResult, ProgressSample } from './load-loop.ts';

const ms = (us: number): string => (us / 1000).toFixed(3);

export function progressLine(p: ProgressSample, unit = 'Send'): string {
  const phase = p.warmup ? ' (warm-up)' : '';
  return (
    `[${p.elapsedSec.toFixed(0).padStart(4)}s]${phase} ${unit} TPS: ${p.tps} | Average RT(ms): ${p.avgRtMs.toFixed(3)} | ` +
    `p99 RT(ms): ${p.p99RtMs.toFixed(3)} | Max RT(ms): ${p.maxRtMs.toFixed(3)} | Failed: ${p.failures} | Total: ${p.total}`
  );
}

export function latencyLines(title: string, l: LatencySummary): string[] {
  return [
    `${title} (ms): min ${ms(l.minUs)}  avg ${ms(l.avgUs)}  p50 ${ms(l.p50Us)}  p90 ${ms(l.p90Us)}  p99 ${ms(l.p99Us)}  ` +
      `p99.9 ${ms(l.p999Us)}  max ${ms(l.maxUs)}  (n=${l.count})`,
  ];
}

export function loadSummary(title: string, r: LoadResult, extra: readonly string[] = []): string {
  const lines = [
    `=== ${title} ===`,
    `messages ${r.messages} in ${r.seconds.toFixed(2)} s: ${r.msgsPerSec} msgs/s (${r.opsPerSec} requests/s), failures ${r.failures}`,
    ...latencyLines('RT per request', r.latency),
    `client CPU: ${r.messages > 0 ? (r.cpuUs / r.messages).toFixed(2) : '-'} µs per message`,
    ...extra,
  ];
  if (r.errors.length > 0) lines.push(`first errors: ${r.errors.join(' | ')}`);
  return lines.join('\n');
}
