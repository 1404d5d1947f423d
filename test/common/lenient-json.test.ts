import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLenientJson } from '../../src/common/lenient-json.ts';
import { isRocketMQError } from '../../src/common/errors.ts';

test('standard JSON parses exactly like JSON.parse', () => {
  const text = '{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"x\\"y\\u00e9\\n"},"d":""}';
  assert.deepEqual(parseLenientJson(text), JSON.parse(text));
  assert.deepEqual(parseLenientJson(Buffer.from(text)), JSON.parse(text));
});

test('bare integer keys written by fastjson become string keys', () => {
  const text = '{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},"brokerName":"b"}';
  assert.throws(() => JSON.parse(text)); // the reason this parser exists
  assert.deepEqual(parseLenientJson(text), { brokerAddrs: { 0: '10.0.0.1:10911', 1: '10.0.0.2:10911' }, brokerName: 'b' });
});

test('negative and large integer keys keep their text', () => {
  assert.deepEqual(parseLenientJson('{-1:"a", 9007199254740993:"b"}'), { '-1': 'a', '9007199254740993': 'b' });
});

test('object keys (Map<MessageQueue,…>) become their compact JSON text', () => {
  const text = '{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:{"maxOffset":5}, {"brokerName":"b","queueId":1,"topic":"t"}:{"maxOffset":7}}}';
  const v = parseLenientJson(text) as { offsetTable: Record<string, { maxOffset: number }> };
  assert.deepEqual(Object.keys(v.offsetTable), ['{"brokerName":"b","queueId":0,"topic":"t"}', '{"brokerName":"b","queueId":1,"topic":"t"}']);
  assert.equal(v.offsetTable['{"brokerName":"b","queueId":1,"topic":"t"}'].maxOffset, 7);
});

test('bare identifier keys and whitespace are accepted', () => {
  assert.deepEqual(parseLenientJson(' {\n\tfoo : 1 ,\r\n bar_2:[ ] } '), { foo: 1, bar_2: [] });
});

test('escaped strings in the lenient path are decoded', () => {
  assert.deepEqual(parseLenientJson('{0:"a\\"b\\\\c\\u0041"}'), { 0: 'a"b\\cA' });
});

test('__proto__ keys are data, not a prototype change', () => {
  const v = parseLenientJson('{0:1,"__proto__":{"polluted":true}}') as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.deepEqual(v.__proto__, { polluted: true });
});

test('malformed input is a PROTOCOL error naming the offset', () => {
  for (const [text, offset] of [['{0:"a",}', 7], ['{0:"a"', 6], ['{0 "a"}', 3], ['[1,2', 4], ['{0:tru}', 3], ['{"a":1} x', 8]] as const) {
    assert.throws(() => parseLenientJson(text), (e: unknown) => {
      assert.ok(isRocketMQError(e));
      assert.equal(e.code, 'ERR_ROCKETMQ_PROTOCOL');
      assert.match(e.message, new RegExp(`offset ${offset}\\b`), `${text}: ${e.message}`);
      return true;
    });
  }
});
