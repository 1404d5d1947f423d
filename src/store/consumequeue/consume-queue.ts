// One consume queue: 20-byte units (PROTOCOL.md §7.3) on a MappedFileQueue under consumequeue/<topic>/<queueId>/.
// Logical offset n lives at global byte n×20; maxOffset = units written; minOffset = first unit pointing at live data.
import { rmSync } from 'node:fs';
import { MappedFileQueue } from '../mappedfile/mapped-file-queue.ts';
import type { FaultPoints } from '../fault-points.ts';
import type { FdPool } from '../mappedfile/fd-pool.ts';
import { CQ_UNIT_SIZE, isValidCqUnit, writeCqUnit } from './cq-unit.ts';
import { createLogger } from '../../common/logger.ts';

const log = createLogger('consume-queue');

/** Units per in-memory write chunk (64 KiB-ish, a multiple of the unit size). */
// 256 units (5 KiB) per write chunk and one pooled chunk: thousands of queues must not pin megabytes each.
const CHUNK_UNITS = 256;
/** Pre-blank unit written below the first real unit of a queue that starts past 0 (ConsumeQueue.fillPreBlank). */
const BLANK_SIZE = 0x7fffffff;

export const BoundaryType = { LOWER: 'LOWER', UPPER: 'UPPER' } as const;
export type BoundaryType = (typeof BoundaryType)[keyof typeof BoundaryType];

/** Consume-queue segment size rounded up to whole units (MessageStoreConfig.getMappedFileSizeConsumeQueue). */
export function consumeQueueFileSize(configured: number): number {
  return Math.ceil(configured / CQ_UNIT_SIZE) * CQ_UNIT_SIZE;
}

export interface ConsumeQueueOptions {
  topic: string;
  queueId: number;
  dir: string;
  fileSize: number;
  faults?: FaultPoints;
  now?: () => number;
  /** Descriptor pool shared by all consume queues of the store (bounds open files across thousands of queues). */
  fdPool?: FdPool;
  /** Replaces fdatasync (tests count it). */
  fdatasync?: (fd: number) => Promise<void>;
  /** Called after every unit written: the queue has bytes not yet flushed (ConsumeQueueTable tracks dirty queues). */
  onDirty?: (cq: ConsumeQueue) => void;
}

/** Page size behind flushConsumeQueueLeastPages (Java OS_PAGE_SIZE). */
const OS_PAGE_SIZE = 4096;

export class ConsumeQueue {
  readonly topic: string;
  readonly queueId: number;
  readonly dir: string;
  #files: MappedFileQueue;
  #fileOpts: ConstructorParameters<typeof MappedFileQueue>[0];
  /** Byte offset of the first unit that points at live commit-log data. */
  #minLogicOffset = 0;
  /** Commit-log end (offset + size) of the last unit written (-1: none). */
  #maxPhysicOffset = -1;
  #unit = Buffer.alloc(CQ_UNIT_SIZE);
  #onDirty: ((cq: ConsumeQueue) => void) | undefined;

