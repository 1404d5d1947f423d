// RemotingCommand ↔ bytes (PROTOCOL.md §1.1–§1.3). Pure: no I/O, no timers.
//
// Encoding returns the frame prefix + header in one buffer and leaves the body alone, so a transport can hand both to
// the socket (writev) without copying the body. Decoding takes a frame (the bytes after the 4-byte length field, as the
// frame decoder yields them) and returns the body as a view into that frame.
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { isLanguageCode, languageFromByte, languageToByte } from './language-code.ts';
import type { LanguageCode } from './language-code.ts';
import { RemotingCommand, SerializeType } from './remoting-command.ts';
import type { ExtFields } from './remoting-command.ts';

/** Bytes of the length field that starts every frame. */
export const LENGTH_FIELD_SIZE = 4;
/** Bytes before the header: length field + header word. */
export const FRAME_PREFIX_SIZE = 8;
/** Default maximum of the length field value (§1.1, Java's com.rocketmq.remoting.frameMaxLength). */
export const DEFAULT_MAX_FRAME_LENGTH = 16 * 1024 * 1024;
/** headerLen is the low 24 bits of the header word. */
export const MAX_HEADER_LENGTH = 0xffffff;
/** Fixed part of a ROCKETMQ binary header (§1.3): code, language, version, opaque, flag, remarkLen, extLen. */
const BINARY_FIXED_SIZE = 21;

function protocolError(message: string, cause?: unknown): RocketMQError {
  return new RocketMQError(ERROR_CODES.PROTOCOL, message, cause === undefined ? {} : { cause });
}

// ---------------------------------------------------------------------------------------------------------------------
// Encoding

/**
 * Frame prefix + header of `cmd`: [length][serializeType<<24 | headerLen][header]. The body (cmd.body) is NOT included;
 * write it right after this buffer. The length field already counts the body.
 */
export function encodeHeader(cmd: RemotingCommand): Buffer {
  const bodyLength = cmd.body?.length ?? 0;
  let out: Buffer;
  let headerLength: number;
  if (cmd.serializeType === SerializeType.ROCKETMQ) {
    const parts = binaryHeaderParts(cmd);
    headerLength = parts.size;
    checkHeaderLength(headerLength);
    out = Buffer.allocUnsafe(FRAME_PREFIX_SIZE + headerLength);
    writeBinaryHeader(cmd, parts, out, FRAME_PREFIX_SIZE);
  } else if (cmd.serializeType === SerializeType.JSON) {
    const json = serializeJsonHeader(cmd);
    out = jsonFrameHeader(json);
    headerLength = out.length - FRAME_PREFIX_SIZE;
    checkHeaderLength(headerLength);
  } else {
    throw protocolError(`cannot encode unknown serializeType ${String(cmd.serializeType)}`);
  }
  const length = LENGTH_FIELD_SIZE + headerLength + bodyLength;
  if (length > 0x7fffffff) throw protocolError(`frame of ${length} bytes does not fit the int32 length field`);
  out.writeInt32BE(length, 0);
  out.writeUInt32BE(((cmd.serializeType << 24) | headerLength) >>> 0, 4);
  return out;
}

/** The whole frame in one buffer (copies the body). For tests and small one-off writes; the transport uses encodeHeader. */
export function encodeCommand(cmd: RemotingCommand): Buffer {
  const header = encodeHeader(cmd);
  return cmd.body && cmd.body.length > 0 ? Buffer.concat([header, cmd.body]) : header;
}

/** Value of the length field of an encoded frame (= what the peer compares with its max frame length). */
export function encodedFrameLength(header: Buffer): number {
  return header.readInt32BE(0);
}

// Small JSON headers are written straight into a shared slab (like Buffer.allocUnsafe's pool) at their worst-case
// UTF-8 size, which saves measuring the string first (Buffer.byteLength) — one native pass instead of two.
const SLAB_SIZE = 16 * 1024;
const SLAB_MAX_CHARS = 1024;
let slab = Buffer.allocUnsafe(SLAB_SIZE);
let slabUsed = 0;

