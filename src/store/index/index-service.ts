// The set of IndexFiles under store/index (§7.4): builds entries for UNIQ_KEY and KEYS tokens, answers key queries.
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../common/logger.ts';
import { KEY_SEPARATOR, MessageSysFlag, transactionType } from '../../common/message/message-const.ts';
import type { DispatchInfo } from '../../common/message/message-record.ts';
import type { FaultPoints } from '../fault-points.ts';
import { buildIndexKey } from './index-codec.ts';
import { IndexFile, indexFileName, indexFileNameTime, isIndexFileName } from './index-file.ts';

const log = createLogger('index-service');

export interface IndexServiceOptions {
  /** Folder of the index files (store/index). */
  dir: string;
  /** maxHashSlotNum. */
  hashSlotNum: number;
  /** maxIndexNum. */
  indexNum: number;
  /** Cap on offsets one query returns (maxMsgsNumBatch, 64). */
  maxMsgsNumBatch?: number;
  /** Clock for new file names; Date.now by default. */
  now?: () => number;
  faults?: FaultPoints;
}

export interface QueryOffsetResult {
  /** Commit-log offsets, newest first. */
  phyOffsets: number[];
  /** endTimestamp of the newest index file (QUERY_MESSAGE response header indexLastUpdateTimestamp). */
  indexLastUpdateTimestamp: number;
  /** endPhyOffset of the newest index file (indexLastUpdatePhyOffset). */
  indexLastUpdatePhyOffset: number;
}

/** The fields of a dispatched record that indexing uses. */
export type IndexRequest = Pick<DispatchInfo, 'topic' | 'commitLogOffset' | 'storeTimestamp' | 'sysFlag' | 'keys' | 'uniqKey'>;

export class IndexService {
  readonly dir: string;
  readonly #hashSlotNum: number;
  readonly #indexNum: number;
  readonly #maxMsgsNumBatch: number;
  readonly #now: () => number;
  readonly #faults: FaultPoints | undefined;
  /** Oldest first; only the last one is writable. */
  #files: IndexFile[] = [];
  /** Highest commit-log offset already indexed (−1 = none): re-dispatched records at or below it are skipped. */
  #lastIndexedOffset = -1;
  /** endTimestamp of the newest full file that has been flushed (Java's checkpoint indexMsgTimestamp). */
  #fullFlushedTimestamp = 0;
  #closed = false;

  constructor(opts: IndexServiceOptions) {
    this.dir = opts.dir;
    this.#hashSlotNum = opts.hashSlotNum;
    this.#indexNum = opts.indexNum;
    this.#maxMsgsNumBatch = opts.maxMsgsNumBatch ?? 64;
    this.#now = opts.now ?? Date.now;
    this.#faults = opts.faults;
  }

  get #fileOptions(): { slotNum: number; indexNum: number; faults?: FaultPoints } {
    return { slotNum: this.#hashSlotNum, indexNum: this.#indexNum, faults: this.#faults };
  }

