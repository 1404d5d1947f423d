import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RouteInfoManager } from '../../src/namesrv/route-info-manager.ts';
import type { RegisterBrokerInput } from '../../src/namesrv/route-info-manager.ts';
import { newTopicConfig } from '../../src/remoting/protocol/body/topic-config.ts';
import type { TopicConfig } from '../../src/remoting/protocol/body/topic-config.ts';
import type { DataVersion } from '../../src/remoting/protocol/body/data-version.ts';
import { FakeChannel } from './namesrv-test-helpers.ts';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

function input(
  brokerName: string, brokerId: number, brokerAddr: string,
  topics: Record<string, Partial<Omit<TopicConfig, 'topicName'>>>, dv: DataVersion = { stateVersion: 0, timestamp: 1, counter: 1 },
  extra: Partial<RegisterBrokerInput> = {},
): RegisterBrokerInput {
  const table: Record<string, TopicConfig> = {};
  for (const [t, init] of Object.entries(topics)) table[t] = newTopicConfig(t, init);
  return {
    clusterName: 'C1', brokerAddr, brokerName, brokerId, haServerAddr: `${brokerAddr}-ha`, enableActingMaster: false,
    topicConfigWrapper: { dataVersion: dv, topicConfigTable: table }, filterServerList: [], ...extra,
  };
}

const TOPICS = { TopicA: { readQueueNums: 4, writeQueueNums: 4 }, TopicB: {} };

test('a master registration creates queue data, broker data and cluster membership', () => {
  const r = new RouteInfoManager();
  assert.deepEqual(r.registerBroker(input('broker-a', 0, '10.0.0.1:10911', TOPICS)), {});
  const route = r.pickupTopicRouteData('TopicA');
  assert.ok(route);
  assert.deepEqual(route.queueDatas, [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }]);
  assert.deepEqual(route.brokerDatas, [{ cluster: 'C1', brokerName: 'broker-a', brokerAddrs: { 0: '10.0.0.1:10911' }, enableActingMaster: false }]);
  assert.deepEqual(r.getAllClusterInfo().clusterAddrTable, { C1: ['broker-a'] });
  assert.equal(r.pickupTopicRouteData('Nope'), undefined);
  assert.equal(r.brokerCount, 1);
  assert.equal(r.topicCount, 2);
});

test('slave: no topic data taken from it, gets master and HA address back', () => {
  const r = new RouteInfoManager();
  r.registerBroker(input('broker-a', 0, '10.0.0.1:10911', TOPICS));
  const res = r.registerBroker(input('broker-a', 1, '10.0.0.2:10911', { ...TOPICS, SlaveOnly: {} }));
  assert.deepEqual(res, { masterAddr: '10.0.0.1:10911', haServerAddr: '10.0.0.1:10911-ha' });
  assert.equal(r.pickupTopicRouteData('SlaveOnly'), undefined);
  assert.deepEqual(r.pickupTopicRouteData('TopicA')?.brokerDatas[0].brokerAddrs, { 0: '10.0.0.1:10911', 1: '10.0.0.2:10911' });
});

test('a slave registering before its master gets no master address', () => {
  const r = new RouteInfoManager();
  assert.deepEqual(r.registerBroker(input('broker-a', 1, '10.0.0.2:10911', TOPICS)), {});
});

test('queue data is only re-read when the DataVersion changed (or the topic lacks this broker)', () => {
  const r = new RouteInfoManager();
  const dv1 = { stateVersion: 0, timestamp: 1, counter: 1 };
  r.registerBroker(input('broker-a', 0, 'a:1', { T: { writeQueueNums: 4, readQueueNums: 4 }, Other: {} }, dv1));
  r.wipeWritePermOfBroker('broker-a');
  // Same DataVersion: the wiped perm stays (Java keeps namesrv-side changes until the broker's data changes).
  r.registerBroker(input('broker-a', 0, 'a:1', { T: { writeQueueNums: 8, readQueueNums: 8 } }, dv1));
  assert.deepEqual(r.pickupTopicRouteData('T')?.queueDatas[0], { brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 4, topicSysFlag: 0 });
  // New DataVersion: re-read.
  r.registerBroker(input('broker-a', 0, 'a:1', { T: { writeQueueNums: 8, readQueueNums: 8 } }, { ...dv1, counter: 2 }));
  assert.deepEqual(r.pickupTopicRouteData('T')?.queueDatas[0], { brokerName: 'broker-a', readQueueNums: 8, writeQueueNums: 8, perm: 6, topicSysFlag: 0 });
  assert.equal(r.isBrokerTopicConfigChanged('C1', 'a:1', { ...dv1, counter: 2 }), false);
  assert.equal(r.isBrokerTopicConfigChanged('C1', 'a:1', dv1), true);
  assert.equal(r.isBrokerTopicConfigChanged('C1', 'unknown:1', dv1), true);
});

