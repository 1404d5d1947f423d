// SQL92 selector parsing: AST shape and precedence, and the errors (RocketMQError INVALID_ARGUMENT, responseCode 23
// SUBSCRIPTION_PARSE_FAILED) for what RocketMQ's parser rejects, each naming line, column and what was expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, isRocketMQError } from '../../../src/common/errors.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { Sql92ParseError } from '../../../src/broker/filter/sql92-error.ts';
import { parseSql92 } from '../../../src/broker/filter/sql92-parser.ts';
import type { Sql92Node } from '../../../src/broker/filter/sql92-parser.ts';

/** Compact S-expression of an AST, for readable assertions. */
function show(n: Sql92Node): string {
  switch (n.kind) {
    case 'literal': {
      const l = n.literal;
      if (l.type === 'null') return 'NULL';
      if (l.type === 'string') return `'${l.value}'`;
      return `${l.type}:${String(l.value)}`;
    }
    case 'property':
      return n.name;
    case 'negate':
      return `(- ${show(n.operand)})`;
    case 'booleanCast':
      return `(bool ${show(n.operand)})`;
    case 'not':
      return `(NOT ${show(n.operand)})`;
    case 'and':
    case 'or':
      return `(${n.kind.toUpperCase()} ${show(n.left)} ${show(n.right)})`;
    case 'compare':
      return `(${n.op} ${show(n.left)} ${show(n.right)})`;
    case 'isNull':
      return `(${n.negated ? 'NOTNULL' : 'ISNULL'} ${show(n.operand)})`;
    case 'between':
      return `(${n.negated ? 'NOTBETWEEN' : 'BETWEEN'} ${show(n.value)} ${show(n.low)} ${show(n.high)})`;
    case 'in':
      return `(${n.negated ? 'NOTIN' : 'IN'} ${n.property} ${n.values.map((v) => `'${v}'`).join(' ')})`;
    case 'stringMatch':
      return `(${n.negated ? 'NOT' : ''}${n.op} ${show(n.operand)} '${n.search}')`;
  }
}

test('AST shapes for every operator', () => {
  const cases: [string, string][] = [
    ['a > 1', '(> a int:1)'],
    ['a >= 1.5', '(>= a double:1.5)'],
    ['a < 2147483648', '(< a long:2147483648)'],
    ['a <= 7L', '(<= a int:7)'],
    ["a = 'x'", "(= a 'x')"],
    ["a <> 'x'", "(<> a 'x')"],
    ['a = -1', '(= a (- int:1))'],
    ['a = +1', '(= a int:1)'],
    ['a BETWEEN 1 AND 2', '(BETWEEN a int:1 int:2)'],
    ['a NOT BETWEEN 1 AND 2', '(NOTBETWEEN a int:1 int:2)'],
    ["a IN ('x', 'y')", "(IN a 'x' 'y')"],
    ["a NOT IN ('x')", "(NOTIN a 'x')"],
    ['a IS NULL', '(ISNULL a)'],
    ['a IS NOT NULL', '(NOTNULL a)'],
    ["a CONTAINS 'x'", "(CONTAINS a 'x')"],
    ["a NOT STARTSWITH 'x'", "(NOTSTARTSWITH a 'x')"],
    ["a ENDSWITH 'x'", "(ENDSWITH a 'x')"],
    ['TRUE', 'boolean:true'],
    ['false', 'boolean:false'],
    ['NULL', 'NULL'],
    ['a', '(bool a)'],
    ['NOT a', '(NOT (bool a))'],
    ['a AND b', '(AND (bool a) (bool b))'],
    ["a = 'it''s'", "(= a 'it's')"],
    ['$x_1 = 1', '(= $x_1 int:1)'],
    ['_y = 1', '(= _y int:1)'],
    ['notes = 1', '(= notes int:1)'], // an identifier that starts with a keyword
    ['a = 1e3', '(= a double:1000)'],
    ['a = .5', '(= a double:0.5)'],
    ['a = 5.', '(= a double:5)'],
    ['a = 9223372036854775807', '(= a long:9223372036854775807)'],
  ];
  for (const [text, expected] of cases) assert.equal(show(parseSql92(text)), expected, text);
});