/** Buffer of FRAME_PREFIX_SIZE unwritten bytes + the UTF-8 of `json`. */
function jsonFrameHeader(json: string): Buffer {
  if (json.length > SLAB_MAX_CHARS) {
    const n = Buffer.byteLength(json, 'utf8');
    const big = Buffer.allocUnsafe(FRAME_PREFIX_SIZE + n);
    big.write(json, FRAME_PREFIX_SIZE, n, 'utf8');
    return big;
  }
  const worst = FRAME_PREFIX_SIZE + json.length * 3;
  if (SLAB_SIZE - slabUsed < worst) {
    slab = Buffer.allocUnsafe(SLAB_SIZE);
    slabUsed = 0;
  }
  const start = slabUsed;
  const n = slab.write(json, start + FRAME_PREFIX_SIZE, 'utf8');
  const end = start + FRAME_PREFIX_SIZE + n;
  slabUsed = (end + 7) & ~7; // keep 8-byte alignment like Node's pool
  return slab.subarray(start, end);
}

function checkHeaderLength(n: number): void {
  if (n > MAX_HEADER_LENGTH) throw protocolError(`header of ${n} bytes exceeds the 24-bit header length field`);
}

/**
 * JSON header text, fastjson-style (§1.2): keys in alphabetical order, absent fields omitted, extFields keys sorted and
 * every value a string.
 */
export function serializeJsonHeader(cmd: RemotingCommand): string {
  let s = `{"code":${jsonInt(cmd.code, 'code')}`;
  const ext = cmd.extFields;
  if (ext !== undefined && ext !== null) {
    s += ',"extFields":{';
    let first = true;
    for (const k of sortedKeys(ext)) {
      const v: unknown = ext[k];
      if (v === undefined || v === null) continue;
      s += `${first ? '' : ','}${quotedKey(k)}:${jsonString(typeof v === 'string' ? v : String(v))}`;
      first = false;
    }
    s += '}';
  }
  s += `,"flag":${jsonInt(cmd.flag, 'flag')},"language":${jsonString(cmd.language)},"opaque":${jsonInt(cmd.opaque, 'opaque')}`;
  if (cmd.remark !== undefined && cmd.remark !== null) s += `,"remark":${jsonString(cmd.remark)}`;
  s += `,"serializeTypeCurrentRPC":"JSON","version":${jsonInt(cmd.version, 'version')}}`;
  return s;
}

/** Own keys in code-unit order; headers built in that order already skip the sort. */
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) return keys.sort();
  }
  return keys;
}

/** Characters JSON.stringify would escape: quote, backslash, controls, and (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** extFields keys come from a small set (header field names): their JSON form is cached. */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_LIMIT = 1024;

function quotedKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = jsonString(k);
    if (quotedKeys.size < QUOTED_KEYS_LIMIT) quotedKeys.set(k, q);
  }
  return q;
}

/** JSON.stringify(s) for a string; plain text (the usual header value) is only quoted. */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function jsonInt(n: number, field: string): number {
  if (!Number.isSafeInteger(n)) throw protocolError(`cannot encode ${field}=${String(n)}: not an integer`);
  return n;
}

interface BinaryParts {
  size: number;
  remarkLength: number;
  /** Sorted [key, value, keyBytes, valueBytes] quadruples, flattened. */
  ext: Array<string | number>;
  extLength: number;
}

function binaryHeaderParts(cmd: RemotingCommand): BinaryParts {
  const remarkLength = cmd.remark ? Buffer.byteLength(cmd.remark, 'utf8') : 0;
  const ext: Array<string | number> = [];
  let extLength = 0;
  if (cmd.extFields) {
    for (const k of Object.keys(cmd.extFields).sort()) {
      const raw: unknown = cmd.extFields[k];
      if (raw === undefined || raw === null) continue;
      const v = typeof raw === 'string' ? raw : String(raw);
      const kb = Buffer.byteLength(k, 'utf8');
      if (kb > 0x7fff) throw protocolError(`extFields key of ${kb} bytes does not fit the int16 key length`);
      const vb = Buffer.byteLength(v, 'utf8');
      ext.push(k, v, kb, vb);
      extLength += 2 + kb + 4 + vb;
    }
  }
  return { size: BINARY_FIXED_SIZE + remarkLength + extLength, remarkLength, ext, extLength };
}

