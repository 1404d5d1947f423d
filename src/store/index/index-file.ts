// One IndexFile (§7.4). The writable file keeps its slot table and unflushed entries in memory and reaches the disk
// in a few large positional writes at flush(); sealed (full) files are read with positional reads.
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RocketMQError, ERROR_CODES } from '../../common/errors.ts';
import type { FaultPoints } from '../fault-points.ts';
import {
  HASH_SLOT_SIZE,
  INDEX_ENTRY_SIZE,
  INDEX_HEADER_SIZE,
  INVALID_INDEX,
  emptyIndexHeader,
  entryPosition,
  indexFileSize,
  indexKeyHash,
  readIndexHeader,
  slotPosition,
  timeDiffSeconds,
  writeIndexHeader,
} from './index-codec.ts';
import type { IndexHeader } from './index-codec.ts';
import { readInt64, writeInt64 } from '../../common/message/int64.ts';

/** Slots per dirty-tracking page (4 KiB of slot table). */
const SLOTS_PER_PAGE = 1024;
const INDEX_FILE_NAME = /^\d{17}$/;

/** yyyyMMddHHmmssSSS in local time (UtilAll.timeMillisToHumanString). */
export function indexFileName(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    p(d.getFullYear(), 4) + p(d.getMonth() + 1) + p(d.getDate()) + p(d.getHours()) + p(d.getMinutes()) + p(d.getSeconds()) +
    p(d.getMilliseconds(), 3)
  );
}

/** Inverse of indexFileName (local time); NaN if `name` is not 17 digits. */
export function indexFileNameTime(name: string): number {
  if (!INDEX_FILE_NAME.test(name)) return NaN;
  const n = (a: number, b: number): number => Number(name.slice(a, b));
  return new Date(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14), n(14, 17)).getTime();
}

export function isIndexFileName(name: string): boolean {
  return INDEX_FILE_NAME.test(name);
}

export interface IndexFileOptions {
  slotNum: number;
  indexNum: number;
  faults?: FaultPoints;
}

export class IndexFile {
  readonly path: string;
  readonly slotNum: number;
  readonly indexNum: number;
  readonly #faults: FaultPoints | undefined;
  #fd: number;
  #header: IndexHeader;
  /** Slot table of a writable file (undefined once sealed). */
  #slots: Buffer | undefined;
  /** One flag per SLOTS_PER_PAGE slots changed since the last flush. */
  #dirtyPages: Uint8Array | undefined;
  #anyDirtySlot = false;
  /** Entries numbered [#flushedCount, header.indexCount) not yet on disk. */
  #pending = Buffer.alloc(0);
  #flushedCount: number;
  #headerDirty = false;
  readonly #scratch = Buffer.alloc(INDEX_ENTRY_SIZE);

  private constructor(path: string, fd: number, header: IndexHeader, slots: Buffer | undefined, opts: IndexFileOptions) {
    this.path = path;
    this.#fd = fd;
    this.#header = header;
    this.slotNum = opts.slotNum;
    this.indexNum = opts.indexNum;
    this.#faults = opts.faults;
    this.#slots = slots;
    this.#dirtyPages = slots === undefined ? undefined : new Uint8Array(Math.ceil(opts.slotNum / SLOTS_PER_PAGE));
    this.#flushedCount = header.indexCount;
  }

