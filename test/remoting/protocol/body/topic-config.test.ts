import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeTopicConfigText, encodeTopicConfigText, isReadable, isWriteable, newTopicConfig, topicConfigFromJson, topicConfigToJson,
} from '../../../../src/remoting/protocol/body/topic-config.ts';

test('defaults follow Java: 16/16 queues, perm 6, SINGLE_TAG', () => {
  assert.deepEqual(newTopicConfig('t'), {
    topicName: 't', readQueueNums: 16, writeQueueNums: 16, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, attributes: {},
  });
});

test('JSON form uses Java field names in sorted order and round-trips', () => {
  const tc = newTopicConfig('T1', { readQueueNums: 2, writeQueueNums: 3, order: true, attributes: { b: '2', a: '1' } });
  assert.equal(
    JSON.stringify(topicConfigToJson(tc)),
    '{"attributes":{"a":"1","b":"2"},"order":true,"perm":6,"readQueueNums":2,"topicFilterType":"SINGLE_TAG","topicName":"T1","topicSysFlag":0,"writeQueueNums":3}',
  );
  assert.deepEqual(topicConfigFromJson(topicConfigToJson(tc)), tc);
});

test('text form (compressed registration) round-trips name, queues, perm, filter type, attributes', () => {
  const tc = newTopicConfig('T2', { readQueueNums: 1, writeQueueNums: 2, perm: 7, topicFilterType: 'MULTI_TAG', attributes: { k: 'v' } });
  assert.equal(encodeTopicConfigText(tc), 'T2 1 2 7 MULTI_TAG {"k":"v"}');
  assert.deepEqual(decodeTopicConfigText(encodeTopicConfigText(tc)), tc);
  assert.throws(() => decodeTopicConfigText('T 1 2'), /at least 5/);
  assert.throws(() => decodeTopicConfigText('T 1 2 6 WEIRD'), /SINGLE_TAG or MULTI_TAG/);
});

test('perm helpers', () => {
  assert.ok(isWriteable(6) && isReadable(6));
  assert.ok(!isWriteable(4) && isReadable(4));
  assert.ok(isWriteable(2) && !isReadable(2));
});
