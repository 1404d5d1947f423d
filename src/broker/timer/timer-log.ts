// The timer log (store/timerlog/): append-only, fixed-size records in segment files named by their first byte's global
// position (20 digits, like commit-log segments). Each record is one pending timer: which wheel slot (second) it is
// linked into, its real deliver time, the parked message's commit-log offset/size and timer-queue offset, and `prevPos`,
// the previous record linked into the same slot (a backward linked list whose head the wheel slot holds).
//
// Record layout (56 bytes, big-endian): int32 magic @0, int32 flags @4, int64 prevPos @8 (−1 = end), int64 slotTimeMs
// @16, int64 deliverMs @24, int64 commitLogOffset @32, int64 timerQueueOffset @40, int32 msgSize @48, int32 0 @52.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { readInt64, writeInt64 } from '../../common/message/int64.ts';

export const TIMER_LOG_RECORD_SIZE = 56;
const MAGIC = 0x544d5231; // "TMR1"

/** LINKED: enqueued into its slot; PROGRESS: delivered at once (only records enqueue progress); ROLLED: re-linked. */
export const TimerLogFlag = { LINKED: 0, PROGRESS: 1, ROLLED: 2 } as const;
export type TimerLogFlag = (typeof TimerLogFlag)[keyof typeof TimerLogFlag];

export interface TimerLogRecord {
  flags: TimerLogFlag;
  prevPos: number;
  slotTimeMs: number;
  deliverMs: number;
  commitLogOffset: number;
  timerQueueOffset: number;
  msgSize: number;
}

interface Segment {
  base: number;
  fd: number;
  /** Bytes of whole records written. */
  length: number;
  maxDeliverMs: number;
  dirty: boolean;
}

function encode(r: TimerLogRecord, buf: Buffer): void {
  buf.writeInt32BE(MAGIC, 0);
  buf.writeInt32BE(r.flags, 4);
  writeInt64(buf, r.prevPos, 8);
  writeInt64(buf, r.slotTimeMs, 16);
  writeInt64(buf, r.deliverMs, 24);
  writeInt64(buf, r.commitLogOffset, 32);
  writeInt64(buf, r.timerQueueOffset, 40);
  buf.writeInt32BE(r.msgSize, 48);
  buf.writeInt32BE(0, 52);
}

function decode(buf: Buffer, at = 0): TimerLogRecord | undefined {
  if (buf.length < at + TIMER_LOG_RECORD_SIZE || buf.readInt32BE(at) !== MAGIC) return undefined;
  const flags = buf.readInt32BE(at + 4);
  if (flags !== 0 && flags !== 1 && flags !== 2) return undefined;
  return {
    flags,
    prevPos: readInt64(buf, at + 8),
    slotTimeMs: readInt64(buf, at + 16),
    deliverMs: readInt64(buf, at + 24),
    commitLogOffset: readInt64(buf, at + 32),
    timerQueueOffset: readInt64(buf, at + 40),
    msgSize: buf.readInt32BE(at + 48),
  };
}

function segmentName(base: number): string {
  return String(base).padStart(20, '0');
}

export class TimerLog {
  readonly dir: string;
  readonly segmentSize: number;
  #segments: Segment[] = [];
  readonly #scratch = Buffer.alloc(TIMER_LOG_RECORD_SIZE);

  /** `segmentSize` is rounded down to whole records. */
  constructor(dir: string, segmentSize: number) {
    this.dir = dir;
    this.segmentSize = Math.max(1, Math.floor(segmentSize / TIMER_LOG_RECORD_SIZE)) * TIMER_LOG_RECORD_SIZE;
  }

  /** Opens every segment; the last one is cut back to its last whole, valid record (a torn tail write). */
  load(): void {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir).filter((n) => /^\d{20}$/.test(n)).sort();
    for (const name of names) {
      const base = Number(name);
      const fd = openSync(join(this.dir, name), 'r+');
      const size = fstatSync(fd).size;
      this.#segments.push({ base, fd, length: size - (size % TIMER_LOG_RECORD_SIZE), maxDeliverMs: 0, dirty: false });
    }
    for (const s of this.#segments) this.#scan(s, s === this.#segments.at(-1));
  }

