import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTopicRouteFor, routeEquals, toPublishInfo, toSubscribeQueues } from '../../../src/client/instance/topic-route.ts';
import type { TopicRouteData } from '../../../src/remoting/protocol/body/topic-route-data.ts';

const route: TopicRouteData = {
  queueDatas: [
    { brokerName: 'b', readQueueNums: 2, writeQueueNums: 1, perm: 6, topicSysFlag: 0 },
    { brokerName: 'a', readQueueNums: 3, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
    { brokerName: 'ro', readQueueNums: 2, writeQueueNums: 2, perm: 4, topicSysFlag: 0 },
    { brokerName: 'noMaster', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
  ],
  brokerDatas: [
    { cluster: 'c', brokerName: 'a', brokerAddrs: { '0': 'h:1' }, enableActingMaster: false },
    { cluster: 'c', brokerName: 'b', brokerAddrs: { '0': 'h:2', '1': 'h:3' }, enableActingMaster: false },
    { cluster: 'c', brokerName: 'ro', brokerAddrs: { '0': 'h:4' }, enableActingMaster: false },
    { cluster: 'c', brokerName: 'noMaster', brokerAddrs: { '1': 'h:5' }, enableActingMaster: false },
  ],
  filterServerTable: {},
};

test('publish queues: writable brokers with a master, sorted by broker name, writeQueueNums each', () => {
  const info = toPublishInfo('T', route);
  assert.equal(info.orderTopic, false);
  assert.deepEqual(info.queues.map((q) => `${q.brokerName}/${q.queueId}`), ['a/0', 'a/1', 'b/0']);
});

test('orderTopicConf overrides the queue data', () => {
  const info = toPublishInfo('T', { ...route, orderTopicConf: 'b:2;a:1' });
  assert.equal(info.orderTopic, true);
  assert.deepEqual(info.queues.map((q) => `${q.brokerName}/${q.queueId}`), ['b/0', 'b/1', 'a/0']);
});

test('subscribe queues: readable brokers, readQueueNums each', () => {
  assert.equal(toSubscribeQueues('T', route).length, 2 + 3 + 2 + 2);
});

test('TBW102 template: min(defaultTopicQueueNums, readQueueNums) queues', () => {
  const r = defaultTopicRouteFor(route, 2);
  assert.deepEqual(r.queueDatas.map((q) => [q.readQueueNums, q.writeQueueNums]), [[2, 2], [2, 2], [2, 2], [2, 2]]);
  assert.ok(!routeEquals(r, route));
  assert.ok(routeEquals(route, { ...route, queueDatas: [...route.queueDatas].reverse() }));
});
