// The SQL92 evaluator against a table of (selector, properties, outcome), each outcome as RocketMQ's filter module
// computes it: true / false / null (unknown: a missing property decided it) / 'error' (Java's evaluation throws,
// so the message does not match even under OR). A property-based check: evaluation never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileSql92, compileSql92Expression, compileSql92Outcome } from '../../../src/broker/filter/sql92-evaluator.ts';
import type { Sql92Outcome } from '../../../src/broker/filter/sql92-evaluator.ts';
import { parseSql92 } from '../../../src/broker/filter/sql92-parser.ts';

type Row = readonly [expression: string, properties: Record<string, string>, expected: Sql92Outcome];

function check(rows: readonly Row[]): void {
  for (const [expression, properties, expected] of rows) {
    const ast = parseSql92(expression);
    const outcome = compileSql92Outcome(ast)(properties);
    assert.equal(outcome, expected, `${expression} over ${JSON.stringify(properties)}`);
    assert.equal(compileSql92(ast)(properties), expected === true, `${expression} predicate over ${JSON.stringify(properties)}`);
  }
}

test('numeric comparisons: >, >=, <, <=, =, <> over int, long and double literals', () => {
  check([
    ['a > 5', { a: '6' }, true],
    ['a > 5', { a: '5' }, false],
    ['a >= 5', { a: '5' }, true],
    ['a >= 5', { a: '4' }, false],
    ['a < 5', { a: '4' }, true],
    ['a < 5', { a: '5' }, false],
    ['a <= 5', { a: '5' }, true],
    ['a <= 5', { a: '6' }, false],
    ['a = 5', { a: '5' }, true],
    ['a = 5', { a: '+5' }, true],
    ['a = 5', { a: '6' }, false],
    ['a <> 5', { a: '6' }, true],
    ['a <> 5', { a: '5' }, false],
    ['5 < a', { a: '6' }, true],
    ['5 < a', { a: '5' }, false],
    ['a > 5.5', { a: '6' }, true],
    ['a > 5.5', { a: '5.5' }, false],
    ['a >= 5.5', { a: '5.5' }, true],
    ['a = 1.5', { a: '1.5' }, true],
    ['a = 1.5', { a: '1.50' }, true],
    ['a < 1e3', { a: '999.9' }, true],
    ['a < .5', { a: '0.25' }, true],
    ['a > 1.5', { a: '2d' }, true], // Double.valueOf accepts a type suffix
    ['a > 1.5', { a: ' 2 ' }, true], // and trims
    ['a > 5L', { a: '6' }, true],
  ]);
});

test('negative numbers, large longs and the int/long/double classes of literals', () => {
  check([
    ['a > -5', { a: '-4' }, true],
    ['a > -5', { a: '-6' }, false],
    ['a = -5', { a: '-5' }, true],
    ['a < -1.5', { a: '-2' }, true],
    ['a = - -5', { a: '5' }, true],
    ['a = +5', { a: '5' }, true],
    ['a BETWEEN -10 AND -1', { a: '-3' }, true],
    // Long.MAX_VALUE is compared exactly, beyond 2^53.
    ['a = 9223372036854775807', { a: '9223372036854775807' }, true],
    ['a = 9223372036854775807', { a: '9223372036854775806' }, false],
    ['a > 9223372036854775806', { a: '9223372036854775807' }, true],
    ['a < 9007199254740993', { a: '9007199254740992' }, true],
    ['a = -9223372036854775807', { a: '-9223372036854775807' }, true],
    // 2147483648 is a long literal, so its negation is Long.MIN of int range as a long.
    ['a = -2147483648', { a: '-2147483648' }, true],
    ['a > 2147483647', { a: '2147483648' }, 'error'], // int literal: Integer.valueOf overflows
    ['a > 2147483647L', { a: '2147483648' }, 'error'], // L does not make a long: the value decides
    // Property strings are converted to the literal's class: an int literal needs an int-parsable value.
    ['a > 5', { a: '10.5' }, 'error'],
    ['a > 5', { a: '3000000000' }, 'error'],
    ['a > 5L', { a: '3000000000' }, 'error'], // 5L is still an int-sized literal
    ['a > 2147483648', { a: '3000000000' }, true],
    ['a > 5.0', { a: '3000000000' }, true],
    ['a > 5.0', { a: '10' }, true],
    ['a > 2147483648', { a: '99999999999999999999' }, 'error'], // beyond a long
    ['a > 2147483648', { a: '1e10' }, 'error'],
    ['a > 1.5', { a: '1e10' }, true],
  ]);
});

