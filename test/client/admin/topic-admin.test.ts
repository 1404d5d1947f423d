import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RocketMQError } from '../../../src/common/errors.ts';
import { serializeTopicList } from '../../../src/remoting/protocol/body/topic-list.ts';
import { serializeTopicStatsTable } from '../../../src/remoting/protocol/body/topic-stats-table.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { uniqueName } from '../helpers.ts';
import { AdminFixture, CLUSTER } from './admin-fakes.ts';

let f: AdminFixture;
before(async () => {
  f = await AdminFixture.start();
});
after(async () => {
  await f.close();
});

function ok(req: RemotingCommand): RemotingCommand {
  return RemotingCommand.responseTo(req, ResponseCode.SUCCESS);
}

test('createTopic on a cluster: UPDATE_AND_CREATE_TOPIC to every master with mqadmin defaults', async () => {
  for (const b of [f.brokerA, f.brokerB]) b.on(RequestCode.UPDATE_AND_CREATE_TOPIC, ok);
  const topic = uniqueName('T');
  const r = await f.admin.createTopic({ topic, clusterName: CLUSTER });
  assert.deepEqual(r, { brokerAddrs: [f.brokerA.address, f.brokerB.address] });
  for (const b of [f.brokerA, f.brokerB]) {
    const reqs = b.received(RequestCode.UPDATE_AND_CREATE_TOPIC).filter((q) => q.ext('topic') === topic);
    assert.equal(reqs.length, 1);
    assert.deepEqual(reqs[0].extFields, {
      topic, defaultTopic: 'TBW102', readQueueNums: '8', writeQueueNums: '8', perm: '6', topicFilterType: 'SINGLE_TAG',
      topicSysFlag: '0', order: 'false', attributes: '',
    });
  }
});

test('createTopic on one broker, ordered: merges the ORDER_TOPIC_CONFIG KV entry on every NameServer', async () => {
  const topic = uniqueName('T');
  f.brokerA.on(RequestCode.UPDATE_AND_CREATE_TOPIC, ok);
  for (const ns of [f.ns1, f.ns2]) {
    ns.reply(RequestCode.GET_KV_CONFIG, { value: 'broker-b:4' });
    ns.on(RequestCode.PUT_KV_CONFIG, ok);
  }
  const before = f.brokerB.received(RequestCode.UPDATE_AND_CREATE_TOPIC).length;
  const r = await f.admin.createTopic({
    topic, brokerAddr: f.brokerA.address, readQueueNums: 4, writeQueueNums: 4, perm: 7, order: true, topicFilterType: 'MULTI_TAG',
    attributes: { '+message.type': 'FIFO' },
  });
  assert.deepEqual(r, { brokerAddrs: [f.brokerA.address], orderConf: 'broker-b:4;broker-a:4' });
  assert.equal(f.brokerB.received(RequestCode.UPDATE_AND_CREATE_TOPIC).length, before);
  const req = f.brokerA.received(RequestCode.UPDATE_AND_CREATE_TOPIC).find((q) => q.ext('topic') === topic);
  assert.equal(req?.ext('order'), 'true');
  assert.equal(req?.ext('perm'), '7');
  assert.equal(req?.ext('topicFilterType'), 'MULTI_TAG');
  assert.equal(req?.ext('attributes'), '+message.type=FIFO');
  for (const ns of [f.ns1, f.ns2]) {
    const put = ns.received(RequestCode.PUT_KV_CONFIG).find((q) => q.ext('key') === topic);
    assert.deepEqual(put?.extFields, { namespace: 'ORDER_TOPIC_CONFIG', key: topic, value: 'broker-b:4;broker-a:4' });
  }
});

test('createTopic ordered on a cluster writes every broker of the cluster', async () => {
  const topic = uniqueName('T');
  for (const b of [f.brokerA, f.brokerB]) b.on(RequestCode.UPDATE_AND_CREATE_TOPIC, ok);
  for (const ns of [f.ns1, f.ns2]) ns.on(RequestCode.PUT_KV_CONFIG, ok);
  const r = await f.admin.createTopic({ topic, clusterName: CLUSTER, order: true, writeQueueNums: 3, readQueueNums: 3 });
  assert.equal(r.orderConf, 'broker-a:3;broker-b:3');
});

