import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RocketMQError } from '../../../../src/common/errors.ts';
import { parseLenientJson } from '../../../../src/common/lenient-json.ts';
import {
  compareMessageQueues, decodeMessageQueueMap, encodeMessageQueueMap, messageQueueFromJson, messageQueueToJson,
} from '../../../../src/remoting/protocol/body/message-queue.ts';
import { toNumber } from '../../../../src/remoting/protocol/body/json-fields.ts';

const a0 = { topic: 'T', brokerName: 'broker-a', queueId: 0 };
const a1 = { topic: 'T', brokerName: 'broker-a', queueId: 1 };
const b0 = { topic: 'T', brokerName: 'broker-b', queueId: 0 };

test('MessageQueue JSON: fastjson field order brokerName, queueId, topic', () => {
  assert.equal(JSON.stringify(messageQueueToJson(a1)), '{"brokerName":"broker-a","queueId":1,"topic":"T"}');
  assert.deepEqual(messageQueueFromJson({ brokerName: 'x', queueId: '3', topic: 'y' }), { topic: 'y', brokerName: 'x', queueId: 3 });
  assert.throws(() => messageQueueFromJson({ queueId: 1, topic: 'y' }), RocketMQError);
  assert.ok(compareMessageQueues(a0, a1) < 0 && compareMessageQueues(b0, a1) > 0 && compareMessageQueues(a0, { ...a0 }) === 0);
});

test('encodeMessageQueueMap writes the object-as-key form, sorted by queue', () => {
  const text = encodeMessageQueueMap([[b0, 7], [a1, 6], [a0, 5]], (n) => n);
  assert.equal(
    text,
    '{{"brokerName":"broker-a","queueId":0,"topic":"T"}:5,{"brokerName":"broker-a","queueId":1,"topic":"T"}:6,{"brokerName":"broker-b","queueId":0,"topic":"T"}:7}',
  );
  assert.throws(() => JSON.parse(text)); // not standard JSON: that is the point
  assert.equal(encodeMessageQueueMap([], (n: number) => n), '{}');
});

test('decodeMessageQueueMap reads fastjson bare object keys, quoted keys, other field orders and whitespace', () => {
  const fastjson = '{{"brokerName":"broker-b","queueId":0,"topic":"T"}:7,{"brokerName":"broker-a","queueId":1,"topic":"T"}:6}';
  const entries = decodeMessageQueueMap(parseLenientJson(fastjson), 'm', (v, w) => toNumber(v, w));
  assert.deepEqual(entries, [[a1, 6], [b0, 7]]);
  // Other writers: key fields in another order, spaces, and a quoted key holding the JSON text.
  const other = '{ { "topic" : "T", "queueId" : 0, "brokerName" : "broker-a" } : 5, "{\\"brokerName\\":\\"broker-b\\",\\"queueId\\":0,\\"topic\\":\\"T\\"}": 7 }';
  assert.deepEqual(decodeMessageQueueMap(parseLenientJson(other), 'm', (v, w) => toNumber(v, w)), [[a0, 5], [b0, 7]]);
  assert.deepEqual(decodeMessageQueueMap(undefined, 'm', (v) => v), []);
  assert.deepEqual(decodeMessageQueueMap(null, 'm', (v) => v), []);
});

test('decodeMessageQueueMap rejects keys that are not queues', () => {
  assert.throws(() => decodeMessageQueueMap({ plain: 1 }, 'ResetOffsetBody.offsetTable', (v) => v), /ResetOffsetBody.offsetTable: key is not a MessageQueue object: plain/);
  assert.throws(() => decodeMessageQueueMap(parseLenientJson('{{"queueId":0}:1}'), 'm', (v) => v), /topic/);
  assert.throws(() => decodeMessageQueueMap([1], 'm', (v) => v), RocketMQError);
});
