import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, inflateSync } from 'node:zlib';
import { parseRegisterBrokerBody, serializeRegisterBrokerBody } from '../../../../src/remoting/protocol/body/register-broker-body.ts';
import type { RegisterBrokerBody } from '../../../../src/remoting/protocol/body/register-broker-body.ts';
import { newTopicConfig } from '../../../../src/remoting/protocol/body/topic-config.ts';
import { MQVersion } from '../../../../src/remoting/protocol/version.ts';

const body: RegisterBrokerBody = {
  topicConfigSerializeWrapper: {
    dataVersion: { stateVersion: 0, timestamp: 1700000000123, counter: 7 },
    topicConfigTable: {
      TopicA: newTopicConfig('TopicA', { readQueueNums: 4, writeQueueNums: 4 }),
      TBW102: newTopicConfig('TBW102', { readQueueNums: 8, writeQueueNums: 8, perm: 7, attributes: { '+queue.type': 'BatchCQ' } }),
    },
  },
  filterServerList: [],
};

test('plain body parses a Java broker registration (5.x, with mapping fields)', () => {
  const java = '{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":3,"stateVersion":0,"timestamp":1700000000000},' +
    '"mappingDataVersion":{"counter":0,"stateVersion":0,"timestamp":1700000000001},"topicConfigTable":{"TopicTest":{"attributes":{},"order":false,' +
    '"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":4}},' +
    '"topicQueueMappingDetailMap":{},"topicQueueMappingInfoMap":{}}}';
  const b = parseRegisterBrokerBody(Buffer.from(java));
  assert.deepEqual(b.topicConfigSerializeWrapper.dataVersion, { counter: 3, stateVersion: 0, timestamp: 1700000000000 });
  assert.deepEqual(b.topicConfigSerializeWrapper.topicConfigTable.TopicTest, newTopicConfig('TopicTest', { readQueueNums: 4, writeQueueNums: 4 }));
  assert.deepEqual(b.topicConfigSerializeWrapper.mappingDataVersion, { counter: 0, stateVersion: 0, timestamp: 1700000000001 });
  assert.deepEqual(b.filterServerList, []);
});

test('plain body round-trips and is strict JSON', () => {
  const buf = serializeRegisterBrokerBody(body);
  JSON.parse(buf.toString('utf8'));
  assert.deepEqual(parseRegisterBrokerBody(buf), body);
});

test('compressed body: zlib stream of length-prefixed parts, round trip keeps what the text form carries', () => {
  const buf = serializeRegisterBrokerBody(body, { compressed: true, brokerVersion: MQVersion.V5_3_3 });
  const raw = inflateSync(buf);
  const dvLen = raw.readInt32BE(0);
  assert.equal(raw.subarray(4, 4 + dvLen).toString(), '{"counter":7,"stateVersion":0,"timestamp":1700000000123}');
  assert.equal(raw.readInt32BE(4 + dvLen), 2);
  const firstLen = raw.readInt32BE(8 + dvLen);
  assert.equal(raw.subarray(12 + dvLen, 12 + dvLen + firstLen).toString(), 'TopicA 4 4 6 SINGLE_TAG');
  assert.deepEqual(parseRegisterBrokerBody(buf, { compressed: true, brokerVersion: MQVersion.V5_3_3 }), {
    ...body,
    topicConfigSerializeWrapper: { ...body.topicConfigSerializeWrapper, topicQueueMappingInfoMap: {} },
  });
});

test('compressed body from a 4.x broker has no mapping section', () => {
  const buf = serializeRegisterBrokerBody(body, { compressed: true, brokerVersion: MQVersion.V4_9_4 });
  const b = parseRegisterBrokerBody(buf, { compressed: true, brokerVersion: MQVersion.V4_9_4 });
  assert.equal(b.topicConfigSerializeWrapper.topicQueueMappingInfoMap, undefined);
  assert.equal(b.topicConfigSerializeWrapper.topicConfigTable.TBW102.perm, 7);
  assert.deepEqual(b.topicConfigSerializeWrapper.topicConfigTable.TBW102.attributes, { '+queue.type': 'BatchCQ' });
});

test('bad compressed bodies are reported, not crashed on', () => {
  assert.throws(() => parseRegisterBrokerBody(Buffer.from('not zlib'), { compressed: true }), /not a zlib stream/);
  const truncated = deflateSync(Buffer.from([0, 0, 0, 50, 0x7b]));
  assert.throws(() => parseRegisterBrokerBody(truncated, { compressed: true }), /truncated reading dataVersion/);
  assert.throws(() => parseRegisterBrokerBody(Buffer.from('{"topicConfigSerializeWrapper":{"topicConfigTable":{"t":{"perm":"x"}}}}')), /field 'perm' must be a number/);
});
