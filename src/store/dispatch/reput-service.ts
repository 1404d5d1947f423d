// Dispatch ("reput"): reads the commit log in order from reputFromOffset and builds ConsumeQueue units and index entries
// (PROTOCOL.md §7.2). Under SYNC_FLUSH it never goes past the flushed offset (rocketmq#8239), so nothing a crash could
// still lose is ever visible to a consumer. Runs on setImmediate after appends / flushes, off the append's path.
import type { DispatchInfo } from '../../common/message/message-record.ts';
import { MessageConst, MessageSysFlag, transactionType } from '../../common/message/message-const.ts';
import { createLogger } from '../../common/logger.ts';
import { errorMessage } from '../../common/errors.ts';
import type { CommitLog } from '../commitlog/commit-log.ts';
import type { ConsumeQueueTable } from '../consumequeue/consume-queue-table.ts';
import { deliverTimestamp } from './delay-level.ts';

export const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';

const log = createLogger('reput');

/** Records dispatched per event-loop turn before yielding. */
const RECORDS_PER_TURN = 4096;
/** Wait before dispatching again after a failure (EMFILE, EIO...): the position is kept, the record retried. */
const RETRY_DELAY_MS = 200;

export type MessageArrivedListener = (
  topic: string,
  queueId: number,
  queueOffset: number,
  tagsCode: number,
  storeTimestamp: number,
  properties: Readonly<Record<string, string>>,
) => void;

export interface ReputServiceOptions {
  commitLog: CommitLog;
  queues: ConsumeQueueTable;
  /** Highest commit-log offset that may be dispatched now (flushed offset under SYNC_FLUSH, else max offset). */
  limit: () => number;
  delayLevels: readonly number[];
  /** Extra dispatch targets (the index). Called for every valid record, in order. */
  dispatchers?: Array<(info: DispatchInfo) => void>;
}

/** Whether a record goes to a consume queue: not a prepared or rolled-back transaction record. */
export function isConsumeQueueRecord(sysFlag: number): boolean {
  const t = transactionType(sysFlag);
  return t === MessageSysFlag.TRANSACTION_NOT_TYPE || t === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
}

/** ConsumeQueue tagsCode of a record: the tag hash, or the deliver time for SCHEDULE_TOPIC_XXXX (§7.3, §8.1). */
export function cqTagsCode(info: DispatchInfo, delayLevels: readonly number[]): number {
  if (info.topic === SCHEDULE_TOPIC) {
    const level = Number.parseInt(info.properties[MessageConst.DELAY] ?? '', 10);
    if (level > 0) return deliverTimestamp(delayLevels, level, info.storeTimestamp);
  }
  return info.tagsCode;
}

export class ReputService {
  #opts: ReputServiceOptions;
  #reputFromOffset = 0;
  #scheduled = false;
  #running = false;
  #listeners: MessageArrivedListener[] = [];
  #lastStoreTimestamp = 0;
  #lastDispatchedEnd = 0;
  #dispatchedCount = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;

  constructor(opts: ReputServiceOptions) {
    this.#opts = opts;
  }

  get reputFromOffset(): number {
    return this.#reputFromOffset;
  }

  set reputFromOffset(v: number) {
    this.#reputFromOffset = v;
  }

  /** Store time of the last record dispatched (checkpoint logics/index timestamps). */
  get lastStoreTimestamp(): number {
    return this.#lastStoreTimestamp;
  }

  /** Commit-log end of the last record dispatched. */
  get lastDispatchedEnd(): number {
    return this.#lastDispatchedEnd;
  }

  get dispatchedCount(): number {
    return this.#dispatchedCount;
  }

  /** Dispatch rounds that failed (and were retried) so far. */
  get failureCount(): number {
    return this.#failures;
  }