  constructor(opts: ConsumeQueueOptions) {
    this.topic = opts.topic;
    this.queueId = opts.queueId;
    this.dir = opts.dir;
    this.#fileOpts = {
      dir: opts.dir,
      fileSize: consumeQueueFileSize(opts.fileSize),
      faults: opts.faults,
      now: opts.now,
      chunkSize: CHUNK_UNITS * CQ_UNIT_SIZE,
      pooledChunks: 1,
      fdPool: opts.fdPool,
      fdatasync: opts.fdatasync,
    };
    this.#onDirty = opts.onDirty;
    this.#files = new MappedFileQueue(this.#fileOpts);
  }

  get fileSize(): number {
    return this.#files.fileSize;
  }

  /** Opens the segment files and drops the torn/empty tail (ConsumeQueue.recover): units are valid up to the first one
   *  whose offset is < 0 or size ≤ 0. */
  load(): void {
    this.#files.load();
    const files = this.#files.files();
    const fileSize = this.#files.fileSize;
    let validEnd = this.#files.minOffset;
    this.#maxPhysicOffset = -1;
    // Start at the 3rd-last file like Java; earlier files are full by construction.
    const startIdx = Math.max(0, files.length - 3);
    for (let i = startIdx; i < files.length; i++) {
      const from = files[i].fileFromOffset;
      const buf = this.#files.read(from, fileSize);
      if (buf === undefined) break;
      let p = 0;
      while (p < fileSize && isValidCqUnit(buf, p)) {
        const size = buf.readInt32BE(p + 8);
        if (size !== BLANK_SIZE) this.#maxPhysicOffset = Number(buf.readBigInt64BE(p)) + size;
        p += CQ_UNIT_SIZE;
      }
      validEnd = from + p;
      if (p < fileSize) break;
    }
    if (files.length > 0) this.#files.truncateDirty(validEnd);
    this.#minLogicOffset = this.#firstNonBlank();
  }

  /** Logical offset of the first live unit. */
  get minOffset(): number {
    return Math.floor(this.#minLogicOffset / CQ_UNIT_SIZE);
  }

  /** Number of units written (the next logical offset). */
  get maxOffset(): number {
    return Math.floor(this.#files.maxOffset / CQ_UNIT_SIZE);
  }

  /** Commit-log end of the last unit (-1 when empty): re-dispatched records at or below it are duplicates. */
  get maxPhysicOffset(): number {
    return this.#maxPhysicOffset;
  }

  /** Commit-log offset of the last unit, or -1. */
  lastUnitCommitLogOffset(): number {
    const max = this.#files.maxOffset;
    if (max - CQ_UNIT_SIZE < this.#minLogicOffset) return -1;
    const b = this.#files.read(max - CQ_UNIT_SIZE, CQ_UNIT_SIZE);
    return b === undefined ? -1 : Number(b.readBigInt64BE(0));
  }

  get flushedOffset(): number {
    return Math.floor(this.#files.flushedOffset / CQ_UNIT_SIZE);
  }

  /**
   * Appends the unit for logical offset `queueOffset` (ConsumeQueue.putMessagePositionInfo). Records already covered
   * (commit-log end ≤ maxPhysicOffset) and logical offsets already written are skipped; returns whether it was written.
   */
  putUnit(commitLogOffset: number, size: number, tagsCode: number, queueOffset: number): boolean {
    if (commitLogOffset + size <= this.#maxPhysicOffset) return false;
    const expected = queueOffset * CQ_UNIT_SIZE;
    const current = this.#files.maxOffset;
    if (expected < current) {
      log.warn({ topic: this.topic, queueId: this.queueId, queueOffset, current: current / CQ_UNIT_SIZE }, 'duplicate queue offset skipped');
      return false;
    }
    if (expected > current) this.#fillBlank(current, expected);
    writeCqUnit(this.#unit, 0, commitLogOffset, size, tagsCode);
    this.#files.append(this.#unit);
    this.#maxPhysicOffset = commitLogOffset + size;
    this.#onDirty?.(this);
    return true;
  }

  /** Pads [from, to) with blank units so that the next unit lands at `to`; an empty queue then starts at `to`. */
  #fillBlank(from: number, to: number): void {
    const empty = from <= this.#minLogicOffset && this.#maxPhysicOffset < 0;
    if (!empty) {
      log.error({ topic: this.topic, queueId: this.queueId, from: from / CQ_UNIT_SIZE, to: to / CQ_UNIT_SIZE }, 'gap in consume queue filled with blanks');
    }
    let pos = from;
    const fileSize = this.#files.fileSize;
    if (empty && (this.#files.files().length === 0 || to >= from - (from % fileSize) + fileSize)) {
      // No live unit: restart the queue in the segment holding `to` instead of writing whole files of blanks.
      pos = to - (to % fileSize);
      this.#files.close({ discardUnwritten: true });
      rmSync(this.dir, { recursive: true, force: true });
      this.#files = new MappedFileQueue(this.#fileOpts);
      this.#files.load();
      this.#files.truncateDirty(pos);
    }
    writeCqUnit(this.#unit, 0, 0, BLANK_SIZE, 0);
    while (pos < to) {
      this.#files.append(this.#unit);
      pos += CQ_UNIT_SIZE;
    }
    if (empty) this.#minLogicOffset = to;
  }

  /**
   * Units from logical offset `index` to the end of its segment file or of the queue, at most `maxUnits`
   * (ConsumeQueue.getIndexBuffer). undefined when `index` is outside [minOffset, maxOffset).
   */
  getUnits(index: number, maxUnits = Number.POSITIVE_INFINITY): Buffer | undefined {
    const start = index * CQ_UNIT_SIZE;
    if (start < this.#minLogicOffset || start >= this.#files.maxOffset) return undefined;
    const fileEnd = start - (start % this.#files.fileSize) + this.#files.fileSize;
    const end = Math.min(fileEnd, this.#files.maxOffset, start + maxUnits * CQ_UNIT_SIZE);
    return this.#files.read(start, end - start);
  }

  /** First logical offset of the segment after the one holding `index` (ConsumeQueue.rollNextFile). */
  rollNextFile(index: number): number {
    const unitsPerFile = this.#files.fileSize / CQ_UNIT_SIZE;
    return index + unitsPerFile - (index % unitsPerFile);
  }

  /** The unit at logical offset `index`, or undefined. */
  getUnit(index: number): { commitLogOffset: number; size: number; tagsCode: number } | undefined {
    const b = this.getUnits(index, 1);
    if (b === undefined || b.length < CQ_UNIT_SIZE) return undefined;
    return { commitLogOffset: Number(b.readBigInt64BE(0)), size: b.readInt32BE(8), tagsCode: Number(b.readBigInt64BE(12)) };
  }

  /**
   * Logical offset for a store timestamp (ConsumeQueue.getOffsetInQueueByTime, binary search). Exact matches go to the
   * first (LOWER) or last (UPPER) unit with that time; otherwise LOWER gives the first unit stored after `timestamp`
   * and UPPER the last one stored before it. `storeTimeOf` reads a record's store time (< 0: unreadable).
   */
  getOffsetInQueueByTime(timestamp: number, boundary: BoundaryType, storeTimeOf: (offset: number, size: number) => number): number {
    const lo0 = this.minOffset;
    const hi0 = this.maxOffset - 1;
    if (hi0 < lo0) return 0;
    const timeAt = (i: number): number => {
      const u = this.getUnit(i);
      return u === undefined ? -1 : storeTimeOf(u.commitLogOffset, u.size);
    };
    const lastTime = timeAt(hi0);
    if (lastTime >= 0 && lastTime < timestamp) return boundary === BoundaryType.LOWER ? hi0 + 1 : hi0;
    const firstTime = timeAt(lo0);
    if (firstTime > timestamp) return boundary === BoundaryType.LOWER ? lo0 : 0;
    let lo = lo0;
    let hi = hi0;
    let target = -1;
    let left = -1;
    let right = -1;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const t = timeAt(mid);
      if (t < 0) return 0;
      if (t === timestamp) {
        target = mid;
        break;
      }
      if (t > timestamp) {
        right = mid;
        hi = mid - 1;
      } else {
        left = mid;
        lo = mid + 1;
      }
    }
    if (target < 0) return boundary === BoundaryType.LOWER ? right : left;
    if (boundary === BoundaryType.LOWER) {
      while (target - 1 >= lo0 && timeAt(target - 1) === timestamp) target--;
    } else {
      while (target + 1 <= hi0 && timeAt(target + 1) === timestamp) target++;
    }
    return target;
  }

  /** Removes every unit pointing at or past `phyOffset` (ConsumeQueue.truncateDirtyLogicFiles). */
  truncateDirty(phyOffset: number): void {
    let lo = this.#minLogicOffset / CQ_UNIT_SIZE;
    let hi = this.maxOffset;
    // Units are sorted by commit-log offset: binary search the first unit at or past phyOffset.
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const u = this.getUnit(mid);
      if (u !== undefined && u.size !== BLANK_SIZE && u.commitLogOffset >= phyOffset) hi = mid;
      else lo = mid + 1;
    }
    if (lo >= this.maxOffset) return;
    this.#files.truncateDirty(lo * CQ_UNIT_SIZE);
    if (this.#minLogicOffset > lo * CQ_UNIT_SIZE) this.#minLogicOffset = lo * CQ_UNIT_SIZE;
    const lastOffset = this.lastUnitCommitLogOffset();
    const last = lastOffset < 0 ? undefined : this.getUnit(this.maxOffset - 1);
    this.#maxPhysicOffset = last === undefined || last.size === BLANK_SIZE ? -1 : last.commitLogOffset + last.size;
  }

  /**
   * Deletes segment files whose units all point below `minCommitLogOffset` (never the last one), then moves minOffset
   * to the first unit at or past it (ConsumeQueue.deleteExpiredFile + correctMinOffset). Returns files deleted.
   */
  deleteExpiredFiles(minCommitLogOffset: number): number {
    const files = this.#files.files();
    const fileSize = this.#files.fileSize;
    let deleteBelow = -1;
    for (let i = 0; i < files.length - 1; i++) {
      const lastUnitPos = files[i].fileFromOffset + fileSize - CQ_UNIT_SIZE;
      const b = this.#files.read(lastUnitPos, CQ_UNIT_SIZE);
      if (b === undefined) break;
      if (Number(b.readBigInt64BE(0)) >= minCommitLogOffset) break;
      deleteBelow = files[i].fileFromOffset + fileSize;
    }
    const n = deleteBelow < 0 ? 0 : this.#files.deleteFilesBefore(deleteBelow);
    this.correctMinOffset(minCommitLogOffset);
    return n;
  }

  /** Moves minOffset to the first unit whose commit-log offset is ≥ `minCommitLogOffset` (maxOffset if none). */
  correctMinOffset(minCommitLogOffset: number): void {
    let lo = Math.max(this.#minLogicOffset, this.#files.minOffset) / CQ_UNIT_SIZE;
    let hi = this.maxOffset;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const b = this.#files.read(mid * CQ_UNIT_SIZE, CQ_UNIT_SIZE);
      const blank = b === undefined || b.readInt32BE(8) === BLANK_SIZE;
      if (!blank && Number(b.readBigInt64BE(0)) >= minCommitLogOffset) hi = mid;
      else lo = mid + 1;
    }
    this.#minLogicOffset = lo * CQ_UNIT_SIZE;
  }

  flush(): Promise<number> {
    return this.#files.flush();
  }

  /** True when bytes were appended since the last flush. */
  get hasUnflushed(): boolean {
    return this.#files.maxOffset > this.#files.flushedOffset;
  }

  /**
   * Whether a background flush should sync this queue now (MappedFile.isAbleToFlush): it has unflushed bytes and either
   * `leastPages` ≤ 0, the segment holding the flushed position is full, or ≥ `leastPages` 4 KiB pages of it are dirty.
   */
  needsFlush(leastPages: number): boolean {
    const flushed = this.#files.flushedOffset;
    const max = this.#files.maxOffset;
    if (max <= flushed) return false;
    if (leastPages <= 0) return true;
    const fileSize = this.#files.fileSize;
    const fileFrom = flushed - (flushed % fileSize);
    if (max >= fileFrom + fileSize) return true;
    return Math.floor((max - fileFrom) / OS_PAGE_SIZE) - Math.floor((flushed - fileFrom) / OS_PAGE_SIZE) >= leastPages;
  }

  files(): ReadonlyArray<{ fileFromOffset: number; path: string; lastModified: number }> {
    return this.#files.files();
  }

  close(opts: { discardUnwritten?: boolean } = {}): void {
    this.#files.close(opts);
  }

  /** Closes and deletes the queue's folder (topic deletion). */
  destroy(): void {
    this.#files.close({ discardUnwritten: true });
    rmSync(this.dir, { recursive: true, force: true });
  }

  #firstNonBlank(): number {
    const start = this.#files.minOffset;
    const fileEnd = start + this.#files.fileSize;
    const end = Math.min(fileEnd, this.#files.maxOffset);
    const b = end > start ? this.#files.read(start, end - start) : undefined;
    if (b === undefined) return start;
    let p = 0;
    while (p < b.length && b.readInt32BE(p + 8) === BLANK_SIZE) p += CQ_UNIT_SIZE;
    return start + p;
  }
}