test('double edge cases: NaN and infinities follow Double.compare', () => {
  check([
    ['a > 1.5', { a: 'NaN' }, true], // NaN sorts above everything
    ['a = 1.5', { a: 'NaN' }, false],
    ['a > 1.5', { a: 'Infinity' }, true],
    ['a < 1.5', { a: '-Infinity' }, true],
    ['a > 1.5', { a: '0x10' }, 'error'], // hex floats are not read
    ['a > b', { a: 'NaN', b: 'NaN' }, false],
    ['a >= b', { a: 'NaN', b: 'NaN' }, true],
  ]);
});

test('two properties compared by order are both read as doubles; by equality as strings', () => {
  check([
    ['a > b', { a: '10', b: '9' }, true], // numeric, not lexicographic
    ['a > b', { a: '1.5', b: '1' }, true],
    ['a < b', { a: 'x', b: '1' }, 'error'],
    ['a = b', { a: '1.0', b: '1' }, false], // string equality
    ['a = b', { a: 'x', b: 'x' }, true],
    ['a <> b', { a: 'x', b: 'y' }, true],
  ]);
});

test('string equality, quotes and the TAGS property', () => {
  check([
    ["a = 'x'", { a: 'x' }, true],
    ["a = 'x'", { a: 'X' }, false],
    ["a <> 'x'", { a: 'y' }, true],
    ["a <> 'x'", { a: 'x' }, false],
    ["'x' = a", { a: 'x' }, true],
    ["a = 'it''s'", { a: "it's" }, true],
    ["a = ''''", { a: "'" }, true],
    ["a = ''", { a: '' }, true],
    ["a = 'héllo ☃'", { a: 'héllo ☃' }, true],
    ["TAGS = 'TagA'", { TAGS: 'TagA' }, true],
    ["TAGS = 'TagA'", { TAGS: 'TagB' }, false],
    ["TAGS IN ('TagA', 'TagB') AND region = 'eu'", { TAGS: 'TagB', region: 'eu' }, true],
    // Property names are case-sensitive, keywords are not.
    ["A = 'x'", { a: 'x' }, null],
    ["a = 'x' and b = 'y'", { a: 'x', b: 'y' }, true],
    // A numeric literal against a non-numeric string: Java's conversion throws.
    ['a = 5', { a: 'five' }, 'error'],
  ]);
});

test('BETWEEN, NOT BETWEEN', () => {
  check([
    ['a BETWEEN 1 AND 10', { a: '1' }, true],
    ['a BETWEEN 1 AND 10', { a: '10' }, true],
    ['a BETWEEN 1 AND 10', { a: '11' }, false],
    ['a BETWEEN 1 AND 10', { a: '0' }, false],
    ['a BETWEEN 1.5 AND 2.5', { a: '2' }, true],
    ['a BETWEEN 5 AND 5', { a: '5' }, true],
    ['a NOT BETWEEN 1 AND 10', { a: '11' }, true],
    ['a NOT BETWEEN 1 AND 10', { a: '5' }, false],
    ['a BETWEEN 1 AND 10', {}, null],
    ['a NOT BETWEEN 1 AND 10', {}, null],
    ['a BETWEEN b AND c', { a: '5', b: '1', c: '9' }, true],
    ['a BETWEEN 1 AND 10 AND b = 1', { a: '5', b: '1' }, true], // the first AND belongs to BETWEEN
  ]);
});

test('IN and NOT IN over string lists', () => {
  check([
    ["a IN ('x')", { a: 'x' }, true],
    ["a IN ('x', 'y', 'z')", { a: 'z' }, true],
    ["a IN ('x', 'y', 'z')", { a: 'w' }, false],
    ["a IN ('1', '2', '3', '4', '5', '6')", { a: '6' }, true],
    ["a NOT IN ('x', 'y')", { a: 'w' }, true],
    ["a NOT IN ('x', 'y')", { a: 'x' }, false],
    ["a IN ('x')", {}, null],
    ["a NOT IN ('x')", {}, null],
    ["a IN ('1')", { a: '1.0' }, false], // plain string membership
  ]);
});

