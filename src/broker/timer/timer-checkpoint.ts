// config/timercheck: the time wheel's read pointer. 32 bytes, big-endian: int32 magic @0, int32 version @4,
// int64 currReadTimeMs @8 (the next second to deliver), int64 deliveredInSlot @16 (records of that second's list
// already handled, oldest first), int32 CRC32 of bytes 0..23 @24, int32 0 @28. Rewritten in place after every
// delivery (one small pwrite), fsynced with the timer flush; a torn or corrupt file reads as absent.
import { closeSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from '../../common/crc32.ts';
import { readInt64, writeInt64 } from '../../common/message/int64.ts';

const MAGIC = 0x54434b31; // "TCK1"
const SIZE = 32;

export interface TimerReadPointer {
  currReadTimeMs: number;
  deliveredInSlot: number;
}

export class TimerCheckpoint {
  readonly path: string;
  #fd: number | undefined;
  #dirty = false;
  readonly #buf = Buffer.alloc(SIZE);

  constructor(path: string) {
    this.path = path;
  }

  /** Opens the file; returns the saved pointer, or undefined on first start (or an unreadable file). */
  load(): TimerReadPointer | undefined {
    mkdirSync(dirname(this.path), { recursive: true });
    closeSync(openSync(this.path, 'a+'));
    this.#fd = openSync(this.path, 'r+');
    const n = readSync(this.#fd, this.#buf, 0, SIZE, 0);
    if (n !== SIZE || this.#buf.readInt32BE(0) !== MAGIC) return undefined;
    if ((crc32(this.#buf.subarray(0, 24)) | 0) !== this.#buf.readInt32BE(24)) return undefined;
    return { currReadTimeMs: readInt64(this.#buf, 8), deliveredInSlot: readInt64(this.#buf, 16) };
  }

  save(p: TimerReadPointer): void {
    if (this.#fd === undefined) return;
    this.#buf.writeInt32BE(MAGIC, 0);
    this.#buf.writeInt32BE(1, 4);
    writeInt64(this.#buf, p.currReadTimeMs, 8);
    writeInt64(this.#buf, p.deliveredInSlot, 16);
    this.#buf.writeInt32BE(crc32(this.#buf.subarray(0, 24)) | 0, 24);
    this.#buf.writeInt32BE(0, 28);
    writeSync(this.#fd, this.#buf, 0, SIZE, 0);
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
