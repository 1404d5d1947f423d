// Flushing of the commit log: a periodic flush (ASYNC_FLUSH, PROTOCOL.md §7.2) and group commit for SYNC_FLUSH appends —
// one fdatasync covers every append waiting when it starts; a wait past syncFlushTimeout answers "timeout".
import type { MappedFileQueue } from '../mappedfile/mapped-file-queue.ts';
import type { Logger } from '../../common/logger.ts';
import { errorMessage } from '../../common/errors.ts';

const OS_PAGE_SIZE = 4096;

export interface FlushServiceOptions {
  /** Period of the background flush (ms). */
  intervalMs: number;
  /** Background flush only when this many 4 KiB pages are dirty (0 = any). */
  leastPages: number;
  /** A background flush ignores leastPages when the last full flush is this old (ms). */
  thoroughIntervalMs: number;
  /** Max wait of one waitFlushed call (ms). */
  syncFlushTimeoutMs: number;
  /** Called after each flush that moved the flushed offset. */
  onFlushed: (flushedOffset: number) => void;
  log: Logger;
}

interface Waiter {
  end: number;
  deadline: number;
  resolve: (flushed: boolean) => void;
}

/** Owns the flush timer and the group-commit queue of one MappedFileQueue. */
export class FlushService {
  #mfq: MappedFileQueue;
  #opts: FlushServiceOptions;
  #waiters: Waiter[] = [];
  #head = 0;
  #groupRunning = false;
  #periodicRunning = false;
  #interval: ReturnType<typeof setInterval> | undefined;
  #timeout: ReturnType<typeof setTimeout> | undefined;
  #lastThorough = Date.now();
  #stopped = false;
  #flushCount = 0;

  constructor(mfq: MappedFileQueue, opts: FlushServiceOptions) {
    this.#mfq = mfq;
    this.#opts = opts;
  }

  /** Flushes that reached the disk so far (group commits and periodic ones). */
  get flushCount(): number {
    return this.#flushCount;
  }

  /** Starts the periodic flush. */
  start(): void {
    this.#stopped = false;
    this.#lastThorough = Date.now();
    if (this.#interval === undefined) {
      this.#interval = setInterval(() => void this.#periodic(), this.#opts.intervalMs);
      // The owner's sockets keep a server alive; a forgotten shutdown (a failed test) must not hang the process.
      this.#interval.unref();
    }
  }

  /** Stops the timers, flushes everything and answers every waiter. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#interval !== undefined) clearInterval(this.#interval);
    this.#interval = undefined;
    try {
      await this.#flush();
    } catch (e) {
      this.#opts.log.error({ err: errorMessage(e) }, 'final commit-log flush failed');
    }
    this.#resolveFlushed(this.#mfq.flushedOffset);
    this.#expire(Number.POSITIVE_INFINITY);
  }

  /**
   * Resolves true once everything below `end` is fdatasync'ed, false when that takes longer than syncFlushTimeout
   * (the data stays appended). Starts a group commit if none is running.
   */
  waitFlushed(end: number): Promise<boolean> {
    if (end <= this.#mfq.flushedOffset) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.#waiters.push({ end, deadline: Date.now() + this.#opts.syncFlushTimeoutMs, resolve });
      this.#armTimeout();
      if (!this.#groupRunning) void this.#groupCommit();
    });
  }

  async #groupCommit(): Promise<void> {
    this.#groupRunning = true;
    try {
      while (this.#head < this.#waiters.length) {
        // One turn of the event loop first: appenders just answered by the previous round (and requests read from
        // sockets meanwhile) append before this fdatasync starts, so one sync covers them all.
        await new Promise<void>((resolve) => setImmediate(resolve));
        let flushed: number;
        try {
          flushed = await this.#flush();
        } catch (e) {
          this.#opts.log.error({ err: errorMessage(e) }, 'commit-log group commit failed');
          this.#expire(Number.POSITIVE_INFINITY);
          break;
        }
        this.#resolveFlushed(flushed);
      }
    } finally {
      this.#groupRunning = false;
    }
  }

  async #flush(): Promise<number> {
    const before = this.#mfq.flushedOffset;
    const flushed = await this.#mfq.flush();
    if (flushed > before) {
      this.#flushCount++;
      this.#opts.onFlushed(flushed);
    }
    return flushed;
  }

  async #periodic(): Promise<void> {
    if (this.#periodicRunning || this.#stopped) return;
    const now = Date.now();
    const thorough = now - this.#lastThorough >= this.#opts.thoroughIntervalMs;
    const least = thorough ? 0 : this.#opts.leastPages;
    const max = this.#mfq.maxOffset;
    const flushed = this.#mfq.flushedOffset;
    if (max <= flushed) return;
    if (least > 0 && Math.floor(max / OS_PAGE_SIZE) - Math.floor(flushed / OS_PAGE_SIZE) < least) return;
    if (thorough) this.#lastThorough = now;
    this.#periodicRunning = true;
    try {
      this.#resolveFlushed(await this.#flush());
    } catch (e) {
      this.#opts.log.error({ err: errorMessage(e) }, 'commit-log flush failed');
    } finally {
      this.#periodicRunning = false;
    }
  }

  #resolveFlushed(flushed: number): void {
    while (this.#head < this.#waiters.length && this.#waiters[this.#head].end <= flushed) {
      this.#waiters[this.#head++].resolve(true);
    }
    this.#compact();
  }

  /** Answers false to every waiter whose deadline is ≤ `now`. */
  #expire(now: number): void {
    while (this.#head < this.#waiters.length && this.#waiters[this.#head].deadline <= now) {
      this.#waiters[this.#head++].resolve(false);
    }
    this.#compact();
  }

  #compact(): void {
    if (this.#head === this.#waiters.length) {
      this.#waiters = [];
      this.#head = 0;
      if (this.#timeout !== undefined) clearTimeout(this.#timeout);
      this.#timeout = undefined;
    } else if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
  }

  #armTimeout(): void {
    if (this.#timeout !== undefined || this.#head >= this.#waiters.length) return;
    const delay = Math.max(0, this.#waiters[this.#head].deadline - Date.now());
    this.#timeout = setTimeout(() => {
      this.#timeout = undefined;
      this.#expire(Date.now());
      this.#armTimeout();
    }, delay);
  }
}