test('IS NULL, IS NOT NULL and missing properties', () => {
  check([
    ['a IS NULL', {}, true],
    ['a IS NULL', { a: '' }, false],
    ['a IS NOT NULL', { a: '' }, true],
    ['a IS NOT NULL', {}, false],
    // Every comparison over a missing property is unknown, and unknown never matches, even negated.
    ['a > 5', {}, null],
    ['a = 5', {}, null],
    ["a = 'x'", {}, null],
    ["a <> 'x'", {}, null],
    ['NOT (a > 5)', {}, null],
    ['NOT (a = 5)', {}, null],
    // Java's equality asymmetry: a present value against a missing one is FALSE (so <> is TRUE), the reverse null.
    ['a = b', { a: 'x' }, false],
    ['a <> b', { a: 'x' }, true],
    ['a = b', { b: 'x' }, null],
    ['a = b', {}, true], // null = null
    ['5 = a', {}, false],
    ['a > 5 AND b IS NULL', { a: '6' }, true],
    ['a IS NULL OR a > 5', {}, true],
    // Inherited object members are not properties.
    ['constructor IS NULL', {}, true],
    ['toString IS NULL AND hasOwnProperty IS NULL', {}, true],
  ]);
});

test('AND / OR / NOT and three-valued logic', () => {
  check([
    ['TRUE', {}, true],
    ['FALSE', {}, false],
    ['NULL', {}, null],
    ['NOT TRUE', {}, false],
    ['NOT FALSE', {}, true],
    ['TRUE AND FALSE', {}, false],
    ['TRUE OR FALSE', {}, true],
    ['a > 1 AND TRUE', {}, null],
    ['a > 1 AND FALSE', {}, false],
    ['a > 1 OR TRUE', {}, true],
    ['a > 1 OR FALSE', {}, null],
    ['NOT (a > 1 OR b > 1)', { a: '0', b: '0' }, true],
    ['NOT NOT TRUE', {}, true],
    // A bare property is TRUE only for a Java Boolean, which a property (a string) never is.
    ['a', { a: 'true' }, false],
    ['a', {}, null],
    ['NOT a', { a: 'true' }, true],
    ['a = TRUE', { a: 'true' }, true], // the string is converted with Boolean.valueOf
    ['a = TRUE', { a: 'TRUE' }, true],
    ['a = FALSE', { a: 'yes' }, true],
    ['(a > 1) = TRUE', { a: '2' }, true],
    ['(a > 1) = (b > 1)', { a: '0', b: '0' }, true],
    ['5 = TRUE', {}, false], // unrelated classes
    ['TRUE = a', { a: 'true' }, 'error'], // Java casts the Boolean to String and throws
  ]);
});

test('precedence: NOT binds tighter than AND, which binds tighter than OR; parentheses override', () => {
  const rows: Row[] = [];
  // a OR b AND c == a OR (b AND c)
  rows.push(['TRUE OR FALSE AND FALSE', {}, true]);
  rows.push(['(TRUE OR FALSE) AND FALSE', {}, false]);
  // NOT a AND b == (NOT a) AND b
  rows.push(['NOT FALSE AND FALSE', {}, false]);
  rows.push(['NOT (FALSE AND FALSE)', {}, true]);
  // NOT a OR b == (NOT a) OR b
  rows.push(['NOT TRUE OR TRUE', {}, true]);
  rows.push(['NOT (TRUE OR TRUE)', {}, false]);
  rows.push(["x = 1 OR y = 2 AND z = 3", { x: '1', y: '0', z: '0' }, true]);
  rows.push(["(x = 1 OR y = 2) AND z = 3", { x: '1', y: '0', z: '0' }, false]);
  check(rows);
});

test("an evaluation error sinks the whole selector unless AND/OR short-circuits before it (Java's order)", () => {
  check([
    ["a > 5 OR b = 'x'", { a: 'abc', b: 'x' }, 'error'],
    ["b = 'x' OR a > 5", { a: 'abc', b: 'x' }, true],
    ["b = 'y' AND a > 5", { a: 'abc', b: 'x' }, false],
    ["a > 5 AND b = 'y'", { a: 'abc', b: 'x' }, 'error'],
    ['NOT (a > 5)', { a: 'abc' }, 'error'],
    ['a > 5 IS NULL', { a: 'abc' }, 'error'],
    ['a IS NULL OR a > 5', { a: 'abc' }, 'error'],
  ]);
});

