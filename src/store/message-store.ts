// The store facade the broker uses (Java DefaultMessageStore): commit log + consume queues + index + checkpoint, with
// dispatch, recovery, retention and the read API. Files: PROTOCOL.md §7; pull statuses: §9.
import { mkdirSync } from 'node:fs';
import { RocketMQError, ERROR_CODES } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { checkRecord } from '../common/message/message-record.ts';
import { FlushDiskType } from './config/message-store-config.ts';
import type { MessageStoreConfig } from './config/message-store-config.ts';
import { CommitLog, PutMessageStatus } from './commitlog/commit-log.ts';
import type { AppendInput, AppendResult } from './commitlog/commit-log.ts';
import type { FaultPoints } from './fault-points.ts';
import { storePaths } from './store-path.ts';
import type { StorePaths } from './store-path.ts';
import { StoreCheckpoint } from './checkpoint/store-checkpoint.ts';
import { abortFileExists, createAbortFile, deleteAbortFile } from './checkpoint/abort-file.ts';
import { StoreLock } from './checkpoint/lock-file.ts';
import { ConsumeQueueTable } from './consumequeue/consume-queue-table.ts';
import { BoundaryType } from './consumequeue/consume-queue.ts';
import { IndexService } from './index/index-service.ts';
import { ReputService } from './dispatch/reput-service.ts';
import type { MessageArrivedListener } from './dispatch/reput-service.ts';
import { parseDelayLevels } from './dispatch/delay-level.ts';
import { recoverStore } from './recovery/store-recovery.ts';
import type { RecoveryResult } from './recovery/store-recovery.ts';
import { CleanService, statfsDiskUsage } from './clean/clean-service.ts';
import type { CleanReport } from './clean/clean-service.ts';
import { getMessageFromQueue, emptyResult } from './query/get-message.ts';
import { GetMessageStatus } from './query/get-message-result.ts';
import type { GetMessageResult, MessageFilter } from './query/get-message-result.ts';

const log = createLogger('message-store');

/** What putMessage / putMessages answer (status + where the record went). */
export type PutMessageResult = AppendResult;
/** One message to store: the commit log fills in queue offset, physical offset, store time and body CRC. */
export type PutMessageInput = AppendInput;