test('precedence: OR < AND < comparison < unary (NOT, -), left-associative', () => {
  const cases: [string, string][] = [
    ['a OR b AND c', '(OR (bool a) (AND (bool b) (bool c)))'],
    ['a AND b OR c', '(OR (AND (bool a) (bool b)) (bool c))'],
    ['(a OR b) AND c', '(AND (OR (bool a) (bool b)) (bool c))'],
    ['NOT a AND b', '(AND (NOT (bool a)) (bool b))'],
    ['NOT a OR b', '(OR (NOT (bool a)) (bool b))'],
    ['NOT (a OR b)', '(NOT (OR (bool a) (bool b)))'],
    ['a OR b OR c', '(OR (OR (bool a) (bool b)) (bool c))'],
    ['a = 1 AND b > 2 OR c IS NULL', '(OR (AND (= a int:1) (> b int:2)) (ISNULL c))'],
    ['a > 1 = TRUE', '(= (> a int:1) boolean:true)'],
    ['a BETWEEN 1 AND 2 AND b = 3', '(AND (BETWEEN a int:1 int:2) (= b int:3))'],
    ['a = 1 IS NULL', '(ISNULL (= a int:1))'],
    ['- - a = 1', '(= (- (- a)) int:1)'],
    ['a or b and not c', '(OR (bool a) (AND (bool b) (NOT (bool c))))'],
  ];
  for (const [text, expected] of cases) assert.equal(show(parseSql92(text)), expected, text);
});

