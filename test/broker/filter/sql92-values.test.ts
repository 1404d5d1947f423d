// Java's String → number conversions and compareTo across Integer/Long/Double/String/Boolean, as the SQL92
// evaluator uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  EVAL_ERROR,
  NumClass,
  compareDouble,
  javaCompare,
  javaEquals,
  negateJavaNumber,
  parseJavaBoolean,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
} from '../../../src/broker/filter/sql92-values.ts';

test('Integer.valueOf / Long.valueOf: signed ASCII digits within range, nothing else', () => {
  assert.equal(parseJavaInt('42'), 42);
  assert.equal(parseJavaInt('+42'), 42);
  assert.equal(parseJavaInt('-42'), -42);
  assert.ok(Object.is(parseJavaInt('-0'), 0));
  assert.equal(parseJavaInt('0000000000000000000042'), 42);
  assert.equal(parseJavaInt('2147483647'), 2147483647);
  assert.equal(parseJavaInt('-2147483648'), -2147483648);
  for (const bad of ['2147483648', '-2147483649', '', '+', '-', ' 1', '1 ', '1.0', '1e3', '0x10', 'abc', '1_000']) {
    assert.equal(parseJavaInt(bad), undefined, bad);
  }
  assert.equal(parseJavaLong('9223372036854775807'), 9223372036854775807n);
  assert.equal(parseJavaLong('-9223372036854775808'), -9223372036854775808n);
  assert.equal(parseJavaLong('9007199254740991'), 9007199254740991, 'safe integers stay numbers');
  assert.equal(parseJavaLong('9223372036854775808'), undefined);
  assert.equal(parseJavaLong('1.5'), undefined);
});

test('Double.valueOf: trims control/space chars, NaN, Infinity, suffixes; no hex', () => {
  assert.equal(parseJavaDouble('1.5'), 1.5);
  assert.equal(parseJavaDouble('  1.5\t'), 1.5);
  assert.equal(parseJavaDouble('\u00011.5'), 1.5); // Java trims every char <= U+0020
  assert.equal(parseJavaDouble('\u00a01.5'), undefined); // but not a no-break space
  assert.equal(parseJavaDouble('1.'), 1);
  assert.equal(parseJavaDouble('.5'), 0.5);
  assert.equal(parseJavaDouble('-1e3'), -1000);
  assert.equal(parseJavaDouble('1.5f'), 1.5);
  assert.equal(parseJavaDouble('2D'), 2);
  assert.ok(Number.isNaN(parseJavaDouble('NaN')));
  assert.ok(Number.isNaN(parseJavaDouble('-NaN')));
  assert.equal(parseJavaDouble('-Infinity'), -Infinity);
  assert.equal(parseJavaDouble('1e400'), Infinity);
  for (const bad of ['', ' ', 'abc', '1.2.3', 'e5', '.', 'Infinityf', 'nan', 'infinity', '0x1p3', '1,5', '--1']) {
    assert.equal(parseJavaDouble(bad), undefined, bad);
  }
});

test('Boolean.valueOf: "true" in any case', () => {
  assert.equal(parseJavaBoolean('true'), true);
  assert.equal(parseJavaBoolean('TrUe'), true);
  assert.equal(parseJavaBoolean('yes'), false);
  assert.equal(parseJavaBoolean(' true'), false);
});

test('Double.compare: -0.0 < 0.0, NaN equal to itself and above everything', () => {
  assert.equal(compareDouble(-0, 0), -1);
  assert.equal(compareDouble(0, -0), 1);
  assert.equal(compareDouble(NaN, NaN), 0);
  assert.equal(compareDouble(NaN, Infinity), 1);
  assert.equal(compareDouble(-Infinity, NaN), -1);
  assert.equal(compareDouble(1, 2), -1);
});

test('compareTo across classes, with string conversion to the numeric side', () => {
  const int = (v: number) => ({ cls: NumClass.INT, v });
  const long = (v: number | bigint) => ({ cls: NumClass.LONG, v });
  const dbl = (v: number) => ({ cls: NumClass.DOUBLE, v });
  assert.equal(javaCompare('10', int(9)), 1);
  assert.equal(javaCompare(int(9), '10'), -1);
  assert.equal(javaCompare('10.5', int(9)), EVAL_ERROR);
  assert.equal(javaCompare('10.5', dbl(9)), 1);
  assert.equal(javaCompare(long(9223372036854775807n), '9223372036854775807'), 0);
  assert.equal(javaCompare(int(1), long(2)), -1);
  assert.equal(javaCompare(long(2), dbl(1.5)), 1);
  assert.equal(javaCompare(int(1), true), -1);
  assert.equal(javaCompare(true, int(1)), -1);
  assert.equal(javaCompare(true, 'true'), EVAL_ERROR);
  assert.equal(javaCompare('TRUE', true), 0);
  assert.equal(javaCompare(false, true), -1);
  assert.equal(javaCompare('a', 'b'), -1);
  assert.equal(javaEquals(dbl(NaN), dbl(NaN)), true);
  assert.equal(javaEquals(dbl(0), dbl(-0)), false);
  assert.equal(javaEquals(int(1), long(1)), false, 'different classes are never equals()');
  assert.equal(javaEquals('x', 'x'), true);
});

test('negation wraps like Java int/long arithmetic', () => {
  assert.deepEqual(negateJavaNumber({ cls: NumClass.INT, v: -2147483648 }), { cls: NumClass.INT, v: -2147483648 });
  assert.deepEqual(negateJavaNumber({ cls: NumClass.LONG, v: 2147483648 }), { cls: NumClass.LONG, v: -2147483648 });
  assert.deepEqual(negateJavaNumber({ cls: NumClass.LONG, v: 9223372036854775807n }), { cls: NumClass.LONG, v: -9223372036854775807n });
  assert.deepEqual(negateJavaNumber({ cls: NumClass.DOUBLE, v: 1.5 }), { cls: NumClass.DOUBLE, v: -1.5 });
});

test('property: parseJavaLong agrees with BigInt over the long range and rejects outside it', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), (x) => {
      const got = parseJavaLong(String(x));
      const inRange = x >= -(2n ** 63n) && x < 2n ** 63n;
      if (!inRange) return assert.equal(got, undefined);
      assert.notEqual(got, undefined);
      assert.equal(BigInt(got ?? 0), x);
    }),
    { numRuns: 500 },
  );
});
