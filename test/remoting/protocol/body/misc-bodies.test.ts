// DataVersion, ClusterInfo, TopicList, KVTable, TopicConfigSerializeWrapper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dataVersionEquals, newDataVersion, nextDataVersion, parseDataVersion, serializeDataVersion,
} from '../../../../src/remoting/protocol/body/data-version.ts';
import { parseClusterInfo, serializeClusterInfo } from '../../../../src/remoting/protocol/body/cluster-info.ts';
import { parseTopicList, serializeTopicList } from '../../../../src/remoting/protocol/body/topic-list.ts';
import { parseKVTable, serializeKVTable } from '../../../../src/remoting/protocol/body/kv-table.ts';
import {
  parseTopicConfigSerializeWrapper, serializeTopicConfigSerializeWrapper,
} from '../../../../src/remoting/protocol/body/topic-config-serialize-wrapper.ts';
import { newTopicConfig } from '../../../../src/remoting/protocol/body/topic-config.ts';

test('DataVersion: Java JSON, equality on all three fields, nextVersion', () => {
  const dv = { stateVersion: 0, timestamp: 1700000000000, counter: 5 };
  assert.equal(serializeDataVersion(dv).toString(), '{"counter":5,"stateVersion":0,"timestamp":1700000000000}');
  assert.deepEqual(parseDataVersion(serializeDataVersion(dv)), dv);
  assert.ok(dataVersionEquals(dv, { ...dv }));
  assert.ok(!dataVersionEquals(dv, { ...dv, timestamp: 1 }));
  assert.ok(!dataVersionEquals(dv, { ...dv, stateVersion: 1 }));
  assert.ok(!dataVersionEquals(dv, undefined));
  assert.deepEqual(nextDataVersion(dv, 42), { stateVersion: 0, timestamp: 42, counter: 6 });
  assert.deepEqual(newDataVersion(9), { stateVersion: 0, timestamp: 9, counter: 0 });
  assert.throws(() => parseDataVersion(undefined), /DataVersion: empty body/);
});

test('ClusterInfo: parses Java bare-key form, writes quoted keys', () => {
  const java = '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"C1","enableActingMaster":false}},"clusterAddrTable":{"C1":["broker-a"]}}';
  const ci = parseClusterInfo(java);
  assert.deepEqual(ci.brokerAddrTable['broker-a'].brokerAddrs, { 0: '10.0.0.1:10911', 1: '10.0.0.2:10911' });
  assert.deepEqual(ci.clusterAddrTable, { C1: ['broker-a'] });
  const out = serializeClusterInfo(ci).toString();
  assert.equal(out, java.replace('{0:', '{"0":').replace(',1:', ',"1":'));
  assert.deepEqual(parseClusterInfo(JSON.parse(out) === null ? '' : out), ci);
});

test('TopicList and KVTable', () => {
  assert.equal(serializeTopicList({ topicList: ['a', 'b'] }).toString(), '{"topicList":["a","b"]}');
  assert.equal(serializeTopicList({ topicList: [], brokerAddr: '1.2.3.4:10911' }).toString(), '{"brokerAddr":"1.2.3.4:10911","topicList":[]}');
  assert.deepEqual(parseTopicList('{"brokerAddr":"x","topicList":["t"]}'), { brokerAddr: 'x', topicList: ['t'] });
  assert.equal(serializeKVTable({ table: { b: '2', a: '1' } }).toString(), '{"table":{"a":"1","b":"2"}}');
  assert.deepEqual(parseKVTable('{"table":{"k":"v","n":3}}'), { table: { k: 'v', n: '3' } });
});

test('TopicConfigSerializeWrapper: topics.json shape round-trips; topicName defaults to the map key', () => {
  const w = { dataVersion: { stateVersion: 0, timestamp: 5, counter: 2 }, topicConfigTable: { t1: newTopicConfig('t1', { perm: 7 }) } };
  const text = serializeTopicConfigSerializeWrapper(w).toString();
  assert.match(text, /^\{"dataVersion":\{"counter":2,"stateVersion":0,"timestamp":5\},"topicConfigTable":\{"t1":\{"attributes":\{\},/);
  assert.deepEqual(parseTopicConfigSerializeWrapper(text), w);
  const pretty = '{\n\t"dataVersion":{\n\t\t"counter":1,\n\t\t"timestamp":3\n\t},\n\t"topicConfigTable":{\n\t\t"x":{\n\t\t\t"perm":6\n\t\t}\n\t}\n}';
  assert.equal(parseTopicConfigSerializeWrapper(pretty).topicConfigTable.x.topicName, 'x');
});
