// SEND_BATCH_MESSAGE bodies (PROTOCOL.md §5.5) and a helper to split a large list into batches that fit.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { MessageConst } from '../../common/message/message-const.ts';
import { encodeBatchBody } from '../../common/message/message-batch.ts';
import { createUniqKey } from '../../common/message/message-id.ts';
import type { Message } from '../message.ts';
import { bodyBuffer, encodePropertiesChecked, messageProperties, validateTopic } from './message-encoding.ts';

export const DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;
/** totalSize, magic, bodyCRC, flag, bodyLen (int32 each) + propsLen (int16). */
const ENTRY_OVERHEAD = 22;
const UNIQ_KEY_ESTIMATE = `${MessageConst.UNIQ_KEY}\u0001${'0'.repeat(56)}\u0002`;

export interface PreparedBatch {
  topic: string;
  body: Buffer;
  /** Batch-level properties for header `i` (WAIT of the first message). */
  properties: Record<string, string>;
  uniqKeys: string[];
}

function invalid(message: string): RocketMQError {
  return new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, message);
}

function checkBatchable(messages: readonly Message[]): string {
  if (messages.length === 0) throw invalid('batch is empty');
  const topic = messages[0].topic;
  validateTopic(topic);
  if (topic.startsWith('%RETRY%')) throw invalid('a batch cannot go to a retry topic');
  for (const m of messages) {
    if (m.topic !== topic) throw invalid(`all messages of a batch must have the same topic ("${topic}" vs "${m.topic}")`);
    if ((m.delayTimeLevel ?? 0) > 0 || m.deliverTimeMs !== undefined || m.delayTimeMs !== undefined) {
      throw invalid('delayed messages cannot be batched');
    }
    if (bodyBuffer(m.body).length === 0) throw invalid('message body is empty');
  }
  return topic;
}

/** Bytes `m` takes inside a batch body (its UNIQ_KEY counted at the longest, IPv6, length). */
export function batchEntrySize(m: Message): number {
  const props = encodePropertiesChecked(messageProperties(m));
  return ENTRY_OVERHEAD + bodyBuffer(m.body).length + Buffer.byteLength(props) + Buffer.byteLength(UNIQ_KEY_ESTIMATE);
}

/** Validate, give every message its UNIQ_KEY and encode the batch body. Throws if the body exceeds `maxBytes`. */
export function prepareBatch(messages: readonly Message[], maxBytes: number = DEFAULT_MAX_MESSAGE_SIZE): PreparedBatch {
  const topic = checkBatchable(messages);
  const uniqKeys: string[] = [];
  const entries = messages.map((m) => {
    const properties = messageProperties(m);
    const uniqKey = createUniqKey();
    properties[MessageConst.UNIQ_KEY] = uniqKey;
    uniqKeys.push(uniqKey);
    return { flag: m.flag ?? 0, body: bodyBuffer(m.body), properties: encodePropertiesChecked(properties) };
  });
  const body = encodeBatchBody(entries);
  if (body.length > maxBytes) throw invalid(`batch body is ${body.length} bytes, more than ${maxBytes}; use splitBatch`);
  return {
    topic,
    body,
    properties: { [MessageConst.WAIT]: messages[0].waitStoreMsgOK === false ? 'false' : 'true' },
    uniqKeys,
  };
}

/**
 * Split `messages` (same topic) into consecutive batches whose encoded body stays within `maxBytes`. A single message
 * larger than that is an INVALID_ARGUMENT error.
 */
export function splitBatch(messages: readonly Message[], maxBytes: number = DEFAULT_MAX_MESSAGE_SIZE): Message[][] {
  if (messages.length > 0) checkBatchable(messages);
  const out: Message[][] = [];
  let current: Message[] = [];
  let size = 0;
  for (const m of messages) {
    const n = batchEntrySize(m);
    if (n > maxBytes) throw invalid(`one message takes ${n} bytes in a batch, more than ${maxBytes}`);
    if (size + n > maxBytes && current.length > 0) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}
