// Stored message record: the same bytes on disk and in PULL / QUERY_MESSAGE / VIEW_MESSAGE bodies (§5.2).
import { RocketMQError, ERROR_CODES } from '../errors.ts';
import { bodyCrc as computeBodyCrc } from '../crc32.ts';
import { javaStringHashCode } from '../java-hash.ts';
import { ipBytes, formatIp } from './host-address.ts';
import type { HostAddress } from './host-address.ts';
import { MessageConst, MessageSysFlag } from './message-const.ts';
import { decodePlainProperties, decodeProperties, MAX_PROPERTIES_LENGTH } from './message-properties.ts';
import { createOffsetMsgIdFromBytes } from './message-id.ts';
import { readInt64, writeInt64 } from './int64.ts';

export type { HostAddress } from './host-address.ts';

/** Magic of a record with a 1-byte topic length. */
export const MAGIC_V1 = 0xdaa320a7 | 0;
/** Magic of a record with a 2-byte topic length. */
export const MAGIC_V2 = 0xdaa320ab | 0;
/** Magic of the 8-byte end-of-file marker of a commit-log segment (§7.2). */
export const BLANK_MAGIC_CODE = 0xcbd43194 | 0;
/** Size of the end-of-file marker: int32 remaining space + int32 BLANK_MAGIC_CODE. */
export const END_FILE_MIN_BLANK_LENGTH = 8;

/** Fixed field positions (the same for IPv4 and IPv6 up to the born host). */
export const RecordPos = {
  TOTAL_SIZE: 0,
  MAGIC: 4,
  BODY_CRC: 8,
  QUEUE_ID: 12,
  FLAG: 16,
  QUEUE_OFFSET: 20,
  PHYSICAL_OFFSET: 28,
  SYS_FLAG: 36,
  BORN_TIMESTAMP: 40,
  BORN_HOST: 48,
} as const;

/** Smallest possible record: IPv4 hosts, empty body, topic and properties, V1. */
export const MIN_RECORD_SIZE = 91;
const V1_MAX_TOPIC_LENGTH = 127;
const V2_MAX_TOPIC_LENGTH = 32767;

function bornHostLength(sysFlag: number): number {
  return (sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) === 0 ? 8 : 20;
}

function storeHostLength(sysFlag: number): number {
  return (sysFlag & MessageSysFlag.STOREHOST_V6_FLAG) === 0 ? 8 : 20;
}

/** Position of STORETIMESTAMP inside a record (56 with an IPv4 born host). */
export function storeTimestampPos(sysFlag: number): number {
  return RecordPos.BORN_HOST + bornHostLength(sysFlag);
}

/** Position of STOREHOST inside a record. */
export function storeHostPos(sysFlag: number): number {
  return storeTimestampPos(sysFlag) + 8;
}

/** Position of RECONSUMETIMES inside a record; PREPARED_TRANSACTION_OFFSET follows at +4, BODY length at +12. */
export function reconsumeTimesPos(sysFlag: number): number {
  return storeHostPos(sysFlag) + storeHostLength(sysFlag);
}

export interface MessageRecordInput {
  topic: string;
  queueId: number;
  flag: number;
  body: Buffer;
  /** Encoded properties string (see encodeProperties). */
  properties: string;
  /** The IPv6 host bits are recomputed from bornHost/storeHost. */
  sysFlag: number;
  bornTimestamp: number;
  bornHost: HostAddress;
  storeTimestamp: number;
  storeHost: HostAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  queueOffset: number;
  commitLogOffset: number;
  /** Precomputed CRC32(body) & 0x7FFFFFFF; computed when absent. */
  bodyCrc?: number;
}

/** Field lengths of one record, shared by recordSize and writeRecord. */
interface Layout {
  size: number;
  sysFlag: number;
  born: Buffer;
  store: Buffer;
  topic: Buffer;
  propertiesLength: number;
}

const TOPIC_CACHE_LIMIT = 65_536;
const topicCache = new Map<string, Buffer>();