test('first registration with exactly one topic is refused (Java: single-topic registration needs a full one first)', () => {
  const r = new RouteInfoManager();
  assert.equal(r.registerBroker(input('broker-a', 0, 'a:1', { Only: {} })), null);
  assert.equal(r.pickupTopicRouteData('Only'), undefined);
  r.registerBroker(input('broker-a', 0, 'a:1', TOPICS));
  assert.deepEqual(r.registerBroker(input('broker-a', 0, 'a:1', { Only: {} }, { stateVersion: 0, timestamp: 1, counter: 9 })), {});
  assert.ok(r.pickupTopicRouteData('Only'));
});

test('a slave promoted to master re-registers with id 0 and its old id entry disappears', () => {
  const r = new RouteInfoManager();
  r.registerBroker(input('broker-a', 1, 'b:1', TOPICS));
  r.registerBroker(input('broker-a', 0, 'b:1', TOPICS));
  assert.deepEqual(r.getAllClusterInfo().brokerAddrTable['broker-a'].brokerAddrs, { 0: 'b:1' });
});

test('unregistering the last address of a broker removes it, its cluster entry and topics left without brokers', () => {
  const r = new RouteInfoManager();
  r.registerBroker(input('broker-a', 0, 'a:1', { Shared: {}, OnlyA: {} }));
  r.registerBroker(input('broker-b', 0, 'b:1', { Shared: {}, OnlyB: {} }));
  assert.equal(r.unregisterBroker({ clusterName: 'C1', brokerAddr: 'a:1', brokerName: 'broker-a', brokerId: 0 }), true);
  assert.equal(r.pickupTopicRouteData('OnlyA'), undefined);
  assert.deepEqual(r.pickupTopicRouteData('Shared')?.brokerDatas.map((b) => b.brokerName), ['broker-b']);
  assert.deepEqual(r.getAllClusterInfo().clusterAddrTable, { C1: ['broker-b'] });
  r.unregisterBroker({ clusterName: 'C1', brokerAddr: 'b:1', brokerName: 'broker-b', brokerId: 0 });
  assert.deepEqual(r.getAllClusterInfo(), { brokerAddrTable: {}, clusterAddrTable: {} });
  assert.equal(r.topicCount, 0);
  assert.equal(r.unregisterBroker({ clusterName: 'C1', brokerAddr: 'b:1', brokerName: 'broker-b', brokerId: 0 }), false);
});

test('expiry: silent > 120 s removed and its channel closed; heartbeats keep it; own timeout honoured', () => {
  const c = clock();
  const r = new RouteInfoManager({ now: c.now });
  const chA = new FakeChannel();
  const chB = new FakeChannel();
  r.registerBroker(input('broker-a', 0, 'a:1', TOPICS, undefined, { channel: chA }));
  r.registerBroker(input('broker-b', 0, 'b:1', { X: {}, Y: {} }, undefined, { channel: chB, heartbeatTimeoutMillis: 10_000 }));
  c.advance(10_001);
  assert.deepEqual(r.scanNotActiveBroker().map((b) => b.brokerName), ['broker-b']);
  assert.equal(chB.closed, true);
  assert.equal(r.pickupTopicRouteData('X'), undefined);
  c.advance(100_000);
  assert.equal(r.updateBrokerInfoUpdateTimestamp('C1', 'a:1'), true);
  c.advance(120_000);
  assert.deepEqual(r.scanNotActiveBroker(), []); // exactly 120 s: still alive (expiry is strictly after)
  c.advance(1);
  assert.deepEqual(r.scanNotActiveBroker().map((b) => b.brokerAddr), ['a:1']);
  assert.equal(chA.closed, true);
  assert.equal(r.pickupTopicRouteData('TopicA'), undefined);
  assert.equal(r.updateBrokerInfoUpdateTimestamp('C1', 'a:1'), false);
});

test('channel destroy removes every broker registered over that channel, and only those', () => {
  const r = new RouteInfoManager();
  const ch = new FakeChannel();
  const other = new FakeChannel();
  r.registerBroker(input('broker-a', 0, 'a:1', TOPICS, undefined, { channel: ch }));
  r.registerBroker(input('broker-a', 1, 'a:2', TOPICS, undefined, { channel: other }));
  assert.deepEqual(r.onChannelDestroy(ch.id), [{ clusterName: 'C1', brokerAddr: 'a:1', brokerName: 'broker-a', brokerId: 0 }]);
  assert.deepEqual(r.pickupTopicRouteData('TopicA')?.brokerDatas[0].brokerAddrs, { 1: 'a:2' });
  assert.deepEqual(r.onChannelDestroy('no-such-channel'), []);
});

