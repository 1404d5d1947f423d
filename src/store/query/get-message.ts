// The pull read path (PROTOCOL.md §9, DefaultMessageStore.getMessage): walk consume-queue units from `offset`, filter by
// tagsCode (and optionally properties), and collect raw records up to a count and byte budget.
import { checkRecord } from '../../common/message/message-record.ts';
import type { ConsumeQueue } from '../consumequeue/consume-queue.ts';
import { CQ_UNIT_SIZE } from '../consumequeue/cq-unit.ts';
import { GetMessageStatus } from './get-message-result.ts';
import type { GetMessageResult, MessageFilter } from './get-message-result.ts';

export interface GetMessageLimits {
  maxMsgNums: number;
  /** Byte budget of one pull (the first record is always returned). */
  maxTotalBytes: number;
  /** Count budget of one pull. */
  maxTotalCount: number;
}

export interface RecordSource {
  /** The raw record at a commit-log offset, or undefined when it is gone (file deleted) or not yet readable. */
  getMessage(offset: number, size: number): Buffer | undefined;
  /** First commit-log offset of the next segment after `offset`. */
  rollNextFile(offset: number): number;
  /**
   * Optional: bytes from `offset` in one read, at most `maxLength`, cut at the confirmed offset and at the segment end
   * (so possibly shorter); undefined when fewer than `minLength` bytes (the first record) can be served. Lets a pull
   * read a run of adjacent records at once.
   */
  readRun?(offset: number, minLength: number, maxLength: number): Buffer | undefined;
}

/** Consume-queue units scanned per pull when filtered out: max(16000 bytes, maxMsgNums units) (§9). */
function maxFilterBytes(maxMsgNums: number): number {
  return Math.max(16000, maxMsgNums * CQ_UNIT_SIZE);
}

/**
 * Bytes of the run of records adjacent in the commit log starting with the unit at `i`, as far as this pull could still
 * take them: within the remaining byte budget (at least the first record) and count budget, and the units scanned.
 */
function adjacentRunLength(units: Buffer, i: number, scanEnd: number, maxBytes: number, maxCount: number): number {
  const start = Number(units.readBigInt64BE(i));
  let end = start + units.readInt32BE(i + 8);
  let count = 1;
  for (let j = i + CQ_UNIT_SIZE; j < scanEnd && count < maxCount; j += CQ_UNIT_SIZE) {
    const size = units.readInt32BE(j + 8);
    if (Number(units.readBigInt64BE(j)) !== end || size <= 0 || end + size - start > maxBytes) break;
    end += size;
    count++;
  }
  return end - start;
}

function isBatchFull(sizePy: number, limits: GetMessageLimits, totalBytes: number, count: number): boolean {
  if (totalBytes === 0 || count === 0) return false;
  if (count >= limits.maxMsgNums) return true;
  if (totalBytes + sizePy > limits.maxTotalBytes) return true;
  return count > limits.maxTotalCount - 1;
}

export function emptyResult(status: GetMessageStatus, next: number, min: number, max: number): GetMessageResult {
  return { status, nextBeginOffset: next, minOffset: min, maxOffset: max, messages: [], queueOffsets: [], bufferTotalSize: 0, messageCount: 0 };
}

