// The time wheel (store/timerwheel): one 24-byte slot per precision step (1 s) over a fixed horizon, slot index =
// (timeMs / precisionMs) mod slotCount. A slot holds the second it currently belongs to, the position of the newest
// timer-log record linked into it (the head of a backward list) and how many records were linked. A slot whose
// time is not the second asked about is stale (left from an earlier lap) and reads as empty.
//
// Slot layout (big-endian): int64 timeMs @0 (0 = never used), int64 lastPos @8 (−1 = empty), int32 count @16, int32 0 @20.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { readInt64, writeInt64 } from '../../common/message/int64.ts';

export const TIMER_WHEEL_SLOT_SIZE = 24;

export interface TimerSlot {
  timeMs: number;
  lastPos: number;
  count: number;
}

export class TimerWheel {
  readonly path: string;
  readonly slotCount: number;
  readonly precisionMs: number;
  #fd: number | undefined;
  #dirty = false;
  readonly #buf = Buffer.alloc(TIMER_WHEEL_SLOT_SIZE);

  constructor(path: string, slotCount: number, precisionMs: number) {
    if (!Number.isInteger(slotCount) || slotCount <= 0) {
      throw new RocketMQError(ERROR_CODES.CONFIG, `timer wheel needs a positive slot count, got ${slotCount}`);
    }
    this.path = path;
    this.slotCount = slotCount;
    this.precisionMs = precisionMs;
  }

  /** Opens (or creates, sparse) the wheel file. A file of another size was made for another horizon: refused. */
  load(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a+');
    closeSync(fd);
    this.#fd = openSync(this.path, 'r+');
    const want = this.slotCount * TIMER_WHEEL_SLOT_SIZE;
    const size = fstatSync(this.#fd).size;
    if (size === 0) ftruncateSync(this.#fd, want);
    else if (size !== want) {
      closeSync(this.#fd);
      this.#fd = undefined;
      throw new RocketMQError(
        ERROR_CODES.CONFIG,
        `${this.path} has ${size / TIMER_WHEEL_SLOT_SIZE} slots but timerMaxDelaySec/timerPrecisionMs need ${this.slotCount}; ` +
          'deliver or move the pending timers before changing them',
      );
    }
  }

  #index(timeMs: number): number {
    const step = Math.floor(timeMs / this.precisionMs);
    return ((step % this.slotCount) + this.slotCount) % this.slotCount;
  }

  #open(): number {
    if (this.#fd === undefined) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'timer wheel is not loaded');
    return this.#fd;
  }

  /** The slot for `timeMs` (a stale slot reads as empty for this time). */
  get(timeMs: number): TimerSlot {
    const n = readSync(this.#open(), this.#buf, 0, TIMER_WHEEL_SLOT_SIZE, this.#index(timeMs) * TIMER_WHEEL_SLOT_SIZE);
    if (n !== TIMER_WHEEL_SLOT_SIZE) return { timeMs, lastPos: -1, count: 0 };
    const t = readInt64(this.#buf, 0);
    if (t !== timeMs) return { timeMs, lastPos: -1, count: 0 };
    return { timeMs, lastPos: readInt64(this.#buf, 8), count: this.#buf.readInt32BE(16) };
  }

  put(slot: TimerSlot): void {
    writeInt64(this.#buf, slot.timeMs, 0);
    writeInt64(this.#buf, slot.lastPos, 8);
    this.#buf.writeInt32BE(slot.count, 16);
    this.#buf.writeInt32BE(0, 20);
    writeSync(this.#open(), this.#buf, 0, TIMER_WHEEL_SLOT_SIZE, this.#index(slot.timeMs) * TIMER_WHEEL_SLOT_SIZE);
    this.#dirty = true;
  }

  flush(): void {
    if (this.#fd === undefined || !this.#dirty) return;
    fsyncSync(this.#fd);
    this.#dirty = false;
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
