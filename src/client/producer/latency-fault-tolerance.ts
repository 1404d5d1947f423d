// Latency fault tolerance (Java MQFaultStrategy / LatencyFaultToleranceImpl): a broker that failed, or answered slowly,
// is skipped for a while when choosing a queue. Thresholds are Java's defaults.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

/** Latency thresholds (ms) … */
export const DEFAULT_LATENCY_MAX: readonly number[] = [50, 100, 550, 1_000, 2_000, 3_000, 15_000];
/** … and how long (ms) a broker at or above each threshold is avoided. */
export const DEFAULT_NOT_AVAILABLE_DURATION: readonly number[] = [0, 0, 30_000, 60_000, 120_000, 180_000, 600_000];
/** Latency charged to a broker that failed outright (no reply / refused): Java 5.x uses 10 s → avoided 180 s. */
export const ISOLATION_LATENCY_MS = 10_000;

export interface LatencyFaultToleranceOptions {
  latencyMax?: readonly number[];
  notAvailableDuration?: readonly number[];
  now?: () => number;
}

interface FaultItem {
  latency: number;
  availableAt: number;
}

export class LatencyFaultTolerance {
  readonly #latencyMax: readonly number[];
  readonly #duration: readonly number[];
  readonly #now: () => number;
  readonly #items = new Map<string, FaultItem>();

  constructor(options: LatencyFaultToleranceOptions = {}) {
    this.#latencyMax = options.latencyMax ?? DEFAULT_LATENCY_MAX;
    this.#duration = options.notAvailableDuration ?? DEFAULT_NOT_AVAILABLE_DURATION;
    if (this.#latencyMax.length !== this.#duration.length) {
      throw new RocketMQError(ERROR_CODES.CONFIG, 'latencyMax and notAvailableDuration must have the same length');
    }
    this.#now = options.now ?? Date.now;
  }

  /** Record one call to `brokerName` that took `latencyMs`; `isolation` marks an outright failure. */
  update(brokerName: string, latencyMs: number, isolation: boolean): void {
    const latency = isolation ? ISOLATION_LATENCY_MS : latencyMs;
    const avoidFor = this.notAvailableDurationFor(latency);
    this.#items.set(brokerName, { latency, availableAt: this.#now() + avoidFor });
  }

  /** How long a broker with this latency is avoided. */
  notAvailableDurationFor(latencyMs: number): number {
    for (let i = this.#latencyMax.length - 1; i >= 0; i--) {
      if (latencyMs >= this.#latencyMax[i]) return this.#duration[i];
    }
    return 0;
  }

  isAvailable(brokerName: string): boolean {
    const item = this.#items.get(brokerName);
    return item === undefined || this.#now() >= item.availableAt;
  }

  remove(brokerName: string): void {
    this.#items.delete(brokerName);
  }

  /** Of the given brokers, the one that becomes available first (then lowest latency); undefined if none is tracked. */
  leastBad(brokerNames: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestItem: FaultItem | undefined;
    for (const name of brokerNames) {
      const item = this.#items.get(name);
      if (!item) return name;
      if (!bestItem || item.availableAt < bestItem.availableAt || (item.availableAt === bestItem.availableAt && item.latency < bestItem.latency)) {
        best = name;
        bestItem = item;
      }
    }
    return best;
  }
}