function parseError(text: string): Sql92ParseError {
  try {
    parseSql92(text);
  } catch (e) {
    assert.ok(e instanceof Sql92ParseError, `${text}: ${String(e)}`);
    assert.ok(isRocketMQError(e));
    assert.equal(e.code, ERROR_CODES.INVALID_ARGUMENT);
    assert.equal(e.responseCode, ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    assert.equal(e.responseCode, 23);
    assert.equal(e.expression, text);
    return e;
  }
  assert.fail(`${JSON.stringify(text)} parsed`);
}

test('syntax errors name the line, column and what was expected', () => {
  const cases: [text: string, column: number, fragment: RegExp][] = [
    ['', 1, /expected a property name.*found end of input/],
    ['a >', 4, /expected a property name, a literal.*found end of input/],
    ['a > 1 b', 7, /expected AND, OR, a comparison operator or end of input but found "b"/],
    ['(a > 1', 7, /expected "\)" but found end of input/],
    ['a > 1)', 6, /found "\)"/],
    ["a IN 'x'", 6, /expected "\(" but found "'x'"/],
    ['a IN (1)', 7, /expected a quoted string literal but found "1"/],
    ["a IN ('x',)", 11, /expected a quoted string literal but found "\)"/],
    ["a IN ('x' 'y')", 11, /expected "\)"/],
    ['a IS 1', 6, /expected NULL or NOT NULL but found "1"/],
    ['a IS NOT 1', 10, /expected NULL but found "1"/],
    ['a BETWEEN 1 OR 2', 13, /expected AND but found "OR"/],
    ["a CONTAINS b", 12, /expected a quoted string literal but found "b"/],
    ['a NOT b', 3, /found "NOT"/],
    ['a AND', 6, /found end of input/],
    ['a = = 1', 5, /found "="/],
    ['a != 1', 3, /unexpected character "!"/],
    ['a = "x"', 5, /unexpected character "\\""/],
    ['a = 1 ; b = 2', 7, /unexpected character ";"/],
    ['a.b = 1', 2, /unexpected character "\."/],
    ["a = 'unterminated", 5, /unterminated string literal/],
    ['a = 1 /* open', 7, /unterminated comment/],
    ['a = 007', 6, /found "0"/], // "0" is a literal on its own; the next "0" is unexpected
    ['a = 0L', 6, /found "L"/],
    ['a = 5.5L', 8, /found "L"/],
    ['a > 1 -- comment without a line end', 7, /found "-"/],
    ['a = ☃', 5, /unexpected character "☃"/],
  ];
  for (const [text, column, fragment] of cases) {
    const e = parseError(text);
    assert.equal(e.line, 1, text);
    assert.equal(e.column, column, `${text}: ${e.message}`);
    assert.equal(e.position, column - 1, text);
    assert.match(e.message, fragment, text);
    assert.match(e.message, new RegExp(`^Invalid MessageSelector at line 1, column ${column}: `), text);
  }
});

test('error positions count lines (LF, CRLF, CR)', () => {
  const lf = parseError('a = 1\nAND\n  b >');
  assert.deepEqual([lf.line, lf.column], [3, 6]);
  const crlf = parseError('a = 1\r\nAND b ?');
  assert.deepEqual([crlf.line, crlf.column], [2, 7]);
  const cr = parseError('a = 1\rAND b ?');
  assert.deepEqual([cr.line, cr.column], [2, 7]);
});

test("what Java's parser rejects while building the tree is rejected too", () => {
  const cases: [string, number, RegExp][] = [
    // Only booleans (or a bare property) can be a selector or an AND/OR/NOT operand.
    ['5', 1, /the number 5 does not give a boolean value/],
    ["'x'", 1, /string literal 'x' does not give a boolean value/],
    ['a AND 1', 7, /does not give a boolean value/],
    ['NOT 1.5', 5, /does not give a boolean value/],
    ['-a', 1, /negated value does not give a boolean value/],
    // Ordering needs numbers: no string, boolean or NULL literals, no boolean sub-expressions.
    ["a > 'x'", 5, /string literal 'x' cannot be compared with >/],
    ['a < TRUE', 5, /TRUE cannot be compared with </],
    ['a >= NULL', 6, /NULL cannot be compared with >=/],
    ['NOT a > 5', 1, /boolean expression cannot be compared with >/], // NOT binds tighter than >
    ['a > 1 > 2', 1, /boolean expression cannot be compared/],
    ["a BETWEEN 'a' AND 'b'", 11, /cannot be compared with BETWEEN/],
    ['a BETWEEN 5 AND 1', 11, /lower bound 5 is greater than the upper bound 1/],
    ['a BETWEEN 2.5 AND 2', 11, /lower bound/],
    ['a BETWEEN NULL AND 1', 11, /BETWEEN bounds cannot be NULL/],
    // Equality: NULL needs IS NULL; a TRUE/FALSE literal only equals a boolean literal.
    ['a = NULL', 5, /use IS NULL/],
    ['NULL <> a', 1, /use IS NULL/],
    ['TRUE = 5', 8, /TRUE cannot be compared with the number 5/],
    // IN needs a property on its left.
    ["'x' IN ('x')", 1, /IN needs a property/],
    ["1 NOT IN ('x')", 1, /NOT IN needs a property/],
    // Literal ranges: longs only, and no zero/underflowing/overflowing floating literals (Java's checks).
    ['a = 9223372036854775808', 5, /out of the range of a long/],
    ['a = -9223372036854775808', 6, /out of the range of a long/],
    ['a > 0.0', 5, /less than 4\.9E-324/],
    ['a > 1e-400', 5, /less than/],
    ['a > 1e400', 5, /greater than/],
  ];
  for (const [text, column, fragment] of cases) {
    const e = parseError(text);
    assert.match(e.message, fragment, `${text}: ${e.message}`);
    assert.equal(e.column, column, `${text}: ${e.message}`);
  }
});

test('what Java accepts at parse time stays accepted', () => {
  for (const text of [
    '5 = TRUE', // checked only when the left literal is the boolean
    'TRUE = a',
    "a > -'x'", // a negation is not a literal, so the ordering check lets it through
    'a BETWEEN -5 AND -10', // bounds are checked only when both are plain literals
    'a IS NULL IS NULL',
    '5 IS NULL',
    'NULL AND TRUE',
    "a = 'x' -- comment\n",
    'A = 1 aNd B = 2 oR c iS nOt NuLl',
  ]) {
    assert.doesNotThrow(() => parseSql92(text), text);
  }
});