test('createTopic: bad targets and broker refusals are errors', async () => {
  await assert.rejects(f.admin.createTopic({ topic: 'T_x' }), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_INVALID_ARGUMENT');
  await assert.rejects(f.admin.createTopic({ topic: 'T_x', clusterName: CLUSTER, brokerAddr: f.brokerA.address }), /exactly one/);
  await assert.rejects(f.admin.createTopic({ topic: 'T_x', clusterName: 'NoSuchCluster' }), /not known/);
  await assert.rejects(f.admin.createTopic({ topic: 'bad topic', clusterName: CLUSTER }), /characters/);
  f.brokerA.reply(RequestCode.UPDATE_AND_CREATE_TOPIC, undefined, undefined, ResponseCode.NO_PERMISSION, 'no perm');
  await assert.rejects(
    f.admin.createTopic({ topic: uniqueName('T'), brokerAddr: f.brokerA.address }),
    (e: unknown) => e instanceof RocketMQError && e.responseCode === ResponseCode.NO_PERMISSION && /no perm/.test(e.message),
  );
});

test('deleteTopic: DELETE_TOPIC_IN_BROKER on masters, DELETE_TOPIC_IN_NAMESRV with clusterName on every NameServer', async () => {
  const topic = uniqueName('T');
  for (const b of [f.brokerA, f.brokerB]) b.on(RequestCode.DELETE_TOPIC_IN_BROKER, ok);
  for (const ns of [f.ns1, f.ns2]) ns.on(RequestCode.DELETE_TOPIC_IN_NAMESRV, ok);
  const r = await f.admin.deleteTopic(topic, CLUSTER);
  assert.deepEqual(r, { brokerAddrs: [f.brokerA.address, f.brokerB.address], namesrvAddrs: [f.ns1.address, f.ns2.address] });
  for (const b of [f.brokerA, f.brokerB]) assert.deepEqual(b.received(RequestCode.DELETE_TOPIC_IN_BROKER).at(-1)?.extFields, { topic });
  for (const ns of [f.ns1, f.ns2]) assert.deepEqual(ns.received(RequestCode.DELETE_TOPIC_IN_NAMESRV).at(-1)?.extFields, { topic, clusterName: CLUSTER });
});

test('topicList, getTopicsByCluster: TopicList bodies, sorted', async () => {
  for (const ns of [f.ns1, f.ns2]) {
    ns.reply(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, undefined, serializeTopicList({ topicList: ['b', 'TBW102', 'a'] }));
    ns.reply(RequestCode.GET_TOPICS_BY_CLUSTER, undefined, serializeTopicList({ topicList: ['z', 'y'] }));
  }
  assert.deepEqual(await f.admin.topicList(), ['TBW102', 'a', 'b']);
  assert.deepEqual(await f.admin.getTopicsByCluster(CLUSTER), ['y', 'z']);
  const req = [...f.ns1.received(RequestCode.GET_TOPICS_BY_CLUSTER), ...f.ns2.received(RequestCode.GET_TOPICS_BY_CLUSTER)].at(-1);
  assert.deepEqual(req?.extFields, { cluster: CLUSTER });
});

test('topicRoute / topicClusterList; an unknown topic carries responseCode 17', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic);
  const route = await f.admin.topicRoute(topic);
  assert.deepEqual(route.brokerDatas.map((b) => b.brokerName).sort(), ['broker-a', 'broker-b']);
  assert.deepEqual(await f.admin.topicClusterList(topic), [CLUSTER]);
  await assert.rejects(f.admin.topicRoute(uniqueName('Nope')), (e: unknown) => e instanceof RocketMQError && e.responseCode === 17);
});

test('topicStatus: GET_TOPIC_STATS_INFO on each broker, object-as-key bodies merged into rows', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic);
  for (const b of [f.brokerA, f.brokerB]) {
    b.on(RequestCode.GET_TOPIC_STATS_INFO, (req) =>
      RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, undefined, serializeTopicStatsTable({
        topicPutTps: 0,
        offsetTable: [1, 0].map((q) => [{ topic, brokerName: b.name, queueId: q }, { minOffset: q, maxOffset: 10 + q, lastUpdateTimestamp: 100 + q }]),
      })));
  }
  const rows = await f.admin.topicStatus(topic);
  assert.deepEqual(rows, [
    { brokerName: 'broker-a', queueId: 0, minOffset: 0, maxOffset: 10, lastUpdateTimestamp: 100 },
    { brokerName: 'broker-a', queueId: 1, minOffset: 1, maxOffset: 11, lastUpdateTimestamp: 101 },
    { brokerName: 'broker-b', queueId: 0, minOffset: 0, maxOffset: 10, lastUpdateTimestamp: 100 },
    { brokerName: 'broker-b', queueId: 1, minOffset: 1, maxOffset: 11, lastUpdateTimestamp: 101 },
  ]);
  assert.deepEqual(f.brokerB.received(RequestCode.GET_TOPIC_STATS_INFO).at(-1)?.extFields, { topic });
});

test('getTopicConfig: GET_TOPIC_CONFIG body, undefined on TOPIC_NOT_EXIST', async () => {
  f.brokerA.reply(RequestCode.GET_TOPIC_CONFIG, undefined, '{"attributes":{},"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"TC","topicSysFlag":0,"writeQueueNums":2}');
  const tc = await f.admin.getTopicConfig(f.brokerA.address, 'TC');
  assert.equal(tc?.writeQueueNums, 2);
  assert.equal(tc?.readQueueNums, 4);
  f.brokerA.reply(RequestCode.GET_TOPIC_CONFIG, undefined, undefined, ResponseCode.TOPIC_NOT_EXIST);
  assert.equal(await f.admin.getTopicConfig(f.brokerA.address, 'TC'), undefined);
});