// §1.3: int16 code, int8 language, int16 version, int32 opaque, int32 flag, int32+remark, int32+ext entries.
function writeBinaryHeader(cmd: RemotingCommand, parts: BinaryParts, out: Buffer, start: number): void {
  let p = start;
  try {
    p = out.writeInt16BE(cmd.code, p);
    p = out.writeUInt8(languageToByte(cmd.language), p);
    p = out.writeInt16BE(cmd.version, p);
  } catch (e) {
    throw protocolError(`cannot encode binary header (code=${cmd.code}, version=${cmd.version}): ${errorMessage(e)}`, e);
  }
  p = out.writeInt32BE(cmd.opaque | 0, p);
  p = out.writeInt32BE(cmd.flag | 0, p);
  p = out.writeInt32BE(parts.remarkLength, p);
  if (parts.remarkLength > 0) p += out.write(cmd.remark as string, p, parts.remarkLength, 'utf8');
  p = out.writeInt32BE(parts.extLength, p);
  const ext = parts.ext;
  for (let i = 0; i < ext.length; i += 4) {
    const kb = ext[i + 2] as number;
    const vb = ext[i + 3] as number;
    p = out.writeInt16BE(kb, p);
    p += out.write(ext[i] as string, p, kb, 'utf8');
    p = out.writeInt32BE(vb, p);
    p += out.write(ext[i + 1] as string, p, vb, 'utf8');
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Decoding

/** Split a header word into serialize type (top byte) and header length (low 24 bits). */
export function splitHeaderWord(word: number): { serializeType: number; headerLength: number } {
  return { serializeType: (word >>> 24) & 0xff, headerLength: word & MAX_HEADER_LENGTH };
}

/**
 * Decode one frame: the bytes after the length field (header word, header, body). The body is a view into `frame`
 * (no copy) or undefined when empty. Throws RocketMQError(PROTOCOL).
 */
export function decodeFrame(frame: Buffer): RemotingCommand {
  if (frame.length < 4) throw protocolError(`frame of ${frame.length} bytes is shorter than the 4-byte header word`);
  const word = frame.readUInt32BE(0);
  const serializeType = word >>> 24;
  const headerLength = word & MAX_HEADER_LENGTH;
  if (headerLength > frame.length - 4) {
    throw protocolError(`header length ${headerLength} exceeds frame length ${frame.length}`);
  }
  const headerEnd = 4 + headerLength;
  let cmd: RemotingCommand;
  if (serializeType === SerializeType.JSON) cmd = parseJsonHeader(frame, 4, headerEnd);
  else if (serializeType === SerializeType.ROCKETMQ) cmd = parseBinaryHeader(frame, 4, headerEnd);
  else throw protocolError(`unknown serializeType ${serializeType} in header word 0x${word.toString(16).padStart(8, '0')}`);
  if (frame.length > headerEnd) cmd.body = frame.subarray(headerEnd);
  return cmd;
}

/** Decode a complete frame including its 4-byte length field (which must match the buffer size). */
export function decodeCommand(bytes: Buffer): RemotingCommand {
  if (bytes.length < 8) throw protocolError(`frame of ${bytes.length} bytes is shorter than the 8-byte prefix`);
  const length = bytes.readInt32BE(0);
  if (length !== bytes.length - LENGTH_FIELD_SIZE) {
    throw protocolError(`length field ${length} does not match the ${bytes.length - LENGTH_FIELD_SIZE} bytes that follow it`);
  }
  return decodeFrame(bytes.subarray(LENGTH_FIELD_SIZE));
}

const INT_STRING_RE = /^-?\d{1,16}$/;

function intField(o: Record<string, unknown>, key: string, required: boolean): number {
  const v = o[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (v === undefined || v === null) {
    if (required) throw protocolError(`JSON header has no '${key}'`);
    return 0;
  }
  if (typeof v === 'string' && INT_STRING_RE.test(v)) return Number(v);
  throw protocolError(`JSON header field '${key}' must be an integer, got ${JSON.stringify(v) ?? typeof v}`);
}

function languageField(v: unknown): LanguageCode {
  if (typeof v === 'string') return isLanguageCode(v) ? v : 'OTHER';
  if (typeof v === 'number') return languageFromByte(v);
  return 'JAVA';
}

function stringValue(v: unknown, what: string): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'undefined':
      return undefined;
    case 'object':
      if (v === null) return undefined;
      return JSON.stringify(v); // fastjson casts a nested JSON value to its text
    default:
      throw protocolError(`${what} has an unsupported value`);
  }
}

function remarkField(v: unknown): string | undefined {
  if (typeof v === 'object' && v !== null) throw protocolError("JSON header 'remark' must be a string");
  return stringValue(v, "JSON header 'remark'");
}

/**
 * Lenient extFields (§12.3): string values kept, numbers/booleans stringified, null dropped, nested JSON kept as text.
 * The parsed object is normalized in place (no copy in the common all-strings case).
 */
function normalizeExtFields(v: unknown): ExtFields | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw protocolError(`JSON header 'extFields' must be an object, got ${Array.isArray(v) ? 'array' : typeof v}`);
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (typeof x === 'string') continue;
    const s = stringValue(x, `extFields '${k}'`);
    if (s === undefined) delete o[k];
    else o[k] = s; // own data property (JSON.parse created it), so even '__proto__' is assigned, not the prototype
  }
  return o as ExtFields;
}