/** UTF-8 bytes of a topic name, cached (topics repeat on every append). Do not mutate the result. */
function topicBytes(topic: string): Buffer {
  let b = topicCache.get(topic);
  if (b === undefined) {
    b = Buffer.from(topic, 'utf8');
    if (topicCache.size >= TOPIC_CACHE_LIMIT) topicCache.clear();
    topicCache.set(topic, b);
  }
  return b;
}

function layout(input: MessageRecordInput, forceV1: boolean): Layout {
  const born = ipBytes(input.bornHost.address);
  const store = ipBytes(input.storeHost.address);
  let sysFlag = input.sysFlag & ~(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOST_V6_FLAG);
  if (born.length === 16) sysFlag |= MessageSysFlag.BORNHOST_V6_FLAG;
  if (store.length === 16) sysFlag |= MessageSysFlag.STOREHOST_V6_FLAG;
  const topic = topicBytes(input.topic);
  const topicLength = topic.length;
  if (topicLength > (forceV1 ? V1_MAX_TOPIC_LENGTH : V2_MAX_TOPIC_LENGTH)) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `topic too long: ${topicLength} bytes`);
  }
  const propertiesLength = Buffer.byteLength(input.properties);
  if (propertiesLength > MAX_PROPERTIES_LENGTH) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `properties too long: ${propertiesLength} bytes (max 32767)`);
  }
  const topicLengthSize = topicLength > V1_MAX_TOPIC_LENGTH ? 2 : 1;
  // fixed part: 80 + both IPs (88 with IPv4 hosts), then body, topic and properties with their length fields
  const size = 80 + born.length + store.length + input.body.length + topicLengthSize + topicLength + 2 + propertiesLength;
  return { size, sysFlag, born, store, topic, propertiesLength };
}

/** Bytes the record takes. V2 magic (2-byte topic length) only when the topic's UTF-8 length exceeds 127. */
export function recordSize(input: MessageRecordInput): number {
  return layout(input, false).size;
}

/**
 * Writes the record at `target[pos]` without allocating; returns the bytes written.
 * Throws INVALID_ARGUMENT if it does not fit or a field is out of range.
 */
export function writeRecord(input: MessageRecordInput, target: Buffer, pos: number): number {
  return writeWithLayout(input, layout(input, false), target, pos);
}

function writeWithLayout(input: MessageRecordInput, l: Layout, target: Buffer, pos: number): number {
  if (pos < 0 || pos + l.size > target.length) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `record of ${l.size} bytes does not fit at ${pos}/${target.length}`);
  }
  const topicLength = l.topic.length;
  const v2 = topicLength > V1_MAX_TOPIC_LENGTH;
  target.writeInt32BE(l.size, pos);
  target.writeInt32BE(v2 ? MAGIC_V2 : MAGIC_V1, pos + 4);
  target.writeInt32BE(input.bodyCrc ?? computeBodyCrc(input.body), pos + 8);
  target.writeInt32BE(input.queueId, pos + 12);
  target.writeInt32BE(input.flag | 0, pos + 16);
  writeInt64(target, input.queueOffset, pos + 20);
  writeInt64(target, input.commitLogOffset, pos + 28);
  target.writeInt32BE(l.sysFlag | 0, pos + 36);
  writeInt64(target, input.bornTimestamp, pos + 40);
  let p = pos + 48;
  p += l.born.copy(target, p);
  target.writeInt32BE(input.bornHost.port, p);
  writeInt64(target, input.storeTimestamp, p + 4);
  p += 12;
  p += l.store.copy(target, p);
  target.writeInt32BE(input.storeHost.port, p);
  target.writeInt32BE(input.reconsumeTimes, p + 4);
  writeInt64(target, input.preparedTransactionOffset, p + 8);
  target.writeInt32BE(input.body.length, p + 16);
  p += 20;
  p += input.body.copy(target, p);
  if (v2) {
    target.writeInt16BE(topicLength, p);
    p += 2;
  } else {
    target[p++] = topicLength;
  }
  p += l.topic.copy(target, p);
  target.writeInt16BE(l.propertiesLength, p);
  p += 2;
  p += target.write(input.properties, p, l.propertiesLength, 'utf8');
  return p - pos;
}

