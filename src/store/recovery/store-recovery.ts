// Startup recovery (PROTOCOL.md §7.6): find the valid end of the commit log (a torn tail or bad CRC ends it), truncate
// the commit log, consume queues and index beyond it, re-dispatch what the consume queues / index miss, and restore the
// per-queue next offsets. Normal start: scan from the file holding the last dispatched record. After a crash: from the
// newest file whose first record is older than the checkpoint's min timestamp.
import type { DispatchInfo } from '../../common/message/message-record.ts';
import { createLogger } from '../../common/logger.ts';
import type { CommitLog } from '../commitlog/commit-log.ts';
import type { ConsumeQueueTable } from '../consumequeue/consume-queue-table.ts';
import type { IndexService } from '../index/index-service.ts';
import type { StoreCheckpoint } from '../checkpoint/store-checkpoint.ts';
import { checkRecord } from '../../common/message/message-record.ts';

const log = createLogger('recovery');

export interface RecoveryInput {
  commitLog: CommitLog;
  queues: ConsumeQueueTable;
  index: IndexService | undefined;
  checkpoint: StoreCheckpoint;
  lastExitOK: boolean;
  checkCrc: boolean;
  /** Rebuilds consume-queue units and index entries of one record (duplicates are skipped by the targets). */
  dispatch: (info: DispatchInfo) => void;
}

export interface RecoveryResult {
  /** Offset just past the last valid record. */
  validEnd: number;
  /** Where the scan started. */
  scanFrom: number;
  /** Valid records scanned. */
  records: number;
  /** Store time of the last valid record (0 if none was scanned). */
  lastStoreTimestamp: number;
  reason: string | undefined;
}

function fileStartOf(commitLog: CommitLog, offset: number): number {
  const files = commitLog.mappedFileQueue.files();
  let start = files[0]?.fileFromOffset ?? 0;
  for (const f of files) if (f.fileFromOffset <= offset) start = f.fileFromOffset;
  return start;
}

/** Store time of the first record of a segment, or -1 when it holds none. */
function firstRecordTime(commitLog: CommitLog, fileFrom: number): number {
  const head = commitLog.getData(fileFrom, 4);
  if (head === undefined || head.length < 4) return -1;
  const size = head.readInt32BE(0);
  if (size <= 0) return -1;
  const rec = commitLog.getData(fileFrom, size);
  if (rec === undefined) return -1;
  const c = checkRecord(rec, 0, rec.length, false);
  return c.kind === 'ok' ? c.info.storeTimestamp : -1;
}

function chooseScanStart(input: RecoveryInput): number {
  const { commitLog, queues, index, checkpoint } = input;
  const files = commitLog.mappedFileQueue.files();
  if (files.length === 0) return 0;
  let dispatchedEnd = -1;
  for (const cq of queues.all()) dispatchedEnd = Math.max(dispatchedEnd, cq.maxPhysicOffset);
  // No index file at all (deleted by hand) while queues exist: rebuild the index from the first file. A lagging index
  // after a crash is covered by the checkpoint below.
  if (index !== undefined && index.files.length === 0) dispatchedEnd = -1;
  let start = dispatchedEnd < 0 ? files[0].fileFromOffset : fileStartOf(commitLog, dispatchedEnd);
  if (!input.lastExitOK) {
    const minTs = index === undefined ? checkpoint.minTimestamp() : checkpoint.minTimestampIndex();
    let byTime = files[0].fileFromOffset;
    for (let i = files.length - 1; i >= 0; i--) {
      const t = firstRecordTime(commitLog, files[i].fileFromOffset);
      if (t >= 0 && t <= minTs) {
        byTime = files[i].fileFromOffset;
        break;
      }
    }
    start = Math.min(start, byTime);
  }
  return start;
}

export function recoverStore(input: RecoveryInput): RecoveryResult {
  const { commitLog, queues, index } = input;
  const scanFrom = chooseScanStart(input);
  let lastStoreTimestamp = 0;
  // Pass 1: validate (CRC) and truncate the commit log; restores next queue offsets of the scanned records.
  const r = commitLog.recover(scanFrom, {
    checkCrc: input.checkCrc,
    visit: (info) => {
      lastStoreTimestamp = info.storeTimestamp;
    },
  });
  const validEnd = r.endOffset;
  if (r.stoppedBy === 'INVALID') log.warn({ at: validEnd, reason: r.reason }, 'commit log ends with an invalid record: truncated');
  // Derived data must not point at or past the valid end.
  for (const cq of queues.all()) cq.truncateDirty(validEnd);
  let dispatchFrom = scanFrom;
  // (An empty index — a fresh store — points nowhere: nothing to rebuild.)
  if (index !== undefined && index.files.length > 0 && index.lastUpdatePhyOffset >= validEnd) {
    const files = index.files;
    let keepUpTo = -1;
    let rescanFrom = scanFrom;
    for (let i = files.length - 1; i >= 0; i--) {
      if (files[i].endPhyOffset < validEnd) {
        keepUpTo = files[i].endTimestamp;
        break;
      }
      rescanFrom = Math.min(rescanFrom, files[i].beginPhyOffset);
    }
    log.warn({ validEnd, lastIndexed: index.lastUpdatePhyOffset }, 'index points past the commit log: rebuilding its tail');
    index.deleteFilesAfter(keepUpTo);
    dispatchFrom = Math.min(dispatchFrom, fileStartOf(commitLog, Math.max(0, rescanFrom)));
  }
  // Pass 2: rebuild consume-queue units and index entries the crash (or a stop) left out.
  commitLog.scan(dispatchFrom, { checkCrc: false, toOffset: validEnd, visit: (info) => input.dispatch(info) });
  // Next queue offsets: at least what the consume queues hold.
  for (const cq of queues.all()) {
    if (cq.maxOffset > commitLog.getQueueOffset(cq.topic, cq.queueId)) commitLog.setQueueOffset(cq.topic, cq.queueId, cq.maxOffset);
  }
  const minPhy = commitLog.getMinOffset();
  for (const cq of queues.all()) cq.correctMinOffset(minPhy);
  return {
    validEnd,
    scanFrom,
    records: r.records,
    lastStoreTimestamp,
    reason: r.reason,
  };
}
