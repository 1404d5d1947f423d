import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortedKeys, optStringMap } from '../../../../src/remoting/protocol/body/json-fields.ts';

test('a key named __proto__ (a valid topic name) survives sorting and string maps as plain data', () => {
  const src = JSON.parse('{"zeta":1,"__proto__":2,"alpha":3}') as Record<string, number>;
  const sorted = sortedKeys(src);
  assert.deepEqual(Object.keys(sorted), ['__proto__', 'alpha', 'zeta']);
  assert.equal(JSON.stringify(sorted), '{"__proto__":2,"alpha":3,"zeta":1}');
  assert.equal(Object.getPrototypeOf(sorted), Object.prototype);

  const m = optStringMap(JSON.parse('{"t":{"__proto__":"v","k":"w"}}') as Record<string, unknown> as never, 't', 'X');
  assert.deepEqual(Object.keys(m), ['__proto__', 'k']);
  assert.equal(JSON.stringify(m), '{"__proto__":"v","k":"w"}');
});