/** Reads from an existing consume queue; the caller handles NO_MATCHED_LOGIC_QUEUE. */
export function getMessageFromQueue(
  cq: ConsumeQueue,
  records: RecordSource,
  offset: number,
  limits: GetMessageLimits,
  filter?: MessageFilter,
): GetMessageResult {
  const minOffset = cq.minOffset;
  const maxOffset = cq.maxOffset;
  if (maxOffset === 0) return emptyResult(GetMessageStatus.NO_MESSAGE_IN_QUEUE, 0, minOffset, maxOffset);
  if (offset < minOffset) return emptyResult(GetMessageStatus.OFFSET_TOO_SMALL, minOffset, minOffset, maxOffset);
  if (offset === maxOffset) return emptyResult(GetMessageStatus.OFFSET_OVERFLOW_ONE, offset, minOffset, maxOffset);
  if (offset > maxOffset) return emptyResult(GetMessageStatus.OFFSET_OVERFLOW_BADLY, maxOffset, minOffset, maxOffset);

  const result = emptyResult(GetMessageStatus.NO_MATCHED_MESSAGE, offset, minOffset, maxOffset);
  const scanLimit = maxFilterBytes(limits.maxMsgNums);
  let next = offset;
  // One consume-queue file per pull (5.x travelCqFileNumWhenGetMessage = 1).
  for (let files = 0; files < 1 && result.bufferTotalSize === 0 && next < maxOffset; files++) {
    // Only the units this pull may scan: reading to the end of the file costs O(backlog) per pull.
    const units = cq.getUnits(next, Math.ceil(scanLimit / CQ_UNIT_SIZE));
    if (units === undefined) {
      if (files === 0) {
        result.status = GetMessageStatus.OFFSET_FOUND_NULL;
        result.nextBeginOffset = cq.rollNextFile(next);
      }
      break;
    }
    let nextPhyFileStart = -1;
    // Records are served as views of one read covering a run of adjacent records (`window`, from `windowStart`).
    let window: Buffer | undefined;
    let windowStart = 0;
    const scanEnd = Math.min(units.length, scanLimit);
    const countBudget = Math.min(limits.maxMsgNums, limits.maxTotalCount);
    let i = 0;
    for (; i < units.length && i < scanLimit; i += CQ_UNIT_SIZE) {
      const offsetPy = Number(units.readBigInt64BE(i));
      const sizePy = units.readInt32BE(i + 8);
      const tagsCode = Number(units.readBigInt64BE(i + 12));
      if (nextPhyFileStart >= 0 && offsetPy < nextPhyFileStart) continue;
      if (isBatchFull(sizePy, limits, result.bufferTotalSize, result.messageCount)) break;
      if (filter !== undefined && !filter.isMatchedByTagsCode(tagsCode)) {
        if (result.bufferTotalSize === 0) result.status = GetMessageStatus.NO_MATCHED_MESSAGE;
        continue;
      }
      let rec: Buffer | undefined;
      if (window === undefined || offsetPy < windowStart || offsetPy + sizePy > windowStart + window.length) {
        window = undefined;
        if (records.readRun !== undefined && sizePy > 0) {
          const bytesLeft = Math.max(sizePy, limits.maxTotalBytes - result.bufferTotalSize);
          const run = adjacentRunLength(units, i, scanEnd, bytesLeft, countBudget - result.messageCount);
          window = records.readRun(offsetPy, sizePy, run);
          windowStart = offsetPy;
        }
      }
      if (window !== undefined) rec = window.subarray(offsetPy - windowStart, offsetPy - windowStart + sizePy);
      else rec = records.readRun === undefined ? records.getMessage(offsetPy, sizePy) : undefined;
      if (rec === undefined) {
        if (result.bufferTotalSize === 0) result.status = GetMessageStatus.MESSAGE_WAS_REMOVING;
        nextPhyFileStart = records.rollNextFile(offsetPy);
        continue;
      }
      if (filter?.isMatchedByProperties !== undefined) {
        const c = checkRecord(rec, 0, rec.length, false);
        if (c.kind !== 'ok' || !filter.isMatchedByProperties(c.info.properties)) {
          if (result.bufferTotalSize === 0) result.status = GetMessageStatus.NO_MATCHED_MESSAGE;
          continue;
        }
      }
      result.messages.push(rec);
      result.queueOffsets.push(next + i / CQ_UNIT_SIZE);
      result.bufferTotalSize += rec.length;
      result.messageCount++;
      result.status = GetMessageStatus.FOUND;
      nextPhyFileStart = -1;
    }
    next += i / CQ_UNIT_SIZE;
  }
  if (result.status !== GetMessageStatus.OFFSET_FOUND_NULL) result.nextBeginOffset = next;
  return result;
}
