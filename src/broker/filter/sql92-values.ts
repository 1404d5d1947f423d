// Java value semantics the SQL92 evaluator needs: Integer/Long/Double constants, the String → number conversions
// Java applies when a (string) property meets a numeric constant, and Comparable.compareTo across those classes.
// Nothing here allocates per call except BigInt for longs beyond 2^53.

/** Java class of a numeric constant. */
export const NumClass = { INT: 0, LONG: 1, DOUBLE: 2 } as const;
export type NumClass = (typeof NumClass)[keyof typeof NumClass];

/** A numeric constant. INT/LONG hold a `number` when it is a safe integer, a `bigint` otherwise; DOUBLE a `number`. */
export interface JavaNumber {
  readonly cls: NumClass;
  readonly v: number | bigint;
}

/** "The evaluation threw" in Java (a failed number conversion, a class cast): the whole selector is then false. */
export const EVAL_ERROR: unique symbol = Symbol('sql92-evaluation-error');
export type EvalError = typeof EVAL_ERROR;

/** What an expression evaluates to: null is SQL's unknown (a missing property). */
export type JavaValue = null | boolean | string | JavaNumber | EvalError;
export type NonNullValue = boolean | string | JavaNumber;

const LONG_MIN = -9223372036854775808n;
const LONG_MAX = 9223372036854775807n;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Normalises an integral value: `number` when safe, else `bigint`. */
export function integral(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Length of the digit run of an optionally signed integer string, or -1 when `s` is not [+-]?[0-9]+. */
function integerDigits(s: string): number {
  const n = s.length;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) i = 1;
  if (i === n) return -1;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return -1;
  }
  return n - i;
}

/** Java Long.valueOf(String): ASCII digits with an optional sign, within 64 bits; undefined when Java would throw. */
export function parseJavaLong(s: string): number | bigint | undefined {
  const digits = integerDigits(s);
  if (digits < 0) return undefined;
  if (digits <= 15) return Number(s) + 0; // + 0 turns "-0" into 0
  const v = BigInt(s);
  return v < LONG_MIN || v > LONG_MAX ? undefined : integral(v);
}

/** Java Integer.valueOf(String): as parseJavaLong, within 32 bits. */
export function parseJavaInt(s: string): number | undefined {
  const v = parseJavaLong(s);
  return typeof v === 'number' && v >= INT_MIN && v <= INT_MAX ? v : undefined;
}

const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/** Java Double.valueOf(String): trims chars ≤ U+0020, accepts NaN/Infinity and an f/F/d/D suffix (not hex floats). */
export function parseJavaDouble(s: string): number | undefined {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  const t = start === 0 && end === s.length ? s : s.slice(start, end);
  if (!JAVA_DOUBLE.test(t)) return undefined;
  const last = t.charCodeAt(t.length - 1);
  const body = last === 100 || last === 68 || last === 102 || last === 70 ? t.slice(0, -1) : t;
  if (body.endsWith('NaN')) return Number.NaN;
  return Number(body); // "Infinity", "-Infinity", "1.", ".5", "1e5" all parse as in Java
}

/** Java Boolean.valueOf(String): true only for "true" in any case. */
export function parseJavaBoolean(s: string): boolean {
  return s.length === 4 && s.toLowerCase() === 'true';
}

/** Double.compare: -0.0 < 0.0, NaN equals NaN and is above everything. */
export function compareDouble(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) {
    if (a !== 0) return 0;
    const an = Object.is(a, -0);
    return an === Object.is(b, -0) ? 0 : an ? -1 : 1;
  }
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

function compareIntegral(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: JavaNumber, b: JavaNumber): number {
  if (a.cls === NumClass.DOUBLE || b.cls === NumClass.DOUBLE) return compareDouble(Number(a.v), Number(b.v));
  return compareIntegral(a.v, b.v);
}

/** Converts a string to the class of `like` the way Java's comparison does; undefined when Java would throw. */
function convert(s: string, like: JavaNumber): number | bigint | undefined {
  switch (like.cls) {
    case NumClass.INT:
      return parseJavaInt(s);
    case NumClass.LONG:
      return parseJavaLong(s);
    default:
      return parseJavaDouble(s);
  }
}

function compareStringWithNumber(s: string, n: JavaNumber): number | EvalError {
  const v = convert(s, n);
  if (v === undefined) return EVAL_ERROR;
  return n.cls === NumClass.DOUBLE ? compareDouble(v as number, n.v as number) : compareIntegral(v, n.v);
}

function compareBoolean(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? 1 : -1;
}

/**
 * `lv.compareTo(rv)` after Java's conversions between classes (string operands converted to the other side's class).
 * Unrelated classes compare as -1; a failed conversion is EVAL_ERROR.
 */
export function javaCompare(lv: NonNullValue, rv: NonNullValue): number | EvalError {
  if (typeof lv === 'string') {
    if (typeof rv === 'string') return lv < rv ? -1 : lv > rv ? 1 : 0;
    if (typeof rv === 'boolean') return compareBoolean(parseJavaBoolean(lv), rv);
    return compareStringWithNumber(lv, rv);
  }
  if (typeof lv === 'boolean') {
    if (typeof rv === 'boolean') return compareBoolean(lv, rv);
    // Java casts the Boolean to String here and throws a ClassCastException.
    return typeof rv === 'string' ? EVAL_ERROR : -1;
  }
  if (typeof rv === 'string') {
    const c = compareStringWithNumber(rv, lv);
    return c === EVAL_ERROR ? c : 0 - c; // 0 - c, not -c: no -0
  }
  if (typeof rv === 'boolean') return -1;
  return compareNumbers(lv, rv);
}

/** Java `lv.equals(rv)`: same class and value (Double: NaN equals NaN, 0.0 differs from -0.0). */
export function javaEquals(lv: NonNullValue, rv: NonNullValue): boolean {
  if (typeof lv !== 'object' || typeof rv !== 'object') return lv === rv;
  if (lv.cls !== rv.cls) return false;
  return lv.cls === NumClass.DOUBLE ? Object.is(lv.v, rv.v) : lv.v === rv.v;
}

/** Java negation of a numeric constant (int and long wrap on overflow like Java). */
export function negateJavaNumber(n: JavaNumber): JavaNumber {
  if (n.cls === NumClass.DOUBLE) return { cls: n.cls, v: -(n.v as number) };
  const v = -BigInt(n.v);
  if (n.cls === NumClass.INT) return { cls: n.cls, v: Number(BigInt.asIntN(32, v)) };
  return { cls: n.cls, v: integral(BigInt.asIntN(64, v)) };
}