/** Parse the JSON header in buf[start, end). serializeTypeCurrentRPC and unknown keys are ignored. */
export function parseJsonHeader(buf: Buffer, start: number, end: number): RemotingCommand {
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', start, end));
  } catch (e) {
    throw protocolError(`JSON header is not valid JSON: ${errorMessage(e)}`, e);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw protocolError(`JSON header must be an object, got ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed}`);
  }
  const o = parsed as Record<string, unknown>;
  return new RemotingCommand({
    code: intField(o, 'code', true),
    language: languageField(o.language),
    version: intField(o, 'version', false),
    opaque: intField(o, 'opaque', false),
    flag: intField(o, 'flag', false),
    remark: remarkField(o.remark),
    extFields: normalizeExtFields(o.extFields),
    serializeType: SerializeType.JSON,
  });
}

/** Parse the ROCKETMQ binary header in buf[start, end) (§1.3). Zero-length strings decode as absent (remark) / "" (values). */
export function parseBinaryHeader(buf: Buffer, start: number, end: number): RemotingCommand {
  if (end - start < BINARY_FIXED_SIZE) {
    throw protocolError(`binary header of ${end - start} bytes is shorter than its ${BINARY_FIXED_SIZE}-byte fixed part`);
  }
  let p = start;
  const code = buf.readInt16BE(p);
  const languageByte = buf.readUInt8(p + 2);
  const version = buf.readInt16BE(p + 3);
  const opaque = buf.readInt32BE(p + 5);
  const flag = buf.readInt32BE(p + 9);
  const remarkLength = buf.readInt32BE(p + 13);
  p += 17;
  if (remarkLength < 0 || remarkLength > end - p - 4) {
    throw protocolError(`binary header remark length ${remarkLength} exceeds the header`);
  }
  const remark = remarkLength > 0 ? buf.toString('utf8', p, p + remarkLength) : undefined;
  p += remarkLength;
  const extLength = buf.readInt32BE(p);
  p += 4;
  if (extLength < 0 || extLength > end - p) throw protocolError(`binary header extFields length ${extLength} exceeds the header`);
  let extFields: ExtFields | undefined;
  const extEnd = p + extLength;
  if (extLength > 0) {
    extFields = {};
    while (p < extEnd) {
      if (extEnd - p < 2) throw protocolError('binary header extFields entry truncated in key length');
      const kl = buf.readInt16BE(p);
      p += 2;
      if (kl < 0 || kl > extEnd - p - 4) throw protocolError(`binary header extFields key length ${kl} exceeds the map`);
      const key = buf.toString('utf8', p, p + kl);
      p += kl;
      const vl = buf.readInt32BE(p);
      p += 4;
      if (vl < 0 || vl > extEnd - p) throw protocolError(`binary header extFields value length ${vl} exceeds the map`);
      const value = buf.toString('utf8', p, p + vl);
      p += vl;
      if (key === '__proto__') Object.defineProperty(extFields, key, { value, enumerable: true, writable: true, configurable: true });
      else extFields[key] = value;
    }
  }
  // Bytes after the ext map are ignored, as Java does.
  return new RemotingCommand({
    code,
    language: languageFromByte(languageByte),
    version,
    opaque,
    flag,
    remark,
    extFields,
    serializeType: SerializeType.ROCKETMQ,
  });
}