  /**
   * Opens the existing files. After an abnormal exit (`lastExitOK` false) files whose endTimestamp is later than
   * `checkpointIndexTimestamp` are deleted first (§7.6): recovery re-dispatches their records.
   */
  load(lastExitOK: boolean, checkpointIndexTimestamp = 0): void {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir).filter(isIndexFileName).sort();
    for (let i = 0; i < names.length; i++) {
      const path = join(this.dir, names[i]);
      if (statSync(path).size === 0) {
        log.warn({ path }, 'deleting empty index file (creation was interrupted)');
        unlinkSync(path);
        continue;
      }
      const f = IndexFile.open(path, this.#fileOptions, i === names.length - 1);
      if (!lastExitOK && f.endTimestamp > checkpointIndexTimestamp) {
        log.info({ path, endTimestamp: f.endTimestamp, checkpointIndexTimestamp }, 'deleting index file newer than checkpoint');
        f.destroy();
        continue;
      }
      this.#files.push(f);
    }
    // a surviving newest file opened read-only (a later one was deleted) must become writable again
    const last = this.#files.at(-1);
    if (last !== undefined && !last.writable && !last.isWriteFull()) {
      last.close(false);
      this.#files[this.#files.length - 1] = IndexFile.open(last.path, this.#fileOptions, true);
    }
    for (const f of this.#files) if (f.isWriteFull()) this.#fullFlushedTimestamp = f.endTimestamp;
    this.#lastIndexedOffset = -1;
    for (let i = this.#files.length - 1; i >= 0; i--) {
      if (this.#files[i].entryCount > 0) {
        this.#lastIndexedOffset = this.#files[i].endPhyOffset;
        break;
      }
    }
  }

  /** Files, oldest first (read-only view for tests and admin). */
  get files(): readonly IndexFile[] {
    return this.#files;
  }

  get lastUpdateTimestamp(): number {
    return this.#files.at(-1)?.endTimestamp ?? 0;
  }

  get lastUpdatePhyOffset(): number {
    return this.#files.at(-1)?.endPhyOffset ?? 0;
  }

  /** Value for the checkpoint's indexMsgTimestamp: endTimestamp of the newest full, flushed file (0 if none). */
  get checkpointTimestamp(): number {
    return this.#fullFlushedTimestamp;
  }

  /**
   * Indexes one dispatched record: UNIQ_KEY and every non-empty KEYS token, each as `topic#key`. Rollback records and
   * records at or below the last indexed commit-log offset (re-dispatch after recovery) are skipped.
   */
  buildIndex(req: IndexRequest): void {
    if (this.#closed) return;
    if (req.commitLogOffset <= this.#lastIndexedOffset) return;
    if (transactionType(req.sysFlag) === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) return;
    let indexed = false;
    if (req.uniqKey !== undefined && req.uniqKey !== '') {
      this.#putKey(buildIndexKey(req.topic, req.uniqKey), req.commitLogOffset, req.storeTimestamp);
      indexed = true;
    }
    if (req.keys !== '') {
      for (const k of req.keys.split(KEY_SEPARATOR)) {
        if (k === '') continue;
        this.#putKey(buildIndexKey(req.topic, k), req.commitLogOffset, req.storeTimestamp);
        indexed = true;
      }
    }
    if (indexed) this.#lastIndexedOffset = req.commitLogOffset;
  }

  #putKey(key: string, phyOffset: number, storeTimestamp: number): void {
    let f = this.#writableFile();
    if (f.putKey(key, phyOffset, storeTimestamp)) return;
    f = this.#rollover();
    f.putKey(key, phyOffset, storeTimestamp);
  }

  #writableFile(): IndexFile {
    const last = this.#files.at(-1);
    if (last !== undefined && last.writable && !last.isWriteFull()) return last;
    return this.#rollover();
  }

  /** Seals the newest file (if any) and creates the next one, named after the clock (strictly later than the last name). */
  #rollover(): IndexFile {
    const last = this.#files.at(-1);
    let prevEndPhyOffset = 0;
    let prevEndTimestamp = 0;
    let t = this.#now();
    if (last !== undefined) {
      last.seal();
      if (last.isWriteFull()) this.#fullFlushedTimestamp = last.endTimestamp;
      prevEndPhyOffset = last.endPhyOffset;
      prevEndTimestamp = last.endTimestamp;
      const lastNameTime = indexFileNameTime(last.fileName);
      if (!(t > lastNameTime)) t = lastNameTime + 1;
    }
    mkdirSync(this.dir, { recursive: true });
    const f = IndexFile.create(join(this.dir, indexFileName(t)), this.#fileOptions, prevEndPhyOffset, prevEndTimestamp);
    this.#files.push(f);
    return f;
  }

  /**
   * Commit-log offsets of messages with `key` (a KEYS token or UNIQ_KEY) in `topic` stored within [begin, end] (ms),
   * newest first, at most min(maxNum, maxMsgsNumBatch). Unflushed entries are included.
   */
  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): QueryOffsetResult {
    const phyOffsets: number[] = [];
    const limit = Math.min(maxNum, this.#maxMsgsNumBatch);
    const indexKey = buildIndexKey(topic, key);
    for (let i = this.#files.length - 1; i >= 0 && limit > 0; i--) {
      const f = this.#files[i];
      if (f.isTimeMatched(begin, end)) f.selectPhyOffsets(phyOffsets, indexKey, limit, begin, end);
      if (f.beginTimestamp < begin) break;
      if (phyOffsets.length >= limit) break;
    }
    return {
      phyOffsets,
      indexLastUpdateTimestamp: this.lastUpdateTimestamp,
      indexLastUpdatePhyOffset: this.lastUpdatePhyOffset,
    };
  }

  /** Writes everything pending to disk (one fdatasync per dirty file). Returns checkpointTimestamp. */
  flush(): number {
    for (const f of this.#files) f.flush();
    return this.#fullFlushedTimestamp;
  }

  /**
   * Retention: deletes files, oldest first, whose endPhyOffset is below `minCommitLogOffset` (their records are gone
   * from the commit log). The newest file is always kept. Returns the number deleted.
   */
  deleteExpiredFiles(minCommitLogOffset: number): number {
    let n = 0;
    while (this.#files.length > 1 && this.#files[0].endPhyOffset < minCommitLogOffset) {
      const f = this.#files.shift();
      f?.destroy();
      n++;
    }
    if (n > 0) log.info({ deleted: n, minCommitLogOffset }, 'deleted expired index files');
    return n;
  }

  /**
   * Deletes every file whose endTimestamp is later than `timestamp` (abnormal recovery with a live service). The
   * newest surviving file becomes writable again. Returns the number deleted.
   */
  deleteFilesAfter(timestamp: number): number {
    const keep: IndexFile[] = [];
    let n = 0;
    for (const f of this.#files) {
      if (f.endTimestamp > timestamp) {
        f.destroy();
        n++;
      } else {
        keep.push(f);
      }
    }
    this.#files = keep;
    const last = keep.at(-1);
    if (last !== undefined && !last.writable && !last.isWriteFull()) {
      last.close(false);
      keep[keep.length - 1] = IndexFile.open(last.path, this.#fileOptions, true);
    }
    this.#lastIndexedOffset = -1;
    for (let i = keep.length - 1; i >= 0; i--) {
      if (keep[i].entryCount > 0) {
        this.#lastIndexedOffset = keep[i].endPhyOffset;
        break;
      }
    }
    return n;
  }

  /** Flushes and closes every file. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const f of this.#files) f.close(this.#faults?.crashed !== true);
    this.#files = [];
  }

  /** Closes and deletes every index file. */
  destroy(): void {
    for (const f of this.#files) f.destroy();
    this.#files = [];
    this.#closed = true;
  }
}