export interface QueryMessageResult {
  /** Raw stored records, newest first. */
  messages: Buffer[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

export interface MessageStoreOptions {
  /** Disk usage percentage 0..100 of the store's file system (default: statfs on the store root). */
  diskUsage?: () => number | Promise<number>;
  /** Clock for store timestamps and retention (default Date.now). */
  now?: () => number;
  /** Fault points for crash tests (shared by the commit log and the index). */
  faults?: FaultPoints;
  /** Replaces the commit log's fdatasync (tests stall or count it). */
  fdatasync?: (fd: number) => Promise<void>;
  /** Replaces the consume queues' fdatasync (tests count it). */
  consumeQueueFdatasync?: (fd: number) => Promise<void>;
}

const State = { NEW: 'NEW', LOADED: 'LOADED', RUNNING: 'RUNNING', STOPPED: 'STOPPED' } as const;
type State = (typeof State)[keyof typeof State];

export class MessageStore {
  readonly config: MessageStoreConfig;
  readonly paths: StorePaths;
  #opts: MessageStoreOptions;
  #now: () => number;
  #state: State = State.NEW;
  #lock: StoreLock;
  #checkpoint: StoreCheckpoint | undefined;
  #commitLog: CommitLog;
  #queues: ConsumeQueueTable;
  #index: IndexService | undefined;
  #reput: ReputService;
  #clean: CleanService;
  #diskFull = false;
  #lastExitOK = true;
  #recovery: RecoveryResult | undefined;
  #flushTimer: ReturnType<typeof setInterval> | undefined;
  #flushing: Promise<void> | undefined;
  /** When the last thorough consume-queue flush started (background rounds in between honour flushConsumeQueueLeastPages). */
  #lastThoroughFlush = 0;
  /** Whether the round in #flushing syncs every queue. */
  #flushingThorough = false;
  #putCount = 0;
  /** Set by crashForTest: nothing may be written any more. */
  #dead = false;
  #putFailures = 0;

  constructor(config: MessageStoreConfig, opts: MessageStoreOptions = {}) {
    this.config = config;
    this.paths = storePaths(config);
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#lock = new StoreLock(this.paths.lock, this.paths.root);
    this.#commitLog = new CommitLog(config, {
      faults: opts.faults,
      now: this.#now,
      isDiskFull: () => this.#diskFull,
      fdatasync: opts.fdatasync,
    });
    this.#queues = new ConsumeQueueTable({
      root: this.paths.consumeQueue,
      fileSize: config.mappedFileSizeConsumeQueue,
      now: this.#now,
      maxOpenFiles: config.maxOpenConsumeQueueFiles,
      fdatasync: opts.consumeQueueFdatasync,
    });
    this.#index = config.messageIndexEnable
      ? new IndexService({
          dir: this.paths.index,
          hashSlotNum: config.maxHashSlotNum,
          indexNum: config.maxIndexNum,
          maxMsgsNumBatch: config.maxMsgsNumBatch,
          now: this.#now,
          faults: opts.faults,
        })
      : undefined;
    const index = this.#index;
    this.#reput = new ReputService({
      commitLog: this.#commitLog,
      queues: this.#queues,
      limit: () => this.#confirmedOffset(),
      delayLevels: parseDelayLevels(config.messageDelayLevel),
      dispatchers: index === undefined ? [] : [(info) => index.buildIndex(info)],
    });
    this.#clean = new CleanService({
      config,
      commitLog: this.#commitLog,
      queues: this.#queues,
      index: this.#index,
      diskUsage: opts.diskUsage ?? (() => statfsDiskUsage(this.paths.root)),
      now: this.#now,
      onDiskFull: (full) => {
        this.#diskFull = full;
      },
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Takes the store lock, opens every file and recovers (§7.6). Throws RocketMQError(STORE) when another running store
   * holds the directory, or when the files cannot be read.
   */
  load(): void {
    if (this.#state !== State.NEW) throw new RocketMQError(ERROR_CODES.STORE, `store ${this.paths.root} already loaded`);
    mkdirSync(this.paths.root, { recursive: true });
    this.#lock.acquire();
    try {
      this.#lastExitOK = !abortFileExists(this.paths.abort);
      this.#commitLog.load();
      this.#queues.load();
      this.#checkpoint = new StoreCheckpoint(this.paths.checkpoint);
      // Index entries on disk never point past the commit log on disk (flush order), so none is dropped here.
      this.#index?.load(true);
      this.#recovery = recoverStore({
        commitLog: this.#commitLog,
        queues: this.#queues,
        index: this.#index,
        checkpoint: this.#checkpoint,
        lastExitOK: this.#lastExitOK,
        checkCrc: this.config.checkCRCOnRecover,
        dispatch: (info) => this.#reput.dispatch(info, false),
      });
      this.#reput.reputFromOffset = this.#recovery.validEnd;
      log.info({ dir: this.paths.root, lastExitOK: this.#lastExitOK, ...this.#recovery }, 'store recovered');
      this.#state = State.LOADED;
    } catch (e) {
      this.#closeFiles(true);
      this.#lock.release();
      throw e;
    }
  }

  /** Creates the abort file, starts flushing, dispatch and retention. Appends are accepted from here on. */
  async start(): Promise<void> {
    if (this.#state === State.NEW) this.load();
    if (this.#state !== State.LOADED) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, `store ${this.paths.root} cannot start twice`);
    createAbortFile(this.paths.abort);
    await this.#clean.checkDisk();
    this.#commitLog.start();
    const wake = (): void => this.#reput.schedule();
    if (this.config.flushDiskType === FlushDiskType.SYNC_FLUSH) this.#commitLog.onFlushed(wake);
    else this.#commitLog.onAppended(wake);
    this.#reput.start();
    this.#clean.start();
    this.#lastThoroughFlush = this.#now();
    this.#flushTimer = setInterval(() => void this.flushDerived({ background: true }), this.config.flushIntervalConsumeQueue);
    this.#state = State.RUNNING;
  }

  /** Refuses new appends, flushes and dispatches everything, writes the checkpoint, deletes the abort file, unlocks. */
  async shutdown(): Promise<void> {
    if (this.#state === State.NEW || this.#state === State.STOPPED) return;
    const wasRunning = this.#state === State.RUNNING;
    this.#state = State.STOPPED;
    if (this.#flushTimer !== undefined) clearInterval(this.#flushTimer);
    await this.#clean.stop();
    await this.#flushing?.catch(() => undefined);
    const crashed = this.#crashed();
    if (!crashed) {
      if (wasRunning) {
        try {
          await this.#commitLog.flush();
        } catch (e) {
          log.error({ err: e }, 'final commit-log flush failed');
        }
        this.#reput.dispatchAvailable();
      }
      await this.#flushDerivedNow(true);
    }
    this.#reput.stop();
    await this.#commitLog.shutdown();
    this.#closeFiles(crashed);
    if (!crashed) deleteAbortFile(this.paths.abort);
    this.#lock.release();
  }

  /**
   * Test hook: stops like a killed process — timers stop, nothing more is written (in-memory bytes are dropped), the abort
   * file stays, the lock file stays (taken over as stale by the next store of this process).
   */
  async crashForTest(): Promise<void> {
    if (this.#state === State.NEW || this.#state === State.STOPPED) return;
    this.#state = State.STOPPED;
    this.#dead = true;
    if (this.#flushTimer !== undefined) clearInterval(this.#flushTimer);
    await this.#clean.stop();
    this.#reput.stop();
    this.#commitLog.mappedFileQueue.close({ discardUnwritten: true });
    await this.#commitLog.shutdown().catch(() => undefined);
    this.#queues.closeAll({ discardUnwritten: true });
    for (const f of this.#index?.files ?? []) f.close(false);
    this.#checkpoint?.abandon();
    this.#lock.abandon();
  }

  #crashed(): boolean {
    return this.#dead || this.#opts.faults?.crashed === true;
  }

  #closeFiles(crashed: boolean): void {
    this.#queues.closeAll({ discardUnwritten: crashed });
    this.#index?.close();
    if (crashed) this.#checkpoint?.abandon();
    else this.#checkpoint?.close();
  }

  /**
   * Flushes consume queues and index after the commit log they point into, then the checkpoint. A call flushes every
   * consume queue; `background` (the 1 s timer) syncs only queues with ≥ flushConsumeQueueLeastPages dirty pages, except
   * every flushConsumeQueueThoroughInterval ms (Java FlushConsumeQueueService).
   */
  flushDerived(opts: { background?: boolean } = {}): Promise<void> {
    let thorough = true;
    if (opts.background === true) {
      const now = this.#now();
      thorough = now - this.#lastThoroughFlush >= this.config.flushConsumeQueueThoroughInterval;
      if (thorough) this.#lastThoroughFlush = now;
    }
    // A running round is joined; a thorough request behind a partial round runs a thorough one after it.
    if (this.#flushing !== undefined && (this.#flushingThorough || !thorough)) return this.#flushing;
    const before = this.#flushing?.catch(() => undefined) ?? Promise.resolve();
    const round: Promise<void> = before
      .then(() => this.#flushDerivedNow(thorough))
      .finally(() => {
        if (this.#flushing === round) this.#flushing = undefined;
      });
    this.#flushing = round;
    this.#flushingThorough = thorough;
    return round;
  }

  async #flushDerivedNow(thorough: boolean): Promise<void> {
    const cp = this.#checkpoint;
    if (cp === undefined || this.#crashed()) return;
    const dispatchedEnd = this.#reput.lastDispatchedEnd;
    const ts = this.#reput.lastStoreTimestamp;
    let allQueuesFlushed: boolean;
    try {
      // Derived data on disk must never point past the commit log on disk.
      if (this.#commitLog.getFlushedOffset() < dispatchedEnd) await this.#commitLog.flush();
      if (this.#crashed()) return;
      allQueuesFlushed = await this.#queues.flushAll({ leastPages: thorough ? 0 : this.config.flushConsumeQueueLeastPages });
      // The index (random writes all over its 20 MB slot table) is synced on thorough rounds only — Java syncs it when a
      // file fills — so background rounds do not stall the event loop rewriting it; after a crash, recovery re-indexes
      // from the checkpoint's (older) index timestamp.
      if (thorough) this.#index?.flush();
    } catch (e) {
      log.error({ err: e }, 'consume-queue / index flush failed');
      return;
    }
    if (this.#crashed()) return;
    if (ts > 0) {
      cp.physicMsgTimestamp = ts;
      // Recovery after a crash re-dispatches from min(physic, logics): logics may only claim what every queue has synced.
      if (allQueuesFlushed) cp.logicsMsgTimestamp = ts;
      if (thorough) cp.indexMsgTimestamp = ts;
    }
    try {
      await cp.flushAsync();
    } catch (e) {
      log.error({ err: e }, 'checkpoint flush failed');
    }
  }

  // ---------------------------------------------------------------- writes

  /** Appends one message (status DISK_FULL at ≥ diskSpaceWarningLevelRatio, SERVICE_NOT_AVAILABLE when not running). */
  async putMessage(input: PutMessageInput): Promise<PutMessageResult> {
    return this.#counted(this.#state === State.RUNNING ? await this.#commitLog.appendMessage(input) : notRunning());
  }

  /** Appends a batch (same topic and queue, consecutive queue offsets, one segment). */
  async putMessages(inputs: readonly PutMessageInput[]): Promise<PutMessageResult> {
    return this.#counted(this.#state === State.RUNNING ? await this.#commitLog.appendMessages(inputs) : notRunning());
  }

  #counted(r: PutMessageResult): PutMessageResult {
    if (r.status === PutMessageStatus.PUT_OK) this.#putCount += r.msgNum;
    else this.#putFailures++;
    return r;
  }

  /** Deletes the consume queues of these topics (the commit log keeps their records until retention); returns how many
   *  topics had queues. */
  deleteTopics(names: Iterable<string>): number {
    let n = 0;
    for (const topic of names) {
      const ids = this.#queues.deleteTopic(topic);
      for (const id of ids) this.#commitLog.removeQueueFromTopicQueueTable(topic, id);
      if (ids.length > 0) n++;
    }
    return n;
  }

  /** Calls `listener` for every record dispatched to a consume queue (long polling wakes on it); the queue's max
   *  offset is then queueOffset + 1. */
  onMessageArrived(listener: MessageArrivedListener): void {
    this.#reput.onMessageArrived(listener);
  }

  // ---------------------------------------------------------------- reads

  /**
   * Up to `maxMsgNums` records of topic/queueId from logical `offset` (DefaultMessageStore.getMessage, §9), within
   * `maxTotalBytes` and the store's per-pull limits, filtered by tagsCode (and properties when the filter has it).
   */
  getMessage(
    group: string,
    topic: string,
    queueId: number,
    offset: number,
    maxMsgNums: number,
    maxTotalBytes: number,
    filter?: MessageFilter,
  ): GetMessageResult {
    void group;
    if (this.#state !== State.RUNNING && this.#state !== State.LOADED) {
      return emptyResult(GetMessageStatus.NO_MATCHED_LOGIC_QUEUE, offset, 0, 0);
    }
    const cq = this.#queues.find(topic, queueId);
    if (cq === undefined) return emptyResult(GetMessageStatus.NO_MATCHED_LOGIC_QUEUE, 0, 0, 0);
    return getMessageFromQueue(
      cq,
      {
        getMessage: (o, s) => this.#readRecord(o, s),
        rollNextFile: (o) => this.#commitLog.rollNextFile(o),
        readRun: (o, min, max) => this.#readRun(o, min, max),
      },
      offset,
      {
        maxMsgNums,
        maxTotalBytes: Math.min(maxTotalBytes, this.config.maxTransferBytesOnMessageInMemory),
        maxTotalCount: this.config.maxTransferCountOnMessageInMemory,
      },
      filter,
    );
  }

  /** Logical max offset (number of units) of a queue; 0 when it does not exist. */
  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.#queues.find(topic, queueId)?.maxOffset ?? 0;
  }

  /** First live logical offset of a queue; 0 when it does not exist. */
  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.#queues.find(topic, queueId)?.minOffset ?? 0;
  }

  /** Logical offset for a store timestamp (binary search; LOWER = first at/after, UPPER = last at/before). */
  getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number, boundary: BoundaryType = BoundaryType.LOWER): number {
    const cq = this.#queues.find(topic, queueId);
    if (cq === undefined) return 0;
    return cq.getOffsetInQueueByTime(timestamp, boundary, (o, s) => this.#storeTimeAt(o, s));
  }

  /** Commit-log offset of the unit at a logical offset (0 when absent). */
  getCommitLogOffsetInQueue(topic: string, queueId: number, consumeQueueOffset: number): number {
    return this.#queues.find(topic, queueId)?.getUnit(consumeQueueOffset)?.commitLogOffset ?? 0;
  }

  /** Store time of the message at a logical offset (-1 when absent). */
  getMessageStoreTimeStamp(topic: string, queueId: number, consumeQueueOffset: number): number {
    const u = this.#queues.find(topic, queueId)?.getUnit(consumeQueueOffset);
    return u === undefined ? -1 : this.#storeTimeAt(u.commitLogOffset, u.size);
  }

  /** Store time of the oldest live message of a queue, or of the whole commit log without arguments (-1 if none). */
  getEarliestMessageTime(topic?: string, queueId?: number): number {
    if (topic === undefined || queueId === undefined) {
      const min = this.#commitLog.getMinOffset();
      const head = this.#readRecordAt(min);
      return head === undefined ? -1 : this.#storeTimeAt(min, head.length);
    }
    const cq = this.#queues.find(topic, queueId);
    return cq === undefined ? -1 : this.getMessageStoreTimeStamp(topic, queueId, cq.minOffset);
  }

  /** The raw record at a commit-log offset (undefined when absent, not yet confirmed, or invalid). */
  lookMessageByOffset(commitLogOffset: number): Buffer | undefined {
    return this.#readRecordAt(commitLogOffset);
  }

  /** Messages of `topic` whose KEYS or UNIQ_KEY is `key`, stored in [begin, end] (ms), newest first. */
  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult {
    if (this.#index === undefined) return { messages: [], indexLastUpdateTimestamp: 0, indexLastUpdatePhyoffset: 0 };
    const q = this.#index.queryOffset(topic, key, maxNum, begin, end);
    const messages: Buffer[] = [];
    for (const off of q.phyOffsets) {
      const rec = this.#readRecordAt(off);
      if (rec === undefined) continue;
      const c = checkRecord(rec, 0, rec.length, false);
      if (c.kind !== 'ok' || c.info.topic !== topic) continue;
      if (c.info.uniqKey !== key && !c.info.keys.split(' ').includes(key)) continue;
      messages.push(rec);
    }
    return { messages, indexLastUpdateTimestamp: q.indexLastUpdateTimestamp, indexLastUpdatePhyoffset: q.indexLastUpdatePhyOffset };
  }

  getMinPhyOffset(): number {
    return this.#commitLog.getMinOffset();
  }

  getMaxPhyOffset(): number {
    return this.#commitLog.getMaxOffset();
  }

  /** Offset up to which records are durable enough to be served (flushed under SYNC_FLUSH, else appended). */
  getConfirmOffset(): number {
    return this.#confirmedOffset();
  }

  /** Topics that have consume queues. */
  topics(): string[] {
    return this.#queues.topics();
  }

  /** Queue ids of a topic that have consume queues. */
  queueIds(topic: string): number[] {
    return this.#queues.queuesOf(topic).map((cq) => cq.queueId);
  }

  get isDiskFull(): boolean {
    return this.#diskFull;
  }

  /** True when the last exit was not clean (abort file found at load). */
  get lastExitOK(): boolean {
    return this.#lastExitOK;
  }

  get recoveryResult(): RecoveryResult | undefined {
    return this.#recovery;
  }

  /** One retention round now (the service also runs every cleanResourceInterval ms). */
  runCleanOnce(): Promise<CleanReport> {
    return this.#clean.runOnce();
  }

  /** Dispatches everything confirmed so far, synchronously (tests, admin). Returns records dispatched. */
  dispatchNow(): number {
    return this.#reput.dispatchAvailable();
  }

  /** Flushes the commit log now; resolves with the flushed offset. */
  flushCommitLog(): Promise<number> {
    return this.#commitLog.flush();
  }

  /** Numbers for GET_BROKER_RUNTIME_INFO and metrics. */
  getRuntimeInfo(): Record<string, number> {
    return {
      commitLogMinOffset: this.#commitLog.getMinOffset(),
      commitLogMaxOffset: this.#commitLog.getMaxOffset(),
      commitLogFlushedOffset: this.#commitLog.getFlushedOffset(),
      commitLogFlushCount: this.#commitLog.flushCount,
      dispatchFromOffset: this.#reput.reputFromOffset,
      dispatchBehindBytes: this.#reput.behindBytes,
      dispatchedRecords: this.#reput.dispatchedCount,
      putMessageTimesTotal: this.#putCount,
      putMessageFailedTimes: this.#putFailures,
      consumeQueueCount: this.#queues.all().length,
      indexFileCount: this.#index?.files.length ?? 0,
      diskFull: this.#diskFull ? 1 : 0,
      lastExitOK: this.#lastExitOK ? 1 : 0,
    };
  }

  // ---------------------------------------------------------------- internals

  #confirmedOffset(): number {
    return this.config.flushDiskType === FlushDiskType.SYNC_FLUSH ? this.#commitLog.getFlushedOffset() : this.#commitLog.getMaxOffset();
  }

  /** Record bytes at offset/size if they lie below the confirmed offset. */
  #readRecord(offset: number, size: number): Buffer | undefined {
    if (offset + size > this.#confirmedOffset()) return undefined;
    return this.#commitLog.getMessage(offset, size);
  }

  /**
   * Up to `maxLength` bytes from `offset` in one read, cut at the confirmed offset and the segment end; undefined when
   * that leaves fewer than `minLength` (the first record would not be whole, or lies past what may be served).
   */
  #readRun(offset: number, minLength: number, maxLength: number): Buffer | undefined {
    if (minLength <= 0 || maxLength < minLength) return undefined;
    const end = Math.min(offset + maxLength, this.#confirmedOffset(), this.#commitLog.rollNextFile(offset));
    if (end < offset + minLength) return undefined;
    return this.#commitLog.getMessage(offset, end - offset);
  }

  /** The whole valid record starting at `offset`, or undefined. */
  #readRecordAt(offset: number): Buffer | undefined {
    if (offset < this.#commitLog.getMinOffset()) return undefined;
    const head = this.#readRecord(offset, 4);
    if (head === undefined) return undefined;
    const size = head.readInt32BE(0);
    if (size <= 0) return undefined;
    const rec = this.#readRecord(offset, size);
    if (rec === undefined) return undefined;
    const c = checkRecord(rec, 0, rec.length, false);
    return c.kind === 'ok' && c.info.commitLogOffset === offset ? rec : undefined;
  }

  #storeTimeAt(offset: number, size: number): number {
    const rec = this.#commitLog.getMessage(offset, size);
    if (rec === undefined) return -1;
    const c = checkRecord(rec, 0, rec.length, false);
    return c.kind === 'ok' ? c.info.storeTimestamp : -1;
  }
}

function notRunning(): PutMessageResult {
  return {
    status: PutMessageStatus.SERVICE_NOT_AVAILABLE,
    wroteOffset: -1,
    wroteBytes: 0,
    queueOffset: -1,
    msgId: '',
    storeTimestamp: 0,
    msgNum: 0,
    remark: 'message store is not running',
  };
}
