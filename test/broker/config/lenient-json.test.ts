import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLenientJson } from '../../../src/broker/config/lenient-json.ts';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';

test('standard JSON parses the same as JSON.parse', () => {
  const text = '{"a":[1,-2.5,3e2,true,false,null],"b":{"c":"x\\"y\\u0041"},"e":[]}';
  assert.deepEqual(parseLenientJson(text), JSON.parse(text));
});

test('fastjson bare numeric keys are accepted (consumerOffset.json, brokerAddrs)', () => {
  const v = parseLenientJson('{"offsetTable":{"TopicA@g1":{0:123,1:45,17:9007199254740991}},"brokerAddrs":{0:"10.0.0.1:10911"}}');
  assert.deepEqual(v, {
    offsetTable: { 'TopicA@g1': { 0: 123, 1: 45, 17: 9007199254740991 } },
    brokerAddrs: { 0: '10.0.0.1:10911' },
  });
});

test('pretty-printed input with tabs and newlines', () => {
  assert.deepEqual(parseLenientJson('{\n\t"a" : {\n\t\t1 : 2\n\t}\n}\n'), { a: { 1: 2 } });
});

test('a __proto__ key becomes an own property, not the prototype', () => {
  const v = parseLenientJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.deepEqual(Object.keys(v), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('malformed input throws RocketMQError INVALID_ARGUMENT with the offset', () => {
  for (const bad of ['', '{', '{"a":}', '{"a":1,}', '[1 2]', '{"a":1} x', '{"a":tru}', '"abc']) {
    assert.throws(
      () => parseLenientJson(bad),
      (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.INVALID_ARGUMENT && /offset \d+/.test(e.message),
      bad,
    );
  }
});
