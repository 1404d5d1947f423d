// Batch body of SEND_BATCH_MESSAGE (§5.5, MessageDecoder.encodeMessages / decodeMessages).
import { RocketMQError, ERROR_CODES } from '../errors.ts';
import { encodeProperties, MAX_PROPERTIES_LENGTH } from './message-properties.ts';

export interface BatchEntry {
  flag: number;
  /** View into the batch body. */
  body: Buffer;
  /** The entry's properties string as sent (decodeProperties parses it). */
  propertiesText: string;
}

export interface BatchEntryInput {
  flag?: number;
  body: Buffer;
  /** A map, or an already encoded properties string. */
  properties: Readonly<Record<string, string>> | string;
}

/** Bytes of one inner message before its body and properties: totalSize, magic, bodyCRC, flag, bodyLen. */
const ENTRY_HEADER = 20;

/**
 * Splits a batch body into its messages. Fields are read in order and TOTALSIZE is ignored, as the Java broker does.
 * Throws PROTOCOL on a cut-short entry or a negative length.
 */
export function decodeBatchBody(body: Buffer): BatchEntry[] {
  const out: BatchEntry[] = [];
  let p = 0;
  while (p < body.length) {
    const start = p;
    if (p + ENTRY_HEADER > body.length) throw batchError('truncated entry header', start);
    const flag = body.readInt32BE(p + 12);
    const bodyLength = body.readInt32BE(p + 16);
    p += ENTRY_HEADER;
    if (bodyLength < 0 || p + bodyLength + 2 > body.length) throw batchError(`bad body length ${bodyLength}`, start);
    const inner = body.subarray(p, p + bodyLength);
    p += bodyLength;
    const propertiesLength = body.readInt16BE(p);
    p += 2;
    if (propertiesLength < 0 || p + propertiesLength > body.length) {
      throw batchError(`bad properties length ${propertiesLength}`, start);
    }
    const propertiesText = body.toString('utf8', p, p + propertiesLength);
    p += propertiesLength;
    out.push({ flag, body: inner, propertiesText });
  }
  return out;
}

function batchError(reason: string, pos: number): RocketMQError {
  return new RocketMQError(ERROR_CODES.PROTOCOL, `malformed batch body at ${pos}: ${reason}`);
}

/** Encodes messages as a batch body (magic and bodyCRC written as 0: the broker recomputes them). */
export function encodeBatchBody(messages: readonly BatchEntryInput[]): Buffer {
  const props = messages.map((m) => (typeof m.properties === 'string' ? m.properties : encodeProperties(m.properties)));
  const propLengths = props.map((s) => Buffer.byteLength(s));
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    if (propLengths[i] > MAX_PROPERTIES_LENGTH) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `properties of batch entry ${i} too long: ${propLengths[i]} bytes`);
    }
    total += ENTRY_HEADER + messages[i].body.length + 2 + propLengths[i];
  }
  const out = Buffer.alloc(total);
  let p = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    out.writeInt32BE(ENTRY_HEADER + m.body.length + 2 + propLengths[i], p);
    out.writeInt32BE(m.flag ?? 0, p + 12);
    out.writeInt32BE(m.body.length, p + 16);
    p += ENTRY_HEADER;
    p += m.body.copy(out, p);
    out.writeInt16BE(propLengths[i], p);
    p += 2;
    p += out.write(props[i], p, 'utf8');
  }
  return out;
}