/** A new buffer holding the record. */
export function encodeRecord(input: MessageRecordInput): Buffer {
  const l = layout(input, false);
  const buf = Buffer.allocUnsafe(l.size);
  writeWithLayout(input, l, buf, 0);
  return buf;
}

/** Record bytes with magic V1 forced (1-byte topic length), as Java's MessageDecoder.encode writes (§5.4). */
export function encodeRecordV1(input: MessageRecordInput): Buffer {
  const l = layout(input, true);
  const buf = Buffer.allocUnsafe(l.size);
  writeWithLayout(input, l, buf, 0);
  return buf;
}

/** Rewrites QUEUEOFFSET and PHYSICALOFFSET of the record at `pos` (used when the append position is known late). */
export function patchRecordOffsets(buf: Buffer, pos: number, queueOffset: number, commitLogOffset: number): void {
  writeInt64(buf, queueOffset, pos + RecordPos.QUEUE_OFFSET);
  writeInt64(buf, commitLogOffset, pos + RecordPos.PHYSICAL_OFFSET);
}

export interface DecodedMessage {
  /** TOTALSIZE as written in the record. */
  storeSize: number;
  /** Bytes the decoder consumed (equals storeSize in a well-formed record). */
  recordLength: number;
  magic: number;
  bodyCrc: number;
  queueId: number;
  flag: number;
  queueOffset: number;
  commitLogOffset: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: HostAddress;
  storeTimestamp: number;
  storeHost: HostAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** View into the source buffer; still compressed if sysFlag has COMPRESSED (see decompressBody). */
  body: Buffer;
  topic: string;
  properties: Record<string, string>;
  /** offsetMsgId = storeHost + commitLogOffset (§6.1). */
  msgId: string;
}

function malformed(reason: string, pos: number): RocketMQError {
  return new RocketMQError(ERROR_CODES.PROTOCOL, `malformed message record at ${pos}: ${reason}`);
}

/**
 * Decodes one record field by field, as Java and ali-ons clients do (TOTALSIZE is reported, not trusted for
 * positions). Throws PROTOCOL if the record is cut short, has a bad magic or a negative length.
 */
