// The properties string: key \u0001 value \u0002, repeated (§5.1).
import { RocketMQError, ERROR_CODES } from '../errors.ts';
import { TRANSIENT_PROPERTY_PREFIX } from './message-const.ts';

export const NAME_VALUE_SEPARATOR = '\u0001';
export const PROPERTY_SEPARATOR = '\u0002';
/** Max UTF-8 length of the properties string: it is stored with a signed int16 length. */
export const MAX_PROPERTIES_LENGTH = 32767;

/**
 * Encodes properties as Java does (a trailing \u0002 after every pair). Transient keys are not written.
 * Throws INVALID_ARGUMENT if a key or value contains a separator (the result could not be parsed back).
 */
export function encodeProperties(p: Readonly<Record<string, string>>): string {
  let out = '';
  for (const key in p) {
    const value = p[key];
    if (value === undefined || value === null) continue;
    if (key.startsWith(TRANSIENT_PROPERTY_PREFIX)) continue;
    if (hasSeparator(key) || hasSeparator(value)) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `property ${JSON.stringify(key)} contains \\u0001 or \\u0002`);
    }
    out += key + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
  }
  return out;
}

function hasSeparator(s: string): boolean {
  return s.includes(NAME_VALUE_SEPARATOR) || s.includes(PROPERTY_SEPARATOR);
}

/**
 * Parses a properties string with Java's rules (MessageDecoder.string2messageProperties): segments split on \u0002;
 * a segment shorter than 3 chars, or whose first \u0001 is at its start or its last char, is skipped; the value runs
 * from the first \u0001 to the segment end; a later duplicate key wins. The result has no prototype.
 */
export function decodeProperties(s: string): Record<string, string> {
  return decodePropertiesInto(s, Object.create(null) as Record<string, string>);
}

/**
 * decodeProperties into an ordinary object (Object.prototype; a `__proto__` key becomes an own property, never the
 * prototype). What consumers hand to users: copying a prototype-less map into a plain object costs more than decoding.
 */
export function decodePlainProperties(s: string): Record<string, string> {
  return decodePropertiesInto(s, {});
}

function decodePropertiesInto(s: string, out: Record<string, string>): Record<string, string> {
  const plain = Object.getPrototypeOf(out) !== null;
  const len = s.length;
  let index = 0;
  while (index < len) {
    let end = s.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = len;
    if (end - index >= 3) {
      const kv = s.indexOf(NAME_VALUE_SEPARATOR, index);
      if (kv > index && kv < end - 1) {
        const key = s.substring(index, kv);
        const value = s.substring(kv + 1, end);
        if (plain && key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
    }
    index = end + 1;
  }
  return out;
}

/**
 * Which of `keys` occur as property keys in the properties string `s`: bit i set for keys[i] (at most 31 keys). When
 * `values[i]` is given, keys[i] must carry exactly that value: a different value gives -1. Also -1 when `s` is not in the
 * form encodeProperties writes (every pair `key\u0001value\u0002`, non-empty key and value) or holds a transient key,
 * i.e. whenever decode + encode would not give back the same pairs. Allocates nothing: the send path uses it to keep a
 * client's properties string as it is and append to it instead of decoding and re-encoding.
 */
export function scanPropertyKeys(s: string, keys: readonly string[], values?: ReadonlyArray<string | undefined>): number {
  if (s.includes(TRANSIENT_PROPERTY_PREFIX)) return -1;
  let found = 0;
  const len = s.length;
  let index = 0;
  while (index < len) {
    const end = s.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) return -1;
    const kv = s.indexOf(NAME_VALUE_SEPARATOR, index);
    if (kv <= index || kv >= end - 1) return -1;
    const again = s.indexOf(NAME_VALUE_SEPARATOR, kv + 1);
    if (again !== -1 && again < end) return -1;
    const keyLength = kv - index;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k.length !== keyLength || !s.startsWith(k, index)) continue;
      const want = values?.[i];
      if (want !== undefined && (want.length !== end - kv - 1 || !s.startsWith(want, kv + 1))) return -1;
      found |= 1 << i;
    }
    index = end + 1;
  }
  return found;
}

/** The value of `key` in the properties string `s` (the last one when repeated, as decodeProperties), or undefined. */
export function propertyValue(s: string, key: string): string | undefined {
  let found: string | undefined;
  const len = s.length;
  let index = 0;
  while (index < len) {
    let end = s.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = len;
    const kv = index + key.length;
    if (end - index >= 3 && kv < end - 1 && s.charCodeAt(kv) === 1 && s.startsWith(key, index)) found = s.substring(kv + 1, end);
    index = end + 1;
  }
  return found;
}

/** Copy of `p` without transient keys. */
export function persistentProperties(p: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key in p) if (!key.startsWith(TRANSIENT_PROPERTY_PREFIX)) out[key] = p[key];
  return out;
}