test('CONTAINS, STARTSWITH, ENDSWITH and their NOT forms (missing → false, not null)', () => {
  check([
    ["a CONTAINS 'ell'", { a: 'hello' }, true],
    ["a CONTAINS 'xyz'", { a: 'hello' }, false],
    ["a NOT CONTAINS 'xyz'", { a: 'hello' }, true],
    ["a NOT CONTAINS 'ell'", { a: 'hello' }, false],
    ["a STARTSWITH 'he'", { a: 'hello' }, true],
    ["a STARTSWITH 'lo'", { a: 'hello' }, false],
    ["a NOT STARTSWITH 'lo'", { a: 'hello' }, true],
    ["a ENDSWITH 'lo'", { a: 'hello' }, true],
    ["a NOT ENDSWITH 'lo'", { a: 'hello' }, false],
    ["a CONTAINS 'x'", {}, false],
    ["a NOT CONTAINS 'x'", {}, false],
    ["NOT (a CONTAINS 'x')", {}, true],
    ["a CONTAINS ''", { a: 'hello' }, false],
    ["a NOT CONTAINS ''", { a: 'hello' }, false],
    ["a startswith 'h' and a endswith 'o'", { a: 'hello' }, true],
    ["'hello' CONTAINS 'ell'", {}, true],
  ]);
});

test('comments and whitespace are skipped', () => {
  check([
    ['/* block */ a > 1 /* another */', { a: '2' }, true],
    ['a > 1 -- trailing comment\n AND b = 2', { a: '2', b: '2' }, true],
    ['\ta\r\n>\f1', { a: '2' }, true],
  ]);
});

test('compileSql92Expression parses and compiles in one go', () => {
  const p = compileSql92Expression("region = 'eu' AND price BETWEEN 10 AND 20");
  assert.equal(p({ region: 'eu', price: '15' }), true);
  assert.equal(p({ region: 'us', price: '15' }), false);
  assert.equal(p({}), false);
});

const VALID_EXPRESSIONS = [
  'a > 5',
  'a >= -5.5 AND b < 9223372036854775807',
  "a = 'x' OR b <> 'y'",
  'a BETWEEN 1 AND 10',
  'a NOT BETWEEN b AND c',
  "a IN ('1', '2', 'x') OR a NOT IN ('y')",
  'a IS NULL OR b IS NOT NULL',
  'NOT (a > 1 AND b < 2) OR c = 3',
  'a = b',
  'a > b',
  'a = TRUE',
  'a',
  'NOT a',
  '(a > 1) = (b = 2)',
  "a CONTAINS 'x' OR b STARTSWITH 'y' OR c NOT ENDSWITH 'z'",
  '-a = 5',
  'a = -(b > 1)',
  "TRUE = a OR 'x' = b",
  'a > 2147483648 AND b < 1e300',
  'NULL OR a IS NULL',
];

test('property: evaluation never throws for arbitrary property maps', () => {
  const compiled = VALID_EXPRESSIONS.map((e) => ({ e, outcome: compileSql92Outcome(parseSql92(e)), predicate: compileSql92(parseSql92(e)) }));
  const value = fc.oneof(
    fc.string(),
    fc.integer().map(String),
    fc.double().map(String),
    fc.bigInt().map(String),
    fc.constantFrom('NaN', 'Infinity', '-0', 'true', 'TRUE', '', ' 1 ', '1e400', '0x1p3', '1.5f', '+', '-'),
  );
  const key = fc.constantFrom('a', 'b', 'c', 'TAGS', 'constructor', '__proto__', 'z');
  fc.assert(
    fc.property(fc.dictionary(key, value), (props) => {
      for (const { e, outcome, predicate } of compiled) {
        const o = outcome(props);
        assert.ok(o === true || o === false || o === null || o === 'error', `${e}: ${String(o)}`);
        assert.equal(predicate(props), o === true, e);
      }
    }),
    { numRuns: 500 },
  );
});

test('property: integer comparisons agree with BigInt arithmetic across the long range', () => {
  const long = fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n });
  fc.assert(
    fc.property(long, long, (x, y) => {
      const literal = y < 0n ? `-${-y}` : `${y}`;
      const props = { a: String(x) };
      const cmp = x < y ? -1 : x > y ? 1 : 0;
      const expectOrError = (ok: boolean): Sql92Outcome => {
        // An int-sized literal makes Java read the property with Integer.valueOf.
        const intLiteral = (y < 0n ? -y : y) <= 2147483647n;
        if (intLiteral && (x < -2147483648n || x > 2147483647n)) return 'error';
        return ok;
      };
      assert.equal(compileSql92Outcome(parseSql92(`a > ${literal}`))(props), expectOrError(cmp > 0));
      assert.equal(compileSql92Outcome(parseSql92(`a = ${literal}`))(props), expectOrError(cmp === 0));
      assert.equal(compileSql92Outcome(parseSql92(`a <= ${literal}`))(props), expectOrError(cmp <= 0));
    }),
    { numRuns: 300 },
  );
});