  /**
   * Creates a new empty file of full size. Like Java, it starts with begin/end offsets and timestamps of the previous
   * file's end, so an empty newest file still reports where indexing stopped.
   */
  static create(path: string, opts: IndexFileOptions, prevEndPhyOffset = 0, prevEndTimestamp = 0): IndexFile {
    validateSizes(opts);
    let fd: number;
    try {
      fd = openSync(path, 'wx+');
      ftruncateSync(fd, indexFileSize(opts.slotNum, opts.indexNum));
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.STORE, `cannot create index file ${path}`, { cause: e });
    }
    const header = emptyIndexHeader();
    if (prevEndPhyOffset > 0) header.beginPhyOffset = header.endPhyOffset = prevEndPhyOffset;
    if (prevEndTimestamp > 0) header.beginTimestamp = header.endTimestamp = prevEndTimestamp;
    const f = new IndexFile(path, fd, header, Buffer.alloc(opts.slotNum * HASH_SLOT_SIZE), opts);
    f.#headerDirty = true;
    return f;
  }

  /** Opens an existing file; `writable` loads its slot table into memory so more keys can be added. */
  static open(path: string, opts: IndexFileOptions, writable: boolean): IndexFile {
    validateSizes(opts);
    const expected = indexFileSize(opts.slotNum, opts.indexNum);
    let fd: number;
    try {
      fd = openSync(path, 'r+');
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.STORE, `cannot open index file ${path}`, { cause: e });
    }
    try {
      const size = fstatSync(fd).size;
      if (size !== expected) {
        throw new RocketMQError(
          ERROR_CODES.STORE,
          `index file ${path} has ${size} bytes, expected ${expected} for maxHashSlotNum ${opts.slotNum} / maxIndexNum ${opts.indexNum}`,
        );
      }
      const hb = Buffer.alloc(INDEX_HEADER_SIZE);
      readFully(fd, hb, 0);
      const header = readIndexHeader(hb);
      if (header.indexCount > opts.indexNum) header.indexCount = opts.indexNum;
      let slots: Buffer | undefined;
      if (writable && header.indexCount < opts.indexNum) {
        slots = Buffer.alloc(opts.slotNum * HASH_SLOT_SIZE);
        readFully(fd, slots, INDEX_HEADER_SIZE);
      }
      return new IndexFile(path, fd, header, slots, opts);
    } catch (e) {
      closeSync(fd);
      if (e instanceof RocketMQError) throw e;
      throw new RocketMQError(ERROR_CODES.STORE, `cannot read index file ${path}`, { cause: e });
    }
  }

  get fileName(): string {
    return basename(this.path);
  }

  get header(): Readonly<IndexHeader> {
    return this.#header;
  }

  get beginTimestamp(): number {
    return this.#header.beginTimestamp;
  }

  get endTimestamp(): number {
    return this.#header.endTimestamp;
  }

  get beginPhyOffset(): number {
    return this.#header.beginPhyOffset;
  }

  get endPhyOffset(): number {
    return this.#header.endPhyOffset;
  }

  /** Entries stored (indexCount − 1). */
  get entryCount(): number {
    return this.#header.indexCount - 1;
  }

  get writable(): boolean {
    return this.#slots !== undefined;
  }

  isWriteFull(): boolean {
    return this.#header.indexCount >= this.indexNum;
  }

  /** Adds an entry for `key`; false when the file is full (or sealed). */
  putKey(key: string, phyOffset: number, storeTimestamp: number): boolean {
    const slots = this.#slots;
    const dirty = this.#dirtyPages;
    if (slots === undefined || dirty === undefined || this.isWriteFull()) return false;
    const h = this.#header;
    const keyHash = indexKeyHash(key);
    const slot = keyHash % this.slotNum;
    let prev = slots.readInt32BE(slot * HASH_SLOT_SIZE);
    if (prev <= INVALID_INDEX || prev > h.indexCount) prev = INVALID_INDEX;
    if (h.indexCount <= 1) {
      h.beginPhyOffset = phyOffset;
      h.beginTimestamp = storeTimestamp;
    }
    const index = h.indexCount;
    const at = (index - this.#flushedCount) * INDEX_ENTRY_SIZE;
    if (at + INDEX_ENTRY_SIZE > this.#pending.length) this.#growPending(at + INDEX_ENTRY_SIZE);
    const p = this.#pending;
    p.writeInt32BE(keyHash, at);
    writeInt64(p, phyOffset, at + 4);
    p.writeInt32BE(timeDiffSeconds(h.beginTimestamp, storeTimestamp), at + 12);
    p.writeInt32BE(prev, at + 16);
    slots.writeInt32BE(index, slot * HASH_SLOT_SIZE);
    dirty[Math.floor(slot / SLOTS_PER_PAGE)] = 1;
    this.#anyDirtySlot = true;
    if (prev === INVALID_INDEX) h.hashSlotCount++;
    h.indexCount++;
    h.endPhyOffset = phyOffset;
    h.endTimestamp = storeTimestamp;
    this.#headerDirty = true;
    return true;
  }

  #growPending(min: number): void {
    let size = Math.max(4096, this.#pending.length * 2);
    while (size < min) size *= 2;
    const next = Buffer.alloc(size);
    this.#pending.copy(next, 0);
    this.#pending = next;
  }

  /** True if [begin, end] overlaps the file's time span (IndexFile.isTimeMatched). */
  isTimeMatched(begin: number, end: number): boolean {
    const h = this.#header;
    return (
      (begin < h.beginTimestamp && end > h.endTimestamp) ||
      (begin >= h.beginTimestamp && begin <= h.endTimestamp) ||
      (end >= h.beginTimestamp && end <= h.endTimestamp)
    );
  }

  /**
   * Appends to `out` the commit-log offsets stored under `key` with a time in [begin, end], newest first, until `out`
   * holds `maxNum` offsets. Times are beginTimestamp + whole seconds, as stored.
   */
  selectPhyOffsets(out: number[], key: string, maxNum: number, begin: number, end: number): void {
    const h = this.#header;
    if (h.indexCount <= 1 || out.length >= maxNum) return;
    const keyHash = indexKeyHash(key);
    let index = this.#readSlot(keyHash % this.slotNum);
    if (index <= INVALID_INDEX || index > h.indexCount) return;
    while (out.length < maxNum) {
      const e = this.#readEntry(index);
      const timeDiff = e.readInt32BE(12);
      if (timeDiff < 0) break;
      const time = h.beginTimestamp + timeDiff * 1000;
      if (e.readInt32BE(0) === keyHash && time >= begin && time <= end) out.push(readInt64(e, 4));
      const prev = e.readInt32BE(16);
      if (prev <= INVALID_INDEX || prev > h.indexCount || prev === index || time < begin) break;
      index = prev;
    }
  }

  #readSlot(slot: number): number {
    if (this.#slots !== undefined) return this.#slots.readInt32BE(slot * HASH_SLOT_SIZE);
    readFully(this.#fd, this.#scratch.subarray(0, HASH_SLOT_SIZE), slotPosition(slot));
    return this.#scratch.readInt32BE(0);
  }

  /** The 20 bytes of entry `index` (a view valid until the next read). */
  #readEntry(index: number): Buffer {
    if (index >= this.#flushedCount) {
      const at = (index - this.#flushedCount) * INDEX_ENTRY_SIZE;
      return this.#pending.subarray(at, at + INDEX_ENTRY_SIZE);
    }
    readFully(this.#fd, this.#scratch, entryPosition(this.slotNum, index));
    return this.#scratch;
  }

  /** Writes unflushed entries, dirty slot pages and the header, then fdatasync. Returns false if nothing was dirty. */
  flush(): boolean {
    const h = this.#header;
    const entries = h.indexCount - this.#flushedCount;
    if (entries === 0 && !this.#anyDirtySlot && !this.#headerDirty) return false;
    if (this.#faults?.crashed === true) return false;
    if (entries > 0) {
      writeFully(this.#fd, this.#pending.subarray(0, entries * INDEX_ENTRY_SIZE), entryPosition(this.slotNum, this.#flushedCount));
    }
    const slots = this.#slots;
    const dirty = this.#dirtyPages;
    if (this.#anyDirtySlot && slots !== undefined && dirty !== undefined) {
      // coalesce runs of dirty pages into single writes
      for (let i = 0; i < dirty.length; i++) {
        if (dirty[i] === 0) continue;
        let j = i;
        while (j < dirty.length && dirty[j] === 1) dirty[j++] = 0;
        const from = i * SLOTS_PER_PAGE * HASH_SLOT_SIZE;
        const to = Math.min(j * SLOTS_PER_PAGE * HASH_SLOT_SIZE, slots.length);
        writeFully(this.#fd, slots.subarray(from, to), INDEX_HEADER_SIZE + from);
        i = j;
      }
    }
    const hb = Buffer.alloc(INDEX_HEADER_SIZE);
    writeIndexHeader(h, hb);
    writeFully(this.#fd, hb, 0);
    fdatasyncSync(this.#fd);
    this.#flushedCount = h.indexCount;
    this.#anyDirtySlot = false;
    this.#headerDirty = false;
    if (this.#pending.length > 1 << 20) this.#pending = Buffer.alloc(0);
    return true;
  }

  /** Flushes and drops the in-memory slot table: the file becomes read-only. */
  seal(): void {
    this.flush();
    this.#slots = undefined;
    this.#dirtyPages = undefined;
    this.#pending = Buffer.alloc(0);
  }

  /** Flushes (unless `flush` is false) and closes the file. */
  close(flush = true): void {
    if (this.#fd < 0) return;
    if (flush) this.flush();
    closeSync(this.#fd);
    this.#fd = -1;
    this.#slots = undefined;
  }

  /** Closes without flushing and deletes the file. */
  destroy(): void {
    this.close(false);
    try {
      unlinkSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new RocketMQError(ERROR_CODES.STORE, `cannot delete index file ${this.path}`, { cause: e });
      }
    }
  }
}

function validateSizes(opts: IndexFileOptions): void {
  if (!Number.isInteger(opts.slotNum) || opts.slotNum < 1 || !Number.isInteger(opts.indexNum) || opts.indexNum < 2) {
    throw new RocketMQError(ERROR_CODES.CONFIG, `bad index sizes: maxHashSlotNum ${opts.slotNum}, maxIndexNum ${opts.indexNum}`);
  }
}

function readFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw new RocketMQError(ERROR_CODES.STORE, `short read at ${position + done}`);
    done += n;
  }
}

function writeFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done);
}

/** Path of a new index file in `dir` named after `t`. */
export function indexFilePath(dir: string, t: number): string {
  return join(dir, indexFileName(t));
}
