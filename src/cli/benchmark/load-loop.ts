// A closed-loop load generator: keeps `window` operations in flight until a count or a duration is reached, records
// each operation's latency, and reports progress every interval. Used by `rocketmq-ts benchmark` and by the peer
// comparison drivers (bench/compare), so every system is driven by the same loop.
import { LatencyRecorder, elapsedUs } from './latency.ts';
import type { LatencySummary } from './latency.ts';

export interface ProgressSample {
  /** Seconds since the measured phase began (negative during warm-up). */
  elapsedSec: number;
  /** Messages per second over the last interval. */
  tps: number;
  /** Operations (requests) per second over the last interval. */
  ops: number;
  avgRtMs: number;
  p99RtMs: number;
  maxRtMs: number;
  /** Failures so far in the measured phase. */
  failures: number;
  /** Messages completed in the measured phase. */
  total: number;
  warmup: boolean;
}

export interface LoadResult {
  /** Messages completed (operations × messages per operation). */
  messages: number;
  operations: number;
  failures: number;
  seconds: number;
  msgsPerSec: number;
  opsPerSec: number;
  /** Latency of one operation (one request; for a batch, the whole batch). */
  latency: LatencySummary;
  /** CPU time of this process in the measured phase, µs. */
  cpuUs: number;
  /** First failure messages (at most 5). */
  errors: string[];
}

export interface LoadOptions {
  /** Operations in flight at once (≥ 1). */
  window: number;
  /** Stop after this many measured operations; 0 or undefined = run for durationMs. */
  operations?: number;
  /** Measured duration when no operation count is given (default 10 s). */
  durationMs?: number;
  /** Unmeasured warm-up before the measured phase (default 0). */
  warmupMs?: number;
  /** Messages one operation carries (batch size), default 1. */
  messagesPerOp?: number;
  /** Progress interval, default 1000 ms. */
  intervalMs?: number;
  onProgress?: (p: ProgressSample) => void;
  /** Called when warm-up ends and measuring starts (peer drivers sample server CPU here). */
  onMeasureStart?: () => void;
  /** Called when the last measured operation completed. */
  onMeasureEnd?: () => void;
  signal?: AbortSignal;
}

/** One operation; `seq` counts from 0. Reject to count a failure. */
export type Operation = (seq: number) => Promise<unknown>;

function cpuNowUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

export function runLoad(op: Operation, o: LoadOptions): Promise<LoadResult> {
  const window = Math.max(1, Math.floor(o.window));
  const perOp = o.messagesPerOp ?? 1;
  const maxOps = o.operations !== undefined && o.operations > 0 ? o.operations : Infinity;
  const durationUs = maxOps === Infinity ? (o.durationMs ?? 10_000) * 1000 : Infinity;
  const warmupUs = (o.warmupMs ?? 0) * 1000;
  const intervalMs = o.intervalMs ?? 1000;
  const rec = new LatencyRecorder();
  const errors: string[] = [];
  const t0 = process.hrtime.bigint();
  let measuring = warmupUs === 0;
  let measureStartUs = 0;
  let cpuStart = 0;
  let lastCompletionUs = 0;
  let issued = 0;
  let measuredIssued = 0;
  let inFlight = 0;
  let okOps = 0;
  let failures = 0;
  let intervalOps = 0;
  let intervalStartUs = 0;
  let done = false;

  const beginMeasure = (nowUs: number): void => {
    measuring = true;
    measureStartUs = nowUs;
    lastCompletionUs = nowUs;
    intervalStartUs = nowUs;
    intervalOps = 0;
    rec.reset();
    cpuStart = cpuNowUs();
    o.onMeasureStart?.();
  };
  if (measuring) beginMeasure(0);

  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = elapsedUs(t0);
      const span = Math.max(1, now - intervalStartUs) / 1e6;
      const lat = rec.takeInterval();
      o.onProgress?.({
        elapsedSec: measuring ? (now - measureStartUs) / 1e6 : (now - warmupUs) / 1e6,
        tps: Math.round((intervalOps * perOp) / span),
        ops: Math.round(intervalOps / span),
        avgRtMs: lat.avgUs / 1000,
        p99RtMs: lat.p99Us / 1000,
        maxRtMs: lat.maxUs / 1000,
        failures,
        total: okOps * perOp,
        warmup: !measuring,
      });
      intervalOps = 0;
      intervalStartUs = now;
    }, intervalMs);

    const finish = (): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      const cpuUs = cpuNowUs() - cpuStart;
      o.onMeasureEnd?.();
      const seconds = Math.max(1e-6, (lastCompletionUs - measureStartUs) / 1e6);
      resolve({
        messages: okOps * perOp,
        operations: okOps,
        failures,
        seconds,
        msgsPerSec: Math.round((okOps * perOp) / seconds),
        opsPerSec: Math.round(okOps / seconds),
        latency: rec.total(),
        cpuUs,
        errors,
      });
    };

    const stopIssuing = (nowUs: number): boolean =>
      o.signal?.aborted === true || (measuring && (measuredIssued >= maxOps || nowUs - measureStartUs >= durationUs));

    const launch = (): void => {
      while (inFlight < window) {
        const now = elapsedUs(t0);
        if (!measuring && now >= warmupUs) beginMeasure(now);
        if (stopIssuing(now)) break;
        const seq = issued++;
        const counted = measuring;
        if (counted) measuredIssued++;
        inFlight++;
        const start = process.hrtime.bigint();
        let p: Promise<unknown>;
        try {
          p = op(seq);
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(
          () => complete(start, counted, undefined),
          (e: unknown) => complete(start, counted, e),
        );
      }
      if (inFlight === 0) finish();
    };

    const complete = (start: bigint, counted: boolean, err: unknown): void => {
      inFlight--;
      const us = elapsedUs(start);
      if (counted && measuring) {
        lastCompletionUs = elapsedUs(t0);
        if (err === undefined) {
          okOps++;
          intervalOps++;
          rec.record(us);
        } else {
          failures++;
          if (errors.length < 5) errors.push(err instanceof Error ? err.message : String(err));
        }
      }
      // Re-enter the loop on a fresh tick every so often so a synchronous-completing op cannot starve timers.
      if ((issued & 1023) === 0) setImmediate(launch);
      else launch();
    };

    launch();
  });
}
