// A queue of fixed-size segment files addressed by one global byte offset (PROTOCOL.md §7.1: file name = 20-digit start
// offset). Node has no mmap: appends land in large in-memory chunks, chunks reach the file in big positional writes, and a
// flush writes what is left and fdatasyncs. Bytes not yet written are served to readers from memory.
import fs from 'node:fs';
import { join } from 'node:path';
import { RocketMQError, ERROR_CODES, errorMessage } from '../../common/errors.ts';
import { FaultPoint } from '../fault-points.ts';
import type { FaultPoints } from '../fault-points.ts';
import { createLogger } from '../../common/logger.ts';
import { FdPool } from './fd-pool.ts';
import type { PooledFile } from './fd-pool.ts';
import { CREATING_SUFFIX, createSegmentFile, fsyncDir, fsyncDirSync, repairShortSegment } from './segment-file.ts';

const log = createLogger('mapped-file-queue');

/** 20-digit zero-padded decimal start offset (UtilAll.offset2FileName). */
export function offsetToFileName(offset: number): string {
  return String(offset).padStart(20, '0');
}

const SEGMENT_NAME = /^\d{20}$/;
const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
/** Open descriptors of a queue that has no shared pool (the commit log). */
const MAX_OPEN_FDS = 128;
/** Written chunks kept for reuse: fresh memory costs a page fault per 4 KiB on first touch (≈10× slower copies). */
const POOLED_CHUNKS = 8;

export interface MappedFileQueueOptions {
  /** Folder holding the segment files (created if missing). */
  dir: string;
  /** Size of every segment file in bytes. */
  fileSize: number;
  /** Fault switchboard for crash tests. */
  faults?: FaultPoints;
  /** In-memory write chunk size (default 4 MiB, capped by fileSize); one chunk reaches the file in one write. */
  chunkSize?: number;
  /** Written chunks kept for reuse (default 8); small for queues that exist by the thousand (consume queues). */
  pooledChunks?: number;
  /** Replaces fdatasync (tests count or stall it). */
  fdatasync?: (fd: number) => Promise<void>;
  /**
   * Writes of at most this many bytes go to the file synchronously (a copy into the page cache) instead of through the
   * thread pool: a SYNC_FLUSH group commit then costs one pool round trip (the fdatasync) instead of two. Default 0.
   */
  syncWriteMaxBytes?: number;
  /** Clock for lastModified (default Date.now). */
  now?: () => number;
  /**
   * Open-descriptor pool shared with other queues (the consume queues). Without one the queue keeps up to 128
   * descriptors of its own and never closes its newest segment.
   */
  fdPool?: FdPool;
}

interface Segment {
  fileFromOffset: number;
  path: string;
  fd: number | undefined;
  lastModified: number;
  /** Async writes/syncs in flight on this fd. */
  busy: number;
  /** Written since the last fdatasync. */
  dirty: boolean;
  deleted: boolean;
  /** This segment's entry in the descriptor pool. */
  pooled: PooledFile;
}

interface Chunk {
  seg: Segment;
  /** Global offset of buf[0]. */
  start: number;
  buf: Buffer;
  /** Global end of the appended bytes. */
  end: number;
  /** Global end of the bytes already written to the file. */
  written: number;
  /** Global offset where the last append into this chunk started (for the torn-record fault). */
  lastAppendStart: number;
}

function crashError(point: string): RocketMQError {
  return new RocketMQError(ERROR_CODES.STORE, `simulated crash (fault point ${point}): the file layer writes nothing more`);
}