  /** Reads a segment to learn its latest deliver time; on the last segment, stops at the first invalid record. */
  #scan(s: Segment, truncate: boolean): void {
    const chunk = Buffer.alloc(TIMER_LOG_RECORD_SIZE * 8192);
    for (let at = 0; at < s.length; ) {
      const n = readSync(s.fd, chunk, 0, Math.min(chunk.length, s.length - at), at);
      if (n <= 0) break;
      for (let i = 0; i + TIMER_LOG_RECORD_SIZE <= n; i += TIMER_LOG_RECORD_SIZE) {
        const r = decode(chunk, i);
        if (r === undefined) {
          if (truncate) {
            s.length = at + i;
            ftruncateSync(s.fd, s.length);
            return;
          }
          continue;
        }
        if (r.deliverMs > s.maxDeliverMs) s.maxDeliverMs = r.deliverMs;
      }
      at += n;
    }
    if (truncate && fstatSync(s.fd).size !== s.length) ftruncateSync(s.fd, s.length);
  }

  /** Global position one past the last record (0 when empty). */
  get endPos(): number {
    const last = this.#segments.at(-1);
    return last === undefined ? 0 : last.base + last.length;
  }

  /** Global position of the first record still on disk. */
  get startPos(): number {
    return this.#segments[0]?.base ?? 0;
  }

  get segmentCount(): number {
    return this.#segments.length;
  }

  /** Appends a record; returns its position. */
  append(r: TimerLogRecord): number {
    let s = this.#segments.at(-1);
    if (s === undefined || s.length + TIMER_LOG_RECORD_SIZE > this.segmentSize) {
      const base = s === undefined ? 0 : s.base + this.segmentSize;
      const fd = openSync(join(this.dir, segmentName(base)), 'w+');
      s = { base, fd, length: 0, maxDeliverMs: 0, dirty: false };
      this.#segments.push(s);
    }
    encode(r, this.#scratch);
    const written = writeSync(s.fd, this.#scratch, 0, TIMER_LOG_RECORD_SIZE, s.length);
    if (written !== TIMER_LOG_RECORD_SIZE) {
      throw new RocketMQError(ERROR_CODES.STORE, `short write to timer log ${segmentName(s.base)}: ${written} bytes`);
    }
    const pos = s.base + s.length;
    s.length += TIMER_LOG_RECORD_SIZE;
    s.dirty = true;
    if (r.deliverMs > s.maxDeliverMs) s.maxDeliverMs = r.deliverMs;
    return pos;
  }

  /** The record at `pos`, or undefined (deleted segment, out of range, invalid). */
  read(pos: number): TimerLogRecord | undefined {
    if (pos < 0 || pos % TIMER_LOG_RECORD_SIZE !== 0) return undefined;
    const s = this.#segmentOf(pos);
    if (s === undefined || pos - s.base + TIMER_LOG_RECORD_SIZE > s.length) return undefined;
    const n = readSync(s.fd, this.#scratch, 0, TIMER_LOG_RECORD_SIZE, pos - s.base);
    return n === TIMER_LOG_RECORD_SIZE ? decode(this.#scratch) : undefined;
  }

  #segmentOf(pos: number): Segment | undefined {
    const segs = this.#segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = segs[mid];
      if (pos < s.base) hi = mid - 1;
      else if (pos >= s.base + this.segmentSize) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /** Newest record (and its position) matching `pred`, walking back at most `limit` records. */
  findLast(pred: (r: TimerLogRecord) => boolean, limit = Number.POSITIVE_INFINITY): { pos: number; record: TimerLogRecord } | undefined {
    let seen = 0;
    for (let pos = this.endPos - TIMER_LOG_RECORD_SIZE; pos >= this.startPos && seen < limit; pos -= TIMER_LOG_RECORD_SIZE, seen++) {
      const r = this.read(pos);
      if (r !== undefined && pred(r)) return { pos, record: r };
    }
    return undefined;
  }

  /** Deletes whole segments (never the active one) whose every record is due before `readTimeMs` (already handled). */
  deleteSegmentsDueBefore(readTimeMs: number): number {
    let n = 0;
    while (this.#segments.length > 1 && this.#segments[0].maxDeliverMs < readTimeMs) {
      const s = this.#segments.shift();
      if (s === undefined) break;
      closeSync(s.fd);
      rmSync(join(this.dir, segmentName(s.base)), { force: true });
      n++;
    }
    return n;
  }

  flush(): void {
    for (const s of this.#segments) {
      if (!s.dirty) continue;
      fsyncSync(s.fd);
      s.dirty = false;
    }
  }

  close(): void {
    for (const s of this.#segments) closeSync(s.fd);
    this.#segments = [];
  }
}
