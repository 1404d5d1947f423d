// Counters for a future metrics endpoint: totals plus a per-second rate over the last few whole seconds.

/** Events per second over a sliding window of whole seconds (the current, partial second is not counted). */
export class RateMeter {
  readonly #now: () => number;
  readonly #windowSec: number;
  readonly #buckets: number[];
  #bucketSec = 0;
  #total = 0;

  constructor(now: () => number = Date.now, windowSec = 10) {
    this.#now = now;
    this.#windowSec = windowSec;
    this.#buckets = new Array<number>(windowSec + 1).fill(0);
  }

  mark(n = 1): void {
    this.#advance();
    this.#buckets[this.#bucketSec % this.#buckets.length] += n;
    this.#total += n;
  }

  get total(): number {
    return this.#total;
  }

  /** Average events/s over the last `windowSec` complete seconds. */
  ratePerSecond(): number {
    this.#advance();
    let sum = 0;
    for (let s = this.#bucketSec - this.#windowSec; s < this.#bucketSec; s++) sum += this.#buckets[((s % this.#buckets.length) + this.#buckets.length) % this.#buckets.length];
    return sum / this.#windowSec;
  }

  #advance(): void {
    const sec = Math.floor(this.#now() / 1000);
    if (sec <= this.#bucketSec) return;
    const steps = Math.min(sec - this.#bucketSec, this.#buckets.length);
    for (let i = 1; i <= steps; i++) this.#buckets[(this.#bucketSec + i) % this.#buckets.length] = 0;
    this.#bucketSec = sec;
  }
}

export interface NamesrvStats {
  /** Live broker addresses (masters and slaves). */
  brokers: number;
  /** Topics with at least one broker. */
  topics: number;
  /** Open connections to this NameServer (brokers, clients, admin tools). */
  connections: number;
  routeQueriesTotal: number;
  routeQueriesPerSecond: number;
  registrationsTotal: number;
  registrationsPerSecond: number;
}
