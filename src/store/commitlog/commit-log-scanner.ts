// Walks commit-log records from an offset with checkRecord (PROTOCOL.md §7.6): the first torn or corrupt record ends the
// valid log; a blank end-of-file marker (§7.2) moves on to the next segment.
import { checkRecord } from '../../common/message/message-record.ts';
import type { DispatchInfo } from '../../common/message/message-record.ts';
import type { MappedFileQueue } from '../mappedfile/mapped-file-queue.ts';

/** How a scan ended. */
export const ScanStop = {
  /** Zero bytes where the next record would start: the regular end of the log. */
  END: 'END',
  /** A torn or corrupt record: everything from `endOffset` on is dirty. */
  INVALID: 'INVALID',
  /** The scan reached its `toOffset` (or the end of the segments). */
  LIMIT: 'LIMIT',
  /** The visitor asked to stop. */
  VISITOR: 'VISITOR',
} as const;
export type ScanStop = (typeof ScanStop)[keyof typeof ScanStop];

export interface ScanResult {
  /** Offset just past the last valid record (or blank marker): the valid end of the log. */
  endOffset: number;
  /** Valid records visited. */
  records: number;
  stoppedBy: ScanStop;
  /** Why the record at endOffset is invalid (INVALID only). */
  reason?: string;
}

export interface ScanOptions {
  /** Verify each record's body CRC (checkCRCOnRecover). */
  checkCrc: boolean;
  /** Stop before this offset (default: the queue's maxOffset). */
  toOffset?: number;
  /** Called for each valid record; return false to stop after it. */
  visit?: (info: DispatchInfo, offset: number) => boolean | void;
}

const WINDOW = 4 * 1024 * 1024;

/** Offset of the first byte of the segment after the one holding `offset`. */
export function nextSegmentStart(mfq: MappedFileQueue, offset: number): number {
  const first = mfq.minOffset;
  return offset + mfq.fileSize - ((offset - first) % mfq.fileSize);
}

/** Scans records from `fromOffset` (which must be a record start or a segment start). */
export function scanRecords(mfq: MappedFileQueue, fromOffset: number, opts: ScanOptions): ScanResult {
  const limit = Math.min(opts.toOffset ?? mfq.maxOffset, mfq.maxOffset);
  let pos = fromOffset;
  let records = 0;
  let need = WINDOW;
  outer: while (pos < limit) {
    const segEnd = nextSegmentStart(mfq, pos);
    const windowEnd = Math.min(segEnd, limit);
    const buf = mfq.read(pos, Math.min(need, windowEnd - pos));
    need = WINDOW;
    if (buf === undefined) return { endOffset: pos, records, stoppedBy: ScanStop.LIMIT };
    const more = pos + buf.length < windowEnd;
    let p = 0;
    while (p < buf.length) {
      // A record (or its size field) cut by the read window rather than the segment: read again from its start.
      if (more && (p + 4 > buf.length || buf.readInt32BE(p) > buf.length - p)) {
        if (p + 4 <= buf.length) need = Math.max(WINDOW, buf.readInt32BE(p));
        if (p > 0 || need > buf.length) {
          pos += p;
          continue outer;
        }
      }
      const r = checkRecord(buf, p, buf.length, opts.checkCrc);
      const at = pos + p;
      if (r.kind === 'end') return { endOffset: at, records, stoppedBy: ScanStop.END };
      if (r.kind === 'invalid') return { endOffset: at, records, stoppedBy: ScanStop.INVALID, reason: r.reason };
      if (r.kind === 'blank') {
        pos = segEnd;
        continue outer;
      }
      records++;
      p += r.size;
      if (opts.visit?.(r.info, at) === false) return { endOffset: pos + p, records, stoppedBy: ScanStop.VISITOR };
    }
    pos += p;
  }
  return { endOffset: Math.min(pos, limit), records, stoppedBy: ScanStop.LIMIT };
}
