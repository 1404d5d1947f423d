// Per-queue cache of pulled, not yet consumed messages (Java ProcessQueue). The offset it reports for commit is the
// smallest offset still in flight, or one past the highest pulled when nothing is left, so committing it never skips
// a message that was not consumed and never re-delivers one that was (rocketmq#7182).
import type { MessageExt } from './message-ext.ts';

export class ProcessQueue {
  /** Cached messages by queue offset; insertion order = offset order (pulls return increasing offsets). */
  #msgs = new Map<number, MessageExt>();
  /** Orderly: messages taken for the listener but not committed yet. */
  #consumingOrderly = new Map<number, MessageExt>();
  /** When the listener got each in-flight message (concurrent consume timeout). */
  readonly #consumeStart = new Map<number, number>();
  #msgSize = 0;
  #queueOffsetMax = 0;
  dropped = false;
  /** Orderly: the broker lock is held. */
  locked = false;
  lastLockTimestamp = 0;
  lastPullTimestamp = Date.now();
  lastConsumeTimestamp = Date.now();
  /** Orderly: a consume loop is running for this queue. */
  consuming = false;
  /** Aborted when the queue is dropped: wakes up pull back-off sleeps. */
  readonly abort = new AbortController();

  get msgCount(): number {
    return this.#msgs.size + this.#consumingOrderly.size;
  }

  /** Bytes of cached bodies. */
  get msgSize(): number {
    return this.#msgSize;
  }

  get queueOffsetMax(): number {
    return this.#queueOffsetMax;
  }

  /** Cache messages; returns the ones that were new. For orderly, `dispatch` says whether a consume loop must start. */
  putMessages(msgs: readonly MessageExt[]): { added: MessageExt[]; dispatch: boolean } {
    const added: MessageExt[] = [];
    for (const m of msgs) {
      if (this.#msgs.has(m.queueOffset) || this.#consumingOrderly.has(m.queueOffset)) continue;
      this.#msgs.set(m.queueOffset, m);
      this.#msgSize += m.body.length;
      added.push(m);
      if (m.queueOffset > this.#queueOffsetMax) this.#queueOffsetMax = m.queueOffset;
    }
    const dispatch = this.#msgs.size > 0 && !this.consuming;
    if (dispatch) this.consuming = true;
    return { added, dispatch };
  }

  /**
   * Every offset below `nextBeginOffset` is either cached or was filtered out: once the cache drains, the commit
   * offset is nextBeginOffset (filtered-out tails are not re-pulled after a restart).
   */
  advanceTo(nextBeginOffset: number): void {
    if (nextBeginOffset - 1 > this.#queueOffsetMax) this.#queueOffsetMax = nextBeginOffset - 1;
  }

  /** Distance between the highest and lowest cached offsets (consumeConcurrentlyMaxSpan). */
  maxSpan(): number {
    if (this.#msgs.size === 0) return 0;
    return this.#lastKey() - this.#firstKey();
  }

  #firstKey(): number {
    let min = Infinity;
    for (const k of this.#msgs.keys()) {
      min = k;
      break;
    }
    return min;
  }

  #lastKey(): number {
    let max = -Infinity;
    for (const k of this.#msgs.keys()) if (k > max) max = k;
    return max;
  }

  markConsumeStart(msgs: readonly MessageExt[], now = Date.now()): void {
    for (const m of msgs) this.#consumeStart.set(m.queueOffset, now);
  }

  /** Cached messages handed to the listener before `deadline` and still not finished, lowest offset first. */
  expiredInFlight(deadline: number): MessageExt[] {
    const out: MessageExt[] = [];
    for (const [offset, m] of this.#msgs) {
      const started = this.#consumeStart.get(offset);
      if (started !== undefined && started < deadline) out.push(m);
    }
    return out;
  }

  /**
   * Forget consumed messages; returns the offset to commit: the lowest offset still cached, or queueOffsetMax + 1
   * when none is left; -1 when the cache was already empty (nothing to commit).
   */
  removeMessages(msgs: readonly MessageExt[]): number {
    if (this.#msgs.size === 0) return -1;
    for (const m of msgs) {
      const had = this.#msgs.get(m.queueOffset);
      if (had === undefined) continue;
      this.#msgs.delete(m.queueOffset);
      this.#consumeStart.delete(m.queueOffset);
      this.#msgSize -= had.body.length;
    }
    return this.#msgs.size > 0 ? this.#firstKey() : this.#queueOffsetMax + 1;
  }

  /** The offset a commit would store now (see removeMessages), or -1 with nothing cached. */
  commitOffset(): number {
    if (this.#msgs.size === 0 && this.#consumingOrderly.size === 0) return -1;
    let min = Infinity;
    for (const k of this.#consumingOrderly.keys()) if (k < min) min = k;
    if (this.#msgs.size > 0) min = Math.min(min, this.#firstKey());
    return min;
  }

  /** The message at `offset` is cached and not finished. */
  contains(offset: number): boolean {
    return this.#msgs.has(offset) || this.#consumingOrderly.has(offset);
  }

  hasCached(): boolean {
    return this.#msgs.size > 0;
  }

  /** Drop every cached message (seek, offset moved). */
  clear(): void {
    this.#msgs.clear();
    this.#consumingOrderly.clear();
    this.#consumeStart.clear();
    this.#msgSize = 0;
  }

  // ---- orderly ----

  /** Take up to `n` messages, lowest offsets first, into the "consuming" set. */
  takeMessages(n: number): MessageExt[] {
    const out: MessageExt[] = [];
    for (const [offset, m] of this.#msgs) {
      if (out.length >= n) break;
      out.push(m);
      this.#consumingOrderly.set(offset, m);
    }
    for (const m of out) this.#msgs.delete(m.queueOffset);
    if (out.length === 0) this.consuming = false;
    return out;
  }

  /** The taken messages were consumed: returns the offset to commit (highest taken + 1), or -1 if none was taken. */
  commitOrderly(): number {
    if (this.#consumingOrderly.size === 0) return -1;
    let max = -1;
    for (const [offset, m] of this.#consumingOrderly) {
      if (offset > max) max = offset;
      this.#msgSize -= m.body.length;
    }
    this.#consumingOrderly.clear();
    return max + 1;
  }

  /** Put taken messages back in front of the cache to consume them again (orderly local retry). */
  rollbackOrderly(): void {
    if (this.#consumingOrderly.size === 0) return;
    const merged = new Map([...this.#consumingOrderly].sort((a, b) => a[0] - b[0]));
    for (const [k, v] of this.#msgs) merged.set(k, v);
    this.#msgs = merged;
    this.#consumingOrderly = new Map();
  }

  /** Orderly: the broker lock is older than `maxLiveMs` (30 s by default) and must be treated as lost. */
  isLockExpired(maxLiveMs: number, now = Date.now()): boolean {
    return now - this.lastLockTimestamp > maxLiveMs;
  }
}
