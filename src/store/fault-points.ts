// Named fault points that store tests switch on to simulate a crash at a chosen moment of a file write.
// Once a crash point fires, the owning file layer behaves like a killed process: nothing more reaches the disk.

export const FaultPoint = {
  /** The next file write puts only the first half of its bytes on disk, then the store "crashes". */
  SHORT_WRITE: 'shortWrite',
  /**
   * The next write to the file (a flush, or the background write of a full chunk) writes nothing: buffered appends
   * never reach the file; the store "crashes".
   */
  CRASH_BEFORE_FLUSH: 'crashBeforeFlush',
  /** The next file write ends in the middle of its last record (a torn record), then the store "crashes". */
  CRASH_MID_RECORD: 'crashMidRecord',
  /** Every fdatasync stalls for `delayMs` (set with `enable(name, { delayMs })`); not a crash. */
  SLOW_FSYNC: 'slowFsync',
} as const;
export type FaultPoint = (typeof FaultPoint)[keyof typeof FaultPoint];

export interface FaultOptions {
  /** For SLOW_FSYNC: stall per fdatasync (ms). */
  delayMs?: number;
  /** Fire only after this many passes through the point (default 0: the next pass fires). */
  skip?: number;
}

/** A switchboard of fault points shared by the file layers of one store. */
export class FaultPoints {
  #enabled = new Map<FaultPoint, FaultOptions & { passes: number }>();
  #crashed = false;
  #fired: FaultPoint[] = [];

  /** Arms a fault point. */
  enable(name: FaultPoint, opts: FaultOptions = {}): this {
    this.#enabled.set(name, { ...opts, passes: 0 });
    return this;
  }

  /** Disarms a fault point. */
  disable(name: FaultPoint): this {
    this.#enabled.delete(name);
    return this;
  }

  /** True when the point is armed (without counting a pass). */
  isEnabled(name: FaultPoint): boolean {
    return this.#enabled.has(name);
  }

  /** Options of an armed point, or undefined. */
  options(name: FaultPoint): FaultOptions | undefined {
    return this.#enabled.get(name);
  }

  /**
   * Counts one pass through an armed point; true when it fires now. Crash points disarm themselves and mark the
   * switchboard crashed; SLOW_FSYNC stays armed.
   */
  fire(name: FaultPoint): boolean {
    const e = this.#enabled.get(name);
    if (e === undefined) return false;
    e.passes++;
    if (e.passes <= (e.skip ?? 0)) return false;
    if (name !== FaultPoint.SLOW_FSYNC) {
      this.#enabled.delete(name);
      this.#crashed = true;
    }
    this.#fired.push(name);
    return true;
  }

  /** True once a crash point fired: file layers must not touch the disk any more. */
  get crashed(): boolean {
    return this.#crashed;
  }

  /** Points that fired, in order (for test assertions). */
  get fired(): readonly FaultPoint[] {
    return this.#fired;
  }
}
