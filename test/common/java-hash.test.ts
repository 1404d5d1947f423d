import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaStringHashCode } from '../../src/common/java-hash.ts';

test('javaStringHashCode matches Java String.hashCode', () => {
  assert.equal(javaStringHashCode(''), 0);
  assert.equal(javaStringHashCode('a'), 97);
  assert.equal(javaStringHashCode('TagA'), 2598919);
  assert.equal(javaStringHashCode('Hello World'), -862545276);
  assert.equal(javaStringHashCode('TopicTest#KEY1'), -1656969516);
  // the classic string whose hash is Integer.MIN_VALUE (Math.abs keeps it negative)
  assert.equal(javaStringHashCode('polygenelubricants'), -2147483648);
});

test('javaStringHashCode works on UTF-16 code units (non-ASCII, surrogate pairs)', () => {
  assert.equal(javaStringHashCode('中文'), 646394);
  // U+1F600 is the surrogate pair D83D DE00
  assert.equal(javaStringHashCode('😀'), 0xd83d * 31 + 0xde00);
  assert.equal(javaStringHashCode('😀'), 1772899);
});

test('javaStringHashCode always returns an int32', () => {
  const h = javaStringHashCode('x'.repeat(1000));
  assert.equal(h, h | 0);
});