  /** Bytes appended but not dispatched yet. */
  get behindBytes(): number {
    return Math.max(0, this.#opts.commitLog.getMaxOffset() - this.#reputFromOffset);
  }

  onMessageArrived(listener: MessageArrivedListener): void {
    this.#listeners.push(listener);
  }

  start(): void {
    this.#running = true;
    this.schedule();
  }

  stop(): void {
    this.#running = false;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /** Asks for a dispatch round on the next event-loop turn. */
  schedule(): void {
    if (this.#scheduled || !this.#running || this.#retryTimer !== undefined) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#running) return;
      if (this.dispatchAvailable(RECORDS_PER_TURN) === RECORDS_PER_TURN) this.schedule();
    });
  }

  /**
   * Dispatches up to `maxRecords` records below the limit now; returns how many were dispatched. Never throws: when a
   * record cannot be dispatched (an I/O error such as EMFILE) the error is logged, the position stays at that record,
   * and a retry is scheduled while the service runs.
   */
  dispatchAvailable(maxRecords = Number.POSITIVE_INFINITY): number {
    let n = 0;
    let failed: { at: number; err: unknown } | undefined;
    try {
      n = this.#dispatchRange(maxRecords, (at, err) => {
        failed = { at, err };
      });
    } catch (e) {
      failed = { at: this.#reputFromOffset, err: e };
    }
    if (failed !== undefined) {
      this.#failures++;
      log.error({ at: failed.at, err: errorMessage(failed.err), retryInMs: RETRY_DELAY_MS }, 'dispatch failed; will retry from this record');
      this.#scheduleRetry();
    }
    return n;
  }

  #scheduleRetry(): void {
    if (!this.#running || this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.schedule();
    }, RETRY_DELAY_MS);
  }

  #dispatchRange(maxRecords: number, onFailure: (at: number, err: unknown) => void): number {
    const cl = this.#opts.commitLog;
    if (this.#reputFromOffset < cl.getMinOffset()) {
      log.warn({ from: this.#reputFromOffset, min: cl.getMinOffset() }, 'reput offset below the commit log: skipping ahead');
      this.#reputFromOffset = cl.getMinOffset();
    }
    const limit = Math.min(this.#opts.limit(), cl.getMaxOffset());
    if (this.#reputFromOffset >= limit) return 0;
    let n = 0;
    let failedAt = -1;
    const r = cl.scan(this.#reputFromOffset, {
      checkCrc: false,
      toOffset: limit,
      visit: (info) => {
        try {
          this.dispatch(info, true);
        } catch (e) {
          // Re-dispatching this record later is safe: consume queues and the index skip what they already hold.
          failedAt = info.commitLogOffset;
          onFailure(failedAt, e);
          return false;
        }
        n++;
        return n < maxRecords;
      },
    });
    if (failedAt >= 0) {
      this.#reputFromOffset = failedAt;
      return n;
    }
    if (r.stoppedBy === 'INVALID' || r.stoppedBy === 'END') {
      log.error({ at: r.endOffset, limit, reason: r.reason }, 'dispatch stopped at an unreadable record');
    }
    this.#reputFromOffset = r.endOffset;
    return n;
  }

  /** Builds the consume-queue unit and index entries of one record; `notify` wakes long-polling pulls. */
  dispatch(info: DispatchInfo, notify: boolean): void {
    let tagsCode = info.tagsCode;
    const toQueue = isConsumeQueueRecord(info.sysFlag);
    if (toQueue) {
      tagsCode = cqTagsCode(info, this.#opts.delayLevels);
      this.#opts.queues
        .findOrCreate(info.topic, info.queueId)
        .putUnit(info.commitLogOffset, info.size, tagsCode, info.queueOffset);
    }
    for (const d of this.#opts.dispatchers ?? []) d(info);
    // Counted only once the record is in its queue and index (a failed dispatch is retried from this record).
    this.#dispatchedCount++;
    this.#lastStoreTimestamp = info.storeTimestamp;
    this.#lastDispatchedEnd = info.commitLogOffset + info.size;
    if (notify && toQueue) {
      for (const l of this.#listeners) {
        try {
          l(info.topic, info.queueId, info.queueOffset, tagsCode, info.storeTimestamp, info.properties);
        } catch (e) {
          log.error({ err: e }, 'message-arrived listener threw');
        }
      }
    }
  }
}