export function decodeRecord(buf: Buffer, pos = 0, plainProperties = false): DecodedMessage {
  const start = pos;
  const end = buf.length;
  if (pos < 0 || pos + 52 > end) throw malformed('truncated header', start);
  const storeSize = buf.readInt32BE(pos);
  const magic = buf.readInt32BE(pos + 4);
  if (magic !== MAGIC_V1 && magic !== MAGIC_V2) throw malformed(`bad magic 0x${(magic >>> 0).toString(16)}`, start);
  const sysFlag = buf.readInt32BE(pos + 36);
  const bornLen = bornHostLength(sysFlag) - 4;
  const storeLen = storeHostLength(sysFlag) - 4;
  const fixedEnd = pos + 80 + bornLen + storeLen;
  if (fixedEnd > end) throw malformed('truncated header', start);
  let p = pos + 48;
  const bornIp = buf.subarray(p, p + bornLen);
  const bornPort = buf.readInt32BE(p + bornLen);
  p += bornLen + 4;
  const storeTimestamp = readInt64(buf, p);
  p += 8;
  const storeIp = buf.subarray(p, p + storeLen);
  const storePort = buf.readInt32BE(p + storeLen);
  p += storeLen + 4;
  const reconsumeTimes = buf.readInt32BE(p);
  const preparedTransactionOffset = readInt64(buf, p + 4);
  const bodyLength = buf.readInt32BE(p + 12);
  p += 16;
  if (bodyLength < 0 || p + bodyLength > end) throw malformed(`bad body length ${bodyLength}`, start);
  const body = buf.subarray(p, p + bodyLength);
  p += bodyLength;
  let topicLength: number;
  if (magic === MAGIC_V2) {
    if (p + 2 > end) throw malformed('truncated topic length', start);
    topicLength = buf.readInt16BE(p);
    p += 2;
  } else {
    if (p + 1 > end) throw malformed('truncated topic length', start);
    topicLength = buf.readInt8(p);
    p += 1;
  }
  if (topicLength < 0 || p + topicLength + 2 > end) throw malformed(`bad topic length ${topicLength}`, start);
  const topic = buf.toString('utf8', p, p + topicLength);
  p += topicLength;
  const propertiesLength = buf.readInt16BE(p);
  p += 2;
  if (propertiesLength < 0 || p + propertiesLength > end) throw malformed(`bad properties length ${propertiesLength}`, start);
  const propertiesText = buf.toString('utf8', p, p + propertiesLength);
  const properties = plainProperties ? decodePlainProperties(propertiesText) : decodeProperties(propertiesText);
  p += propertiesLength;
  const commitLogOffset = readInt64(buf, pos + 28);
  return {
    storeSize,
    recordLength: p - start,
    magic,
    bodyCrc: buf.readInt32BE(pos + 8),
    queueId: buf.readInt32BE(pos + 12),
    flag: buf.readInt32BE(pos + 16),
    queueOffset: readInt64(buf, pos + 20),
    commitLogOffset,
    sysFlag,
    bornTimestamp: readInt64(buf, pos + 40),
    bornHost: { address: formatIp(bornIp), port: bornPort },
    storeTimestamp,
    storeHost: { address: formatIp(storeIp), port: storePort },
    reconsumeTimes,
    preparedTransactionOffset,
    body,
    topic,
    properties,
    msgId: createOffsetMsgIdFromBytes(storeIp, storePort, commitLogOffset),
  };
}

export interface DecodeRecordsOptions {
  /**
   * true: every byte must belong to a well-formed record (TOTALSIZE must match); throws PROTOCOL otherwise.
   * false (default): like Java and ali-ons clients, decode until the buffer ends, a zero TOTALSIZE, or the first record
   * that cannot be decoded; the rest is ignored (real broker bodies may carry slack after the last record).
   */
  strict?: boolean;
  /** properties as ordinary objects (decodePlainProperties) instead of prototype-less maps. */
  plainProperties?: boolean;
}

/** Decodes concatenated records (a PULL / QUERY_MESSAGE body). */
export function decodeRecords(buf: Buffer, options: DecodeRecordsOptions = {}): DecodedMessage[] {
  const out: DecodedMessage[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (options.strict === true) {
      const m = decodeRecord(buf, pos, options.plainProperties === true);
      if (m.storeSize !== m.recordLength) throw malformed(`TOTALSIZE ${m.storeSize} != length ${m.recordLength}`, pos);
      out.push(m);
      pos += m.recordLength;
      continue;
    }
    if (pos + 4 > buf.length || buf.readInt32BE(pos) <= 0) break;
    let m: DecodedMessage;
    try {
      m = decodeRecord(buf, pos, options.plainProperties === true);
    } catch {
      break;
    }
    out.push(m);
    pos += m.recordLength;
  }
  return out;
}

/** What recovery and dispatch need from a record, read without decoding the body. */
export interface DispatchInfo {
  topic: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  size: number;
  sysFlag: number;
  storeTimestamp: number;
  bornTimestamp: number;
  /** javaStringHashCode(TAGS), or 0 without tags. */
  tagsCode: number;
  /** KEYS property or ''. */
  keys: string;
  uniqKey: string | undefined;
  properties: Record<string, string>;
}

export type RecordCheck =
  | { kind: 'ok'; size: number; info: DispatchInfo }
  | { kind: 'blank'; size: number }
  | { kind: 'invalid'; reason: string }
  | { kind: 'end' };

