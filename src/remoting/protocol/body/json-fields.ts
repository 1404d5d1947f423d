// Narrowing helpers for JSON bodies (`unknown` → typed values). Lenient like fastjson: numbers may arrive as numeric
// strings, booleans as "true"/"false"; a missing optional field takes its default. A wrong type is a
// RocketMQError(PROTOCOL) naming the body and the field.
import { ERROR_CODES, RocketMQError } from '../../../common/errors.ts';
import { parseLenientJson } from '../../../common/lenient-json.ts';

export type JsonObject = Record<string, unknown>;

export function bodyError(what: string, detail: string): RocketMQError {
  return new RocketMQError(ERROR_CODES.PROTOCOL, `${what}: ${detail}`);
}

/** Parse a body (Buffer or text) leniently; an empty body is an error naming `what`. */
export function parseBodyJson(body: Buffer | string | undefined, what: string): unknown {
  if (body === undefined || body.length === 0) throw bodyError(what, 'empty body');
  try {
    return parseLenientJson(body);
  } catch (e) {
    throw bodyError(what, e instanceof Error ? e.message : String(e));
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObject(v: unknown, what: string): JsonObject {
  if (!isObject(v)) throw bodyError(what, `expected a JSON object, got ${describe(v)}`);
  return v;
}

export function optObject(o: JsonObject, key: string, what: string): JsonObject | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return asObject(v, `${what}.${key}`);
}

export function reqString(o: JsonObject, key: string, what: string): string {
  const v = o[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw bodyError(what, `field '${key}' must be a string, got ${describe(v)}`);
}

export function optString(o: JsonObject, key: string, what: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return reqString(o, key, what);
}

export function optNumber(o: JsonObject, key: string, what: string, def: number): number {
  const v = o[key];
  if (v === undefined || v === null) return def;
  return toNumber(v, `${what}: field '${key}'`);
}

export function toNumber(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  throw new RocketMQError(ERROR_CODES.PROTOCOL, `${what} must be a number, got ${describe(v)}`);
}

export function optBool(o: JsonObject, key: string, what: string, def: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return def;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw bodyError(what, `field '${key}' must be a boolean, got ${describe(v)}`);
}

export function optStringArray(o: JsonObject, key: string, what: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bodyError(what, `field '${key}' must be an array, got ${describe(v)}`);
  return v.map((x, i) => {
    if (typeof x !== 'string') throw bodyError(what, `${key}[${i}] must be a string, got ${describe(x)}`);
    return x;
  });
}

/** A string→string map (values that are numbers/booleans are stringified). */
export function optStringMap(o: JsonObject, key: string, what: string): Record<string, string> {
  const m = optObject(o, key, what);
  const out: Record<string, string> = {};
  if (!m) return out;
  for (const k of Object.keys(m)) setOwn(out, k, reqString(m, k, `${what}.${key}`));
  return out;
}

/** A copy of `o` with keys in sorted order (fastjson MapSortField / sorted bean fields). */
export function sortedKeys<T>(o: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) setOwn(out, k, o[k]);
  return out;
}

/** `o[k] = v` that also works for k = `__proto__` (a valid topic name): the key stays plain data. */
export function setOwn<T>(o: Record<string, T>, k: string, v: T): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