function writeAsync(fd: number, buf: Buffer, off: number, len: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.write(fd, buf, off, len, pos, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Segment files of one log (the commit log, or one consume queue) seen as a single byte space. Not safe to share between
 * processes; all methods are called from one event loop. Positions: `minOffset` ≤ `flushedOffset` ≤ `maxOffset`.
 */
export class MappedFileQueue {
  /** Size in bytes of each segment file. */
  readonly fileSize: number;
  /** Folder holding the segments. */
  readonly dir: string;
  #faults: FaultPoints | undefined;
  #chunkSize: number;
  readonly #pooledChunks: number;
  #fdatasync: (fd: number) => Promise<void>;
  readonly #syncWriteMaxBytes: number;
  #now: () => number;
  #segments: Segment[] = [];
  #chunks: Chunk[] = [];
  #maxOffset = 0;
  #flushedOffset = 0;
  #chain: Promise<unknown> = Promise.resolve();
  #pendingOps = 0;
  #commitQueued = false;
  #openFds = new Set<Segment>();
  #fdPool: FdPool;
  #sharedFdPool: boolean;
  /** A segment was created since the folder was last fsynced. */
  #dirDirty = false;
  #pool: Buffer[] = [];
  #closed = false;
  #loaded = false;

  constructor(opts: MappedFileQueueOptions) {
    if (!Number.isSafeInteger(opts.fileSize) || opts.fileSize < 64) {
      throw new RocketMQError(ERROR_CODES.CONFIG, `segment file size must be an integer ≥ 64, got ${opts.fileSize}`);
    }
    this.dir = opts.dir;
    this.fileSize = opts.fileSize;
    this.#faults = opts.faults;
    this.#chunkSize = Math.min(opts.chunkSize ?? DEFAULT_CHUNK_SIZE, opts.fileSize);
    this.#pooledChunks = opts.pooledChunks ?? POOLED_CHUNKS;
    this.#fdatasync = opts.fdatasync ?? fdatasyncAsync;
    this.#syncWriteMaxBytes = opts.syncWriteMaxBytes ?? 0;
    this.#now = opts.now ?? Date.now;
    this.#sharedFdPool = opts.fdPool !== undefined;
    this.#fdPool = opts.fdPool ?? new FdPool(MAX_OPEN_FDS);
  }

  /**
   * Opens the existing segments in offset order. Afterwards every position (max, flushed) is the end of the last segment;
   * recovery then calls `truncateDirty(validEnd)`. Leftovers of an interrupted segment creation are cleaned up: temp
   * files are removed, and a short newest segment is deleted when it holds no byte, else extended to the full size.
   * Throws RocketMQError(STORE) on any other segment of the wrong size, or a gap.
   */
  load(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const all = fs.readdirSync(this.dir);
    for (const n of all) {
      if (n.endsWith(CREATING_SUFFIX) && SEGMENT_NAME.test(n.slice(0, -CREATING_SUFFIX.length))) {
        fs.rmSync(join(this.dir, n), { force: true });
        log.warn({ path: join(this.dir, n) }, 'removed the temp file of an interrupted segment creation');
      }
    }
    const names = all.filter((n) => SEGMENT_NAME.test(n)).sort();
    const segments: Segment[] = [];
    for (let i = 0; i < names.length; i++) {
      const path = join(this.dir, names[i]);
      const st = fs.statSync(path);
      if (st.size !== this.fileSize) {
        const kept = repairShortSegment(path, st.size, this.fileSize, i === names.length - 1, (msg) => log.warn({ path }, msg));
        if (!kept) continue;
      }
      const from = Number(names[i]);
      const prev = segments[segments.length - 1];
      if (prev !== undefined && from !== prev.fileFromOffset + this.fileSize) {
        throw new RocketMQError(ERROR_CODES.STORE, `gap in segments: ${path} does not follow ${prev.path}`);
      }
      segments.push(this.#newSegment(from, path, undefined, st.mtimeMs));
    }
    this.#segments = segments;
    const last = segments[segments.length - 1];
    this.#maxOffset = last === undefined ? 0 : last.fileFromOffset + this.fileSize;
    this.#flushedOffset = this.#maxOffset;
    this.#loaded = true;
  }

  /** Start offset of the first segment (0 when there is none). */
  get minOffset(): number {
    return this.#segments[0]?.fileFromOffset ?? 0;
  }

  /** Global write position: everything below was appended (maybe not yet written to the file). */
  get maxOffset(): number {
    return this.#maxOffset;
  }

  /** Everything below this offset is on disk and fdatasync'ed. */
  get flushedOffset(): number {
    return this.#flushedOffset;
  }

  /** Appended bytes still held only in memory (not yet handed to the file). */
  get unwrittenBytes(): number {
    let n = 0;
    for (const c of this.#chunks) n += c.end - c.written;
    return n;
  }

  /** Bytes left in the segment the next append goes to (a whole segment when the next append opens a new one). */
  remainingInFile(): number {
    const seg = this.#segmentCovering(this.#maxOffset);
    if (seg !== undefined) return seg.fileFromOffset + this.fileSize - this.#maxOffset;
    return this.#nextSegmentStart() + this.fileSize - this.#maxOffset;
  }

  /**
   * Appends at `maxOffset` and returns the global offset written at. `data` is either bytes, or a writer called with a
   * buffer and a position holding `size` free bytes, returning how many it wrote (1..size). The append must fit in the
   * current segment (`remainingInFile()`); a new segment is created and preallocated when the current one is full.
   */
  append(data: Buffer | ((target: Buffer, pos: number) => number), size?: number): number {
    this.#checkOpen();
    const len = typeof data === 'function' ? (size ?? 0) : data.length;
    if (!Number.isSafeInteger(len) || len <= 0) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `append size must be a positive integer, got ${String(len)}`);
    }
    const remaining = this.remainingInFile();
    if (len > remaining) {
      throw new RocketMQError(ERROR_CODES.STORE, `append of ${len} bytes does not fit the ${remaining} bytes left in the segment`);
    }
    const seg = this.#segmentCovering(this.#maxOffset) ?? this.#createSegment(this.#nextSegmentStart());
    const chunk = this.#chunkFor(seg, len);
    const offset = this.#maxOffset;
    const pos = offset - chunk.start;
    let n: number;
    if (typeof data === 'function') {
      n = data(chunk.buf, pos);
      if (!Number.isSafeInteger(n) || n <= 0 || n > len) {
        throw new RocketMQError(ERROR_CODES.INTERNAL, `append writer returned ${n} for a ${len}-byte reservation`);
      }
    } else {
      data.copy(chunk.buf, pos);
      n = len;
    }
    chunk.lastAppendStart = offset;
    chunk.end = offset + n;
    this.#maxOffset = offset + n;
    if (chunk.end === chunk.start + chunk.buf.length) this.#scheduleCommit();
    return offset;
  }

  /** Moves the write position to the start of the next segment (after the caller appended a blank end-of-file marker). */
  skipToNextFile(): void {
    this.#checkOpen();
    const seg = this.#segmentCovering(this.#maxOffset);
    if (seg === undefined || seg.fileFromOffset === this.#maxOffset) return;
    this.#maxOffset = seg.fileFromOffset + this.fileSize;
    this.#scheduleCommit();
  }

  /**
   * A fresh copy of bytes [offset, offset+length), from memory when not yet written, else read from the file (in-memory
   * chunks are reused, so no view of them is handed out). undefined when the range is outside [minOffset, maxOffset) or
   * crosses a segment boundary.
   */
  read(offset: number, length: number): Buffer | undefined {
    if (this.#closed) return undefined;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || length < 0) return undefined;
    if (offset < this.minOffset || offset + length > this.#maxOffset) return undefined;
    const seg = this.#segmentCovering(offset);
    if (seg === undefined || offset + length > seg.fileFromOffset + this.fileSize) return undefined;
    if (length === 0) return Buffer.alloc(0);
    const end = offset + length;
    const memStart = this.#chunks[0]?.start ?? this.#maxOffset;
    if (offset >= memStart) {
      const c = this.#chunkCovering(offset);
      if (c !== undefined && end <= c.end) return Buffer.from(c.buf.subarray(offset - c.start, end - c.start));
    }
    if (end <= memStart) return this.#readFile(seg, offset, length);
    // Mixed: stitch file bytes and chunk bytes together.
    const out = Buffer.allocUnsafe(length);
    let p = offset;
    while (p < end) {
      const c = p >= memStart ? this.#chunkCovering(p) : undefined;
      if (c !== undefined) {
        const n = Math.min(end, c.end) - p;
        c.buf.copy(out, p - offset, p - c.start, p - c.start + n);
        p += n;
      } else {
        const nextMem = this.#nextChunkStartAfter(p);
        const n = Math.min(end, nextMem) - p;
        this.#readFile(seg, p, n).copy(out, p - offset);
        p += n;
      }
    }
    return out;
  }

  /**
   * Writes every appended byte to the files and fdatasyncs them; resolves with the new flushedOffset. Flushes run one at a
   * time in call order; appends made while a flush is syncing are covered by the next flush.
   * Rejects with RocketMQError(STORE) on an I/O error or after a simulated crash.
   */
  flush(): Promise<number> {
    if (this.#closed) return Promise.reject(new RocketMQError(ERROR_CODES.NOT_RUNNING, 'mapped file queue is closed'));
    return this.#enqueue(() => this.#doFlush());
  }

  /**
   * Forgets everything at/after `offset`: later segments are deleted, the tail of the segment holding `offset` is zeroed,
   * and max/flushed positions become `offset` (flushed stays lower if it was). Call with no flush in progress (recovery).
   */
  truncateDirty(offset: number): void {
    this.#checkOpen();
    if (this.#pendingOps > 0) {
      throw new RocketMQError(ERROR_CODES.STORE, 'truncateDirty while a write or flush is in progress');
    }
    // Newest first, so that a crash part-way leaves a gap-free run whose last file only may be short (load repairs it).
    let deleted = false;
    for (;;) {
      const seg = this.#segments[this.#segments.length - 1];
      if (seg === undefined || seg.fileFromOffset <= offset) break;
      this.#deleteSegment(seg);
      this.#segments.pop();
      deleted = true;
    }
    if (deleted) fsyncDirSync(this.dir);
    const last = this.#segments[this.#segments.length - 1];
    if (last !== undefined && offset < last.fileFromOffset + this.fileSize) {
      const fd = this.#fd(last);
      fs.ftruncateSync(fd, offset - last.fileFromOffset);
      fs.ftruncateSync(fd, this.fileSize);
      fs.fsyncSync(fd);
    }
    const chunks: Chunk[] = [];
    for (const c of this.#chunks) {
      if (c.start >= offset || c.seg.deleted) continue;
      c.end = Math.min(c.end, offset);
      c.written = Math.min(c.written, c.end);
      c.lastAppendStart = Math.min(c.lastAppendStart, c.end);
      chunks.push(c);
    }
    this.#chunks = chunks;
    this.#maxOffset = offset;
    this.#flushedOffset = Math.min(this.#flushedOffset, offset);
  }

  /** The segments in offset order (a snapshot). */
  files(): ReadonlyArray<{ fileFromOffset: number; path: string; lastModified: number }> {
    return this.#segments.map((s) => ({ fileFromOffset: s.fileFromOffset, path: s.path, lastModified: s.lastModified }));
  }

  /**
   * Deletes segments from the oldest on while they were last modified at least `olderThanMs` before `now` (or always
   * with `force`), at most `maxFiles` (default unlimited), stopping at the first one kept. Never deletes the segment
   * being written, nor the last segment unless `keepLast` is false and it is full. Returns how many were deleted.
   */
  deleteExpiredFiles(
    olderThanMs: number,
    now: number,
    opts: { force?: boolean; maxFiles?: number; keepLast?: boolean } = {},
  ): number {
    this.#checkOpen();
    const max = opts.maxFiles ?? Number.POSITIVE_INFINITY;
    let count = 0;
    while (count < max) {
      const seg = this.#segments[0];
      if (seg === undefined || !this.#deletable(seg, opts.keepLast ?? true)) break;
      if (!(opts.force === true || now - seg.lastModified >= olderThanMs)) break;
      this.#deleteSegment(seg);
      this.#segments.shift();
      count++;
    }
    return count;
  }

  /** Deletes the segments lying entirely below `offset` (never the last one); returns how many. */
  deleteFilesBefore(offset: number): number {
    this.#checkOpen();
    let count = 0;
    for (;;) {
      const seg = this.#segments[0];
      if (seg === undefined || seg.fileFromOffset + this.fileSize > offset || !this.#deletable(seg, true)) break;
      this.#deleteSegment(seg);
      this.#segments.shift();
      count++;
    }
    return count;
  }

  /**
   * Closes the files. Bytes appended but not yet written are written synchronously first (no fdatasync) unless
   * `discardUnwritten` (a simulated crash) or a fault point crashed the queue. Call `await flush()` first for durability.
   */
  close(opts: { discardUnwritten?: boolean } = {}): void {
    if (this.#closed) return;
    if (opts.discardUnwritten !== true && this.#faults?.crashed !== true) {
      for (const c of this.#chunks) {
        if (c.written >= c.end || c.seg.deleted) continue;
        const fd = this.#fd(c.seg);
        let p = c.written;
        while (p < c.end) p += fs.writeSync(fd, c.buf, p - c.start, c.end - p, p - c.seg.fileFromOffset);
        c.written = c.end;
      }
    }
    this.#closed = true;
    this.#chunks = [];
    this.#pool = [];
    for (const seg of [...this.#openFds]) if (seg.busy === 0) this.#closeFd(seg);
  }

  // ---- internals ----

  #checkOpen(): void {
    if (this.#closed) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'mapped file queue is closed');
    if (!this.#loaded) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'mapped file queue used before load()');
  }

  #deletable(seg: Segment, keepLast: boolean): boolean {
    const last = this.#segments[this.#segments.length - 1];
    if (seg === last && (keepLast || this.#maxOffset < seg.fileFromOffset + this.fileSize)) return false;
    if (seg.busy > 0) return false;
    return !this.#chunks.some((c) => c.seg === seg && c.written < c.end);
  }

  #segmentCovering(offset: number): Segment | undefined {
    const segs = this.#segments;
    const first = segs[0];
    if (first === undefined || offset < first.fileFromOffset) return undefined;
    const seg = segs[Math.floor((offset - first.fileFromOffset) / this.fileSize)];
    return seg !== undefined && offset < seg.fileFromOffset + this.fileSize ? seg : undefined;
  }

  #nextSegmentStart(): number {
    const last = this.#segments[this.#segments.length - 1];
    if (last !== undefined && this.#maxOffset === last.fileFromOffset + this.fileSize) return this.#maxOffset;
    return this.#maxOffset - (this.#maxOffset % this.fileSize);
  }

  #createSegment(from: number): Segment {
    const last = this.#segments[this.#segments.length - 1];
    if (last !== undefined && from !== last.fileFromOffset + this.fileSize) {
      throw new RocketMQError(ERROR_CODES.STORE, `new segment at ${from} would leave a gap after ${last.fileFromOffset}`);
    }
    try {
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.STORE, `cannot create segment folder ${this.dir}: ${errorMessage(e)}`, { cause: e });
    }
    // Full size and synced before it gets its name; the folder is fsynced by the next flush (#doFlush).
    const fd = createSegmentFile(join(this.dir, offsetToFileName(from)), this.fileSize);
    const seg = this.#newSegment(from, join(this.dir, offsetToFileName(from)), fd, this.#now());
    this.#dirDirty = true;
    this.#segments.push(seg);
    this.#openFds.add(seg);
    this.#fdPool.opened(seg.pooled);
    return seg;
  }

  #newSegment(fileFromOffset: number, path: string, fd: number | undefined, lastModified: number): Segment {
    const seg: Segment = {
      fileFromOffset,
      path,
      fd,
      lastModified,
      busy: 0,
      dirty: false,
      deleted: false,
      pooled: { canClose: () => this.#canCloseFd(seg), closeFd: () => this.#closeFd(seg) },
    };
    return seg;
  }

  /**
   * Idle: no write or sync in flight on the descriptor; a private pool also keeps the newest segment open. Bytes still
   * in memory, or written but not yet synced (in the page cache), do not pin the descriptor: the next write or flush
   * reopens the file, so thousands of consume queues waiting for flushConsumeQueueLeastPages do not each hold one.
   */
  #canCloseFd(seg: Segment): boolean {
    if (seg.busy > 0) return false;
    if (seg.deleted) return true;
    return this.#sharedFdPool || seg !== this.#segments[this.#segments.length - 1];
  }

  #chunkFor(seg: Segment, len: number): Chunk {
    const cur = this.#chunks[this.#chunks.length - 1];
    if (cur !== undefined && cur.seg === seg && cur.end === this.#maxOffset && cur.start + cur.buf.length - cur.end >= len) {
      return cur;
    }
    if (cur !== undefined) this.#scheduleCommit();
    const room = seg.fileFromOffset + this.fileSize - this.#maxOffset;
    const cap = Math.min(room, Math.max(this.#chunkSize, len));
    const chunk: Chunk = {
      seg,
      start: this.#maxOffset,
      buf: cap === this.#chunkSize && this.#pool.length > 0 ? this.#pool.pop()! : Buffer.allocUnsafeSlow(cap),
      end: this.#maxOffset,
      written: this.#maxOffset,
      lastAppendStart: this.#maxOffset,
    };
    this.#chunks.push(chunk);
    return chunk;
  }

  #chunkCovering(offset: number): Chunk | undefined {
    for (let i = this.#chunks.length - 1; i >= 0; i--) {
      const c = this.#chunks[i];
      if (offset >= c.start) return offset < c.end ? c : undefined;
    }
    return undefined;
  }

  #nextChunkStartAfter(offset: number): number {
    for (const c of this.#chunks) if (c.start > offset) return c.start;
    return Number.POSITIVE_INFINITY;
  }

  /** The chunk still taking appends (not sealed). */
  #isCurrent(c: Chunk): boolean {
    return c === this.#chunks[this.#chunks.length - 1] && c.end === this.#maxOffset && c.end < c.start + c.buf.length;
  }

  #enqueue<T>(op: () => Promise<T>): Promise<T> {
    this.#pendingOps++;
    const p = this.#chain.then(op);
    this.#chain = p.then(
      () => this.#opDone(),
      () => this.#opDone(),
    );
    return p;
  }

  #opDone(): void {
    this.#pendingOps--;
    if (this.#closed) for (const seg of [...this.#openFds]) if (seg.busy === 0) this.#closeFd(seg);
    this.#fdPool.trim();
  }

  /** Writes sealed chunks in the background so memory stays bounded between flushes. */
  #scheduleCommit(): void {
    if (this.#commitQueued) return;
    this.#commitQueued = true;
    this.#enqueue(async () => {
      this.#commitQueued = false;
      if (this.#closed || this.#faults?.crashed === true) return;
      for (const c of [...this.#chunks]) {
        if (this.#isCurrent(c)) break;
        if (c.written < c.end) await this.#writeRange(c, c.end);
      }
      this.#dropWrittenChunks();
    }).catch(() => {
      // A failed background write leaves the bytes in memory; the next flush retries and reports the error.
    });
  }

  async #doFlush(): Promise<number> {
    if (this.#closed) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'mapped file queue is closed');
    const faults = this.#faults;
    if (faults?.crashed === true) throw crashError('earlier');
    if (faults?.fire(FaultPoint.CRASH_BEFORE_FLUSH) === true) throw crashError(FaultPoint.CRASH_BEFORE_FLUSH);
    const target = this.#maxOffset;
    for (const c of [...this.#chunks]) {
      if (c.start >= target) break;
      const upto = Math.min(c.end, target);
      if (c.written < upto) await this.#writeRange(c, upto);
    }
    this.#dropWrittenChunks();
    if (this.#dirDirty) {
      // New segment names must survive a power loss before any byte in them counts as flushed.
      this.#dirDirty = false;
      await new Promise<void>((resolve, reject) => {
        fsyncDir(this.dir, (err) => {
          if (err === null) resolve();
          else {
            this.#dirDirty = true;
            reject(new RocketMQError(ERROR_CODES.STORE, `fsync of folder ${this.dir} failed: ${errorMessage(err)}`, { cause: err }));
          }
        });
      });
    }
    for (const seg of this.#segments) {
      if (!seg.dirty || seg.deleted) continue;
      seg.dirty = false;
      await this.#sync(seg);
    }
    if (target > this.#flushedOffset) this.#flushedOffset = target;
    return this.#flushedOffset;
  }

  #dropWrittenChunks(): void {
    const keep: Chunk[] = [];
    for (const c of this.#chunks) {
      if (c.written < c.end || this.#isCurrent(c)) keep.push(c);
      else if (c.buf.length === this.#chunkSize && this.#pool.length < this.#pooledChunks) this.#pool.push(c.buf);
    }
    this.#chunks = keep;
  }

  async #writeRange(c: Chunk, upto: number): Promise<void> {
    const faults = this.#faults;
    let to = upto;
    let crashAfter: string | undefined;
    if (faults !== undefined) {
      if (faults.crashed) throw crashError('earlier');
      if (faults.fire(FaultPoint.CRASH_BEFORE_FLUSH)) throw crashError(FaultPoint.CRASH_BEFORE_FLUSH);
      if (faults.fire(FaultPoint.SHORT_WRITE)) {
        to = c.written + Math.max(1, Math.floor((upto - c.written) / 2));
        crashAfter = FaultPoint.SHORT_WRITE;
      } else if (faults.fire(FaultPoint.CRASH_MID_RECORD)) {
        const last = c.lastAppendStart >= c.written && c.lastAppendStart < upto ? c.lastAppendStart : c.written;
        to = last + Math.max(1, Math.floor((upto - last) / 2));
        crashAfter = FaultPoint.CRASH_MID_RECORD;
      }
    }
    const seg = c.seg;
    if (seg.deleted) return;
    const fd = this.#fd(seg);
    seg.busy++;
    try {
      let p = c.written;
      if (to - p <= this.#syncWriteMaxBytes) {
        while (p < to) p += fs.writeSync(fd, c.buf, p - c.start, to - p, p - seg.fileFromOffset);
      } else {
        while (p < to) p += await writeAsync(fd, c.buf, p - c.start, to - p, p - seg.fileFromOffset);
      }
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.STORE, `write to ${seg.path} failed: ${errorMessage(e)}`, { cause: e });
    } finally {
      seg.busy--;
    }
    seg.dirty = true;
    seg.lastModified = this.#now();
    c.written = to;
    if (crashAfter !== undefined) throw crashError(crashAfter);
  }

  async #sync(seg: Segment): Promise<void> {
    const faults = this.#faults;
    if (faults?.fire(FaultPoint.SLOW_FSYNC) === true) {
      const ms = faults.options(FaultPoint.SLOW_FSYNC)?.delayMs ?? 0;
      await new Promise((r) => setTimeout(r, ms));
    }
    if (faults?.crashed === true) throw crashError('earlier');
    const fd = this.#fd(seg);
    seg.busy++;
    try {
      await this.#fdatasync(fd);
    } catch (e) {
      seg.dirty = true;
      throw new RocketMQError(ERROR_CODES.STORE, `fdatasync of ${seg.path} failed: ${errorMessage(e)}`, { cause: e });
    } finally {
      seg.busy--;
    }
  }

  #fd(seg: Segment): number {
    if (seg.fd !== undefined) {
      this.#fdPool.touch(seg.pooled);
      return seg.fd;
    }
    try {
      seg.fd = fs.openSync(seg.path, 'r+');
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.STORE, `cannot open segment ${seg.path}: ${errorMessage(e)}`, { cause: e });
    }
    this.#openFds.add(seg);
    this.#fdPool.opened(seg.pooled);
    return seg.fd;
  }

  #closeFd(seg: Segment): void {
    if (seg.fd !== undefined) {
      try {
        fs.closeSync(seg.fd);
      } catch {
        // already closed: nothing to release
      }
      seg.fd = undefined;
    }
    this.#openFds.delete(seg);
    this.#fdPool.closed(seg.pooled);
  }

  #readFile(seg: Segment, offset: number, length: number): Buffer {
    const fd = this.#fd(seg);
    const out = Buffer.allocUnsafe(length);
    let p = 0;
    while (p < length) {
      const n = fs.readSync(fd, out, p, length - p, offset - seg.fileFromOffset + p);
      if (n === 0) {
        out.fill(0, p);
        break;
      }
      p += n;
    }
    return out;
  }

  #deleteSegment(seg: Segment): void {
    seg.deleted = true;
    if (seg.busy === 0) this.#closeFd(seg);
    try {
      fs.unlinkSync(seg.path);
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.STORE, `cannot delete segment ${seg.path}: ${errorMessage(e)}`, { cause: e });
    }
  }
}
