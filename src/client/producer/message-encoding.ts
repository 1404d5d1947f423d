// Turning a user Message into what goes on the wire: validated topic and body, system properties, UNIQ_KEY, and a
// zlib-compressed body with sysFlag COMPRESSED|ZLIB above the threshold (PROTOCOL.md §5.1, §5.3).
import { deflateSync } from 'node:zlib';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { KEY_SEPARATOR, MessageConst, MessageSysFlag } from '../../common/message/message-const.ts';
import { createUniqKey } from '../../common/message/message-id.ts';
import { encodeProperties, MAX_PROPERTIES_LENGTH } from '../../common/message/message-properties.ts';
import type { Message } from '../message.ts';

export const MAX_TOPIC_LENGTH = 127;
const TOPIC_RE = /^[%|a-zA-Z0-9_-]+$/;
const SYSTEM_PROPERTY_NAMES = new Set<string>(Object.values(MessageConst));

/** A message ready to send. */
export interface PreparedMessage {
  topic: string;
  /** Body as sent (compressed when sysFlag has COMPRESSED). */
  body: Buffer;
  flag: number;
  sysFlag: number;
  properties: Record<string, string>;
  uniqKey: string;
}

export interface PrepareOptions {
  maxMessageSize: number;
  /** Bodies at least this long are deflated; Infinity disables. */
  compressOverBytes: number;
  compressLevel: number;
}

function invalid(message: string): RocketMQError {
  return new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, message);
}

/** Topics that passed validateTopic recently (every send validates its topic; most reuse a few). */
const validTopics = new Set<string>();
const VALID_TOPICS_LIMIT = 65_536;

export function validateTopic(topic: string): void {
  if (validTopics.has(topic)) return;
  if (typeof topic !== 'string' || topic.length === 0) throw invalid('topic is empty');
  if (topic.length > MAX_TOPIC_LENGTH) throw invalid(`topic is longer than ${MAX_TOPIC_LENGTH} characters`);
  if (!TOPIC_RE.test(topic)) throw invalid(`topic "${topic}" contains characters other than [%|a-zA-Z0-9_-]`);
  if (validTopics.size >= VALID_TOPICS_LIMIT) validTopics.clear();
  validTopics.add(topic);
}

export function bodyBuffer(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Properties of `m` (user properties first, then the system ones), without UNIQ_KEY. */
export function messageProperties(m: Message): Record<string, string> {
  const p: Record<string, string> = {};
  const user = m.properties;
  if (user !== undefined) {
    for (const [k, v] of Object.entries(user)) {
      if (SYSTEM_PROPERTY_NAMES.has(k)) throw invalid(`user property "${k}" is a reserved system property name`);
      if (typeof v !== 'string') throw invalid(`user property "${k}" must be a string`);
      p[k] = v;
    }
  }
  if (m.tags !== undefined && m.tags !== '') p[MessageConst.TAGS] = m.tags;
  if (m.keys !== undefined) {
    const keys = typeof m.keys === 'string' ? m.keys : m.keys.join(KEY_SEPARATOR);
    if (keys !== '') p[MessageConst.KEYS] = keys;
  }
  if (m.delayTimeLevel !== undefined && m.delayTimeLevel !== 0) {
    if (!Number.isInteger(m.delayTimeLevel) || m.delayTimeLevel < 0) throw invalid(`delayTimeLevel must be a positive integer, got ${m.delayTimeLevel}`);
    p[MessageConst.DELAY] = String(m.delayTimeLevel);
  }
  if (m.deliverTimeMs !== undefined) {
    if (!Number.isInteger(m.deliverTimeMs) || m.deliverTimeMs < 0) throw invalid(`deliverTimeMs must be epoch milliseconds, got ${m.deliverTimeMs}`);
    p[MessageConst.TIMER_DELIVER_MS] = String(m.deliverTimeMs);
  }
  if (m.delayTimeMs !== undefined) {
    if (!Number.isInteger(m.delayTimeMs) || m.delayTimeMs < 0) throw invalid(`delayTimeMs must be a non-negative integer, got ${m.delayTimeMs}`);
    p[MessageConst.TIMER_DELAY_MS] = String(m.delayTimeMs);
  }
  p[MessageConst.WAIT] = m.waitStoreMsgOK === false ? 'false' : 'true';
  return p;
}

/** Validate and encode one message for SEND_MESSAGE_V2. */
export function prepareMessage(m: Message, options: PrepareOptions, compress = true): PreparedMessage {
  validateTopic(m.topic);
  const raw = bodyBuffer(m.body);
  if (raw.length === 0) throw invalid('message body is empty');
  if (raw.length > options.maxMessageSize) {
    throw invalid(`message body is ${raw.length} bytes, more than maxMessageSize ${options.maxMessageSize}`);
  }
  const properties = messageProperties(m);
  const uniqKey = createUniqKey();
  properties[MessageConst.UNIQ_KEY] = uniqKey;
  let body = raw;
  let sysFlag = 0;
  if (compress && raw.length >= options.compressOverBytes) {
    body = deflateSync(raw, { level: options.compressLevel });
    sysFlag |= MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.COMPRESSION_ZLIB;
  }
  return { topic: m.topic, body, flag: m.flag ?? 0, sysFlag, properties, uniqKey };
}

/** encodeProperties plus the int16 length limit. */
export function encodePropertiesChecked(p: Readonly<Record<string, string>>): string {
  const s = encodeProperties(p);
  if (Buffer.byteLength(s) > MAX_PROPERTIES_LENGTH) throw invalid(`properties are longer than ${MAX_PROPERTIES_LENGTH} bytes`);
  return s;
}