test('wipe/add write perm count topics and change perms as Java does', () => {
  const r = new RouteInfoManager();
  r.registerBroker(input('broker-a', 0, 'a:1', { T1: { perm: 7 }, T2: { perm: 6 } }));
  r.registerBroker(input('broker-b', 0, 'b:1', { T1: {}, T3: {} }));
  assert.equal(r.wipeWritePermOfBroker('broker-a'), 2);
  assert.deepEqual(r.pickupTopicRouteData('T1')?.queueDatas.find((q) => q.brokerName === 'broker-a')?.perm, 5);
  assert.equal(r.pickupTopicRouteData('T1')?.queueDatas.find((q) => q.brokerName === 'broker-b')?.perm, 6);
  assert.equal(r.addWritePermOfBroker('broker-a'), 2);
  assert.equal(r.pickupTopicRouteData('T1')?.queueDatas.find((q) => q.brokerName === 'broker-a')?.perm, 6);
  assert.equal(r.wipeWritePermOfBroker('nobody'), 0);
});

test('topic lists: all, by cluster, system, unit flags', () => {
  const r = new RouteInfoManager();
  r.registerBroker(input('broker-a', 0, 'a:1', { T1: {}, U: { topicSysFlag: 1 }, US: { topicSysFlag: 2 }, UUS: { topicSysFlag: 3 } }));
  r.registerBroker({ ...input('broker-b', 0, 'b:1', { T2: {}, T3: {} }), clusterName: 'C2' });
  assert.deepEqual(r.getAllTopicList().topicList.sort(), ['T1', 'T2', 'T3', 'U', 'US', 'UUS']);
  assert.deepEqual(r.getTopicsByCluster('C2').topicList.sort(), ['T2', 'T3']);
  assert.deepEqual(r.getTopicsByCluster('nope').topicList, []);
  const sys = r.getSystemTopicList();
  assert.deepEqual(sys.topicList.sort(), ['C1', 'C2', 'broker-a', 'broker-b']);
  assert.ok(sys.brokerAddr === 'a:1' || sys.brokerAddr === 'b:1');
  assert.deepEqual(r.getUnitTopics().topicList.sort(), ['U', 'UUS']);
  assert.deepEqual(r.getHasUnitSubTopicList().topicList.sort(), ['US', 'UUS']);
  assert.deepEqual(r.getHasUnitSubUnUnitTopicList().topicList, ['US']);
});

test('registerTopic needs known brokers; deleteTopic globally or per cluster', () => {
  const r = new RouteInfoManager();
  r.registerBroker(input('broker-a', 0, 'a:1', TOPICS));
  r.registerBroker({ ...input('broker-b', 0, 'b:1', TOPICS), clusterName: 'C2' });
  const qd = (brokerName: string) => ({ brokerName, readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 });
  assert.equal(r.registerTopic('New', [qd('broker-a'), qd('ghost')]), false);
  assert.equal(r.pickupTopicRouteData('New'), undefined);
  assert.equal(r.registerTopic('New', [qd('broker-a'), qd('broker-b')]), true);
  assert.equal(r.pickupTopicRouteData('New')?.queueDatas.length, 2);
  r.deleteTopic('New', 'C2');
  assert.deepEqual(r.pickupTopicRouteData('New')?.queueDatas.map((q) => q.brokerName), ['broker-a']);
  r.deleteTopic('New');
  assert.equal(r.pickupTopicRouteData('New'), undefined);
});

test('acting master: with supportActingMaster the lowest slave is presented as id 0 when writes are wiped', () => {
  const r = new RouteInfoManager({ supportActingMaster: true });
  r.registerBroker(input('broker-a', 0, 'm:1', TOPICS, undefined, { enableActingMaster: true }));
  r.registerBroker(input('broker-a', 1, 's:1', TOPICS, undefined, { enableActingMaster: true }));
  r.unregisterBroker({ clusterName: 'C1', brokerAddr: 'm:1', brokerName: 'broker-a', brokerId: 0 });
  const route = r.pickupTopicRouteData('TopicA');
  assert.deepEqual(route?.brokerDatas[0].brokerAddrs, { 0: 's:1' });
  assert.equal(route?.queueDatas[0].perm, 4);
});

test('filter servers appear in the route under their broker address', () => {
  const r = new RouteInfoManager();
  r.registerBroker(input('broker-a', 0, 'a:1', TOPICS, undefined, { filterServerList: ['f:1'] }));
  assert.deepEqual(r.pickupTopicRouteData('TopicA')?.filterServerTable, { 'a:1': ['f:1'] });
  r.registerBroker(input('broker-a', 0, 'a:1', TOPICS, undefined, { filterServerList: [] }));
  assert.deepEqual(r.pickupTopicRouteData('TopicA')?.filterServerTable, {});
});
