// Latency recording for the benchmark tools: an HdrHistogram of the whole measured run plus one per progress interval.
// Values are microseconds; three significant digits, so percentiles are within 0.1 %.
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

const HIGHEST_US = 120_000_000;

export interface LatencySummary {
  count: number;
  minUs: number;
  avgUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
}

function newHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3 });
}

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, minUs: 0, avgUs: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0 };
  return {
    count: h.totalCount,
    minUs: h.minNonZeroValue,
    avgUs: Math.round(h.mean),
    p50Us: h.getValueAtPercentile(50),
    p90Us: h.getValueAtPercentile(90),
    p99Us: h.getValueAtPercentile(99),
    p999Us: h.getValueAtPercentile(99.9),
    maxUs: h.maxValue,
  };
}

export class LatencyRecorder {
  #total = newHistogram();
  #interval = newHistogram();

  record(us: number): void {
    const v = Math.min(HIGHEST_US, Math.max(1, Math.round(us)));
    this.#total.recordValue(v);
    this.#interval.recordValue(v);
  }

  /** Summary since the last call; starts a new interval. */
  takeInterval(): LatencySummary {
    const s = summarize(this.#interval);
    this.#interval.reset();
    return s;
  }

  total(): LatencySummary {
    return summarize(this.#total);
  }

  reset(): void {
    this.#total.reset();
    this.#interval.reset();
  }
}

/** Microseconds since `startNs` (a process.hrtime.bigint() reading). */
export function elapsedUs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1000;
}