function isZero(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

/**
 * Validates the record at `pos`, reading no byte at or past `limit` (CommitLog.checkMessageAndReturnSize, §7.6).
 * 'end': nothing written there (TOTALSIZE 0, or fewer than 4 zero bytes left); 'blank': the end-of-file marker;
 * 'invalid': torn or corrupt (bad magic, size past limit, field lengths that do not add up to TOTALSIZE, CRC mismatch).
 */
export function checkRecord(buf: Buffer, pos: number, limit: number, checkCrc: boolean): RecordCheck {
  const end = Math.min(limit, buf.length);
  const remaining = end - pos;
  if (remaining < 4) return isZero(buf, pos, end) ? { kind: 'end' } : { kind: 'invalid', reason: 'truncated size field' };
  const size = buf.readInt32BE(pos);
  if (size === 0) return { kind: 'end' };
  if (remaining < 8) return { kind: 'invalid', reason: 'truncated magic' };
  const magic = buf.readInt32BE(pos + 4);
  if (magic === BLANK_MAGIC_CODE) {
    if (size < END_FILE_MIN_BLANK_LENGTH || size > remaining) return { kind: 'invalid', reason: `bad blank size ${size}` };
    return { kind: 'blank', size };
  }
  if (magic !== MAGIC_V1 && magic !== MAGIC_V2) return { kind: 'invalid', reason: `bad magic 0x${(magic >>> 0).toString(16)}` };
  if (size < MIN_RECORD_SIZE || size > remaining) return { kind: 'invalid', reason: `size ${size} outside [91, ${remaining}]` };
  const recEnd = pos + size;
  const sysFlag = buf.readInt32BE(pos + 36);
  const storeTsPos = pos + storeTimestampPos(sysFlag);
  const bodyLengthPos = pos + reconsumeTimesPos(sysFlag) + 12;
  if (bodyLengthPos + 4 > recEnd) return { kind: 'invalid', reason: 'header longer than record' };
  const bodyLength = buf.readInt32BE(bodyLengthPos);
  let p = bodyLengthPos + 4;
  if (bodyLength < 0 || p + bodyLength > recEnd) return { kind: 'invalid', reason: `bad body length ${bodyLength}` };
  const bodyStart = p;
  p += bodyLength;
  let topicLength: number;
  if (magic === MAGIC_V2) {
    if (p + 2 > recEnd) return { kind: 'invalid', reason: 'truncated topic length' };
    topicLength = buf.readInt16BE(p);
    p += 2;
  } else {
    if (p + 1 > recEnd) return { kind: 'invalid', reason: 'truncated topic length' };
    topicLength = buf.readInt8(p);
    p += 1;
  }
  if (topicLength < 0 || p + topicLength + 2 > recEnd) return { kind: 'invalid', reason: `bad topic length ${topicLength}` };
  const topicStart = p;
  p += topicLength;
  const propertiesLength = buf.readInt16BE(p);
  p += 2;
  if (propertiesLength < 0 || p + propertiesLength !== recEnd) {
    return { kind: 'invalid', reason: `field lengths do not add up to TOTALSIZE ${size}` };
  }
  if (checkCrc) {
    const stored = buf.readInt32BE(pos + 8);
    const actual = computeBodyCrc(buf.subarray(bodyStart, bodyStart + bodyLength));
    if (stored !== actual) return { kind: 'invalid', reason: `body CRC ${stored} != ${actual}` };
  }
  const properties = decodeProperties(buf.toString('utf8', p, recEnd));
  const tags = properties[MessageConst.TAGS];
  return {
    kind: 'ok',
    size,
    info: {
      topic: buf.toString('utf8', topicStart, topicStart + topicLength),
      queueId: buf.readInt32BE(pos + 12),
      queueOffset: readInt64(buf, pos + 20),
      commitLogOffset: readInt64(buf, pos + 28),
      size,
      sysFlag,
      storeTimestamp: readInt64(buf, storeTsPos),
      bornTimestamp: readInt64(buf, pos + 40),
      tagsCode: tags === undefined || tags === '' ? 0 : javaStringHashCode(tags),
      keys: properties[MessageConst.KEYS] ?? '',
      uniqKey: properties[MessageConst.UNIQ_KEY],
      properties,
    },
  };
}
