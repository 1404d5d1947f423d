// Full-message encoding for CHECK_TRANSACTION_STATE / CONSUME_MESSAGE_DIRECTLY bodies (§5.4, MessageDecoder.encode).
import { deflateSync, inflateSync } from 'node:zlib';
import { RocketMQError, ERROR_CODES } from '../errors.ts';
import { compressionType, CompressionType, MessageSysFlag } from './message-const.ts';
import { encodeProperties } from './message-properties.ts';
import { encodeRecordV1 } from './message-record.ts';
import type { DecodedMessage, MessageRecordInput } from './message-record.ts';

export interface FullMessageInput extends Omit<MessageRecordInput, 'properties'> {
  properties: Readonly<Record<string, string>> | string;
}

export interface EncodeFullMessageOptions {
  /** Deflate the body (ZLIB) and set COMPRESSED|ZLIB, as Java's encode(msg, needCompress=true). Default false. */
  compress?: boolean;
}

/** One record in §5.2 layout with magic V1 (1-byte topic length), ready to decode with decodeRecord. */
export function encodeFullMessage(input: FullMessageInput, options: EncodeFullMessageOptions = {}): Buffer {
  let body = input.body;
  let sysFlag = input.sysFlag;
  let crc = input.bodyCrc;
  if (options.compress === true && compressionType(sysFlag) === CompressionType.NONE) {
    body = deflateSync(body, { level: 5 });
    sysFlag |= MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.COMPRESSION_ZLIB;
    crc = undefined;
  }
  const properties = typeof input.properties === 'string' ? input.properties : encodeProperties(input.properties);
  return encodeRecordV1({ ...input, body, sysFlag, properties, bodyCrc: crc });
}

/**
 * The body of a decoded message, inflated if it is ZLIB-compressed. LZ4 and ZSTD are not supported (INVALID_ARGUMENT).
 */
export function decompressBody(m: Pick<DecodedMessage, 'body' | 'sysFlag'>): Buffer {
  const type = compressionType(m.sysFlag);
  if (type === CompressionType.NONE) return m.body;
  if (type !== CompressionType.ZLIB) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `unsupported body compression ${type}`);
  }
  try {
    return inflateSync(m.body);
  } catch (e) {
    throw new RocketMQError(ERROR_CODES.PROTOCOL, 'body does not inflate (zlib)', { cause: e });
  }
}
