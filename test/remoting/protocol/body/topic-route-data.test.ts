import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseTopicRouteData, selectBrokerAddr, serializeTopicRouteData,
} from '../../../../src/remoting/protocol/body/topic-route-data.ts';
import type { TopicRouteData } from '../../../../src/remoting/protocol/body/topic-route-data.ts';

/**
 * What rocketmq-client-go does with `brokerAddrs` (PROTOCOL.md §4.1, go:internal/route.go): take the raw text of the
 * object, strip the braces, split on ',', split each piece at the first ':', drop every '"', parse the key as int64.
 */
function goSplitBrokerAddrs(rawObjectText: string): Map<number, string> {
  const out = new Map<number, string>();
  const inner = rawObjectText.slice(1, -1);
  if (inner === '') return out;
  for (const piece of inner.split(',')) {
    const i = piece.indexOf(':');
    const key = piece.slice(0, i).replaceAll('"', '');
    const value = piece.slice(i + 1).replaceAll('"', '');
    if (!/^-?\d+$/.test(key)) throw new Error(`go client would fail to parse key '${key}'`);
    out.set(Number(key), value);
  }
  return out;
}

/** Raw text of every `"brokerAddrs":{…}` object in a body (what gjson hands the Go client). */
function rawBrokerAddrs(body: string): string[] {
  return [...body.matchAll(/"brokerAddrs":(\{[^}]*\})/g)].map((m) => m[1]);
}

const route: TopicRouteData = {
  queueDatas: [
    { brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 },
    { brokerName: 'broker-b', readQueueNums: 8, writeQueueNums: 2, perm: 4, topicSysFlag: 1 },
  ],
  brokerDatas: [
    { cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: { 1: '10.0.0.2:10911', 0: '10.0.0.1:10911' }, enableActingMaster: false },
    { cluster: 'DefaultCluster', brokerName: 'broker-b', brokerAddrs: { 0: '10.0.0.3:10911' }, enableActingMaster: true, zoneName: 'z1' },
  ],
  filterServerTable: {},
};

test('route JSON is compact, quoted brokerId keys, Java field names in fastjson order', () => {
  const text = serializeTopicRouteData(route).toString('utf8');
  assert.equal(
    text,
    '{"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911","1":"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false},' +
      '{"brokerAddrs":{"0":"10.0.0.3:10911"},"brokerName":"broker-b","cluster":"DefaultCluster","enableActingMaster":true,"zoneName":"z1"}],' +
      '"filterServerTable":{},' +
      '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4},' +
      '{"brokerName":"broker-b","perm":4,"readQueueNums":8,"topicSysFlag":1,"writeQueueNums":2}]}',
  );
  assert.doesNotMatch(text, /\s/);
});

test('a strict JSON parser reads the route body, and brokerAddrs key "0" is the master', () => {
  const v = JSON.parse(serializeTopicRouteData(route).toString('utf8')) as { brokerDatas: Array<{ brokerAddrs: Record<string, string> }> };
  assert.equal(v.brokerDatas[0].brokerAddrs['0'], '10.0.0.1:10911');
  assert.equal(v.brokerDatas[1].brokerAddrs['0'], '10.0.0.3:10911');
});

test('the Go client string-splitter recovers every broker address', () => {
  const raws = rawBrokerAddrs(serializeTopicRouteData(route).toString('utf8'));
  assert.equal(raws.length, 2);
  assert.deepEqual([...goSplitBrokerAddrs(raws[0])], [[0, '10.0.0.1:10911'], [1, '10.0.0.2:10911']]);
  assert.deepEqual([...goSplitBrokerAddrs(raws[1])], [[0, '10.0.0.3:10911']]);
  // The splitter really is whitespace-sensitive: pretty-printed JSON would corrupt the address.
  const pretty = JSON.stringify(JSON.parse(serializeTopicRouteData(route).toString('utf8')), null, 1);
  const prettyRaw = /"brokerAddrs": (\{[^}]*\})/.exec(pretty)?.[1] ?? '';
  assert.ok(prettyRaw.length > 0);
  assert.throws(() => goSplitBrokerAddrs(prettyRaw), /go client would fail to parse key/);
});

test('parses the legacy fastjson form with bare integer keys (Java namesrv → old clients)', () => {
  const legacy = '{"brokerDatas":[{"brokerAddrs":{0:"172.17.0.3:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}';
  const r = parseTopicRouteData(Buffer.from(legacy));
  assert.deepEqual(r.brokerDatas[0].brokerAddrs, { 0: '172.17.0.3:10911' });
  assert.equal(selectBrokerAddr(r.brokerDatas[0]), '172.17.0.3:10911');
  assert.equal(r.queueDatas[0].writeQueueNums, 4);
  assert.equal(r.orderTopicConf, undefined);
});

test('round trip keeps orderTopicConf and 4.x topicSynFlag is read as topicSysFlag', () => {
  const withConf: TopicRouteData = { ...route, orderTopicConf: 'broker-a:4;broker-b:8' };
  const back = parseTopicRouteData(serializeTopicRouteData(withConf));
  assert.equal(back.orderTopicConf, 'broker-a:4;broker-b:8');
  assert.deepEqual(back.brokerDatas[1], route.brokerDatas[1]);
  const old = parseTopicRouteData('{"queueDatas":[{"brokerName":"b","perm":6,"readQueueNums":1,"writeQueueNums":1,"topicSynFlag":2}],"brokerDatas":[]}');
  assert.equal(old.queueDatas[0].topicSysFlag, 2);
});

test('bad bodies name the field', () => {
  assert.throws(() => parseTopicRouteData(Buffer.alloc(0)), /TopicRouteData: empty body/);
  assert.throws(() => parseTopicRouteData('{"brokerDatas":[{"brokerName":"b","brokerAddrs":{"x":"a"}}]}'), /brokerAddrs key must be a brokerId, got 'x'/);
  assert.throws(() => parseTopicRouteData('{"queueDatas":[{"perm":6}]}'), /queueDatas\[0\]: field 'brokerName' must be a string/);
  assert.throws(() => parseTopicRouteData('{"queueDatas":{}}'), /field 'queueDatas' must be an array/);
});
