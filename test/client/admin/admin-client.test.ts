// AdminClient against the real in-process NameServer + Broker (test/integration/broker-harness.ts), for the calls
// they serve today: topics, routes, cluster info, KV and NameServer config, write perm, offsets and message look-ups.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { AdminClient } from '../../../src/client/admin/admin-client.ts';
import { RocketMQError } from '../../../src/common/errors.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';

let h: BrokerHarness;
let admin: AdminClient;

before(async () => {
  h = await BrokerHarness.start();
  admin = new AdminClient({ namesrvAddr: h.namesrvAddr, clientIP: '127.0.0.1' });
  await admin.start();
});
after(async () => {
  await admin.shutdown();
  await h.close();
});

/** Retry `fn` until it stops throwing (broker → NameServer registration is asynchronous); at most ~10 s. */
async function eventually<T>(fn: () => Promise<T>, what: string): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 500; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await delay(20);
    }
  }
  throw new Error(`${what} never succeeded: ${String(last)}`);
}

test('clusterInfo lists the broker as master of its cluster', async () => {
  const ci = await admin.clusterInfo();
  assert.deepEqual(ci.clusterAddrTable.ClusterT, ['broker-t']);
  assert.equal(ci.brokerAddrTable['broker-t'].brokerAddrs['0'], h.brokerAddr);
  assert.deepEqual(await admin.masterAddrsOfCluster('ClusterT'), [h.brokerAddr]);
});

test('createTopic on the cluster → route, topic lists, topic config; deleteTopic removes it again', async () => {
  const topic = uniq('AdmT');
  const r = await admin.createTopic({ topic, clusterName: 'ClusterT', readQueueNums: 3, writeQueueNums: 3 });
  assert.deepEqual(r.brokerAddrs, [h.brokerAddr]);
  const route = await eventually(async () => {
    const rt = await admin.topicRoute(topic);
    if (rt.queueDatas[0]?.writeQueueNums !== 3) throw new Error('old route');
    return rt;
  }, 'route of the new topic');
  assert.equal(route.brokerDatas[0].brokerName, 'broker-t');
  assert.ok((await admin.topicList()).includes(topic));
  assert.ok((await admin.getTopicsByCluster('ClusterT')).includes(topic));
  assert.deepEqual(await admin.topicClusterList(topic), ['ClusterT']);
  const tc = await admin.getTopicConfig(h.brokerAddr, topic);
  assert.equal(tc?.readQueueNums, 3);

  await admin.deleteTopic(topic, 'ClusterT');
  assert.equal(await admin.getTopicConfig(h.brokerAddr, topic), undefined);
  await assert.rejects(admin.topicRoute(topic), (e: unknown) => e instanceof RocketMQError && e.responseCode === 17);
});

test('offsets and message look-ups on a real stored message', async () => {
  const topic = uniq('AdmMsg');
  h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
  await eventually(() => admin.topicRoute(topic), 'route');
  const sent = await h.send(topic, 'hello admin', { keys: 'order-7 other', tags: 'TagA', props: { UNIQ_KEY: 'AD0000000000000000000000000000A1' } });
  assert.equal(sent.code, 0);
  h.dispatch();
  const mq = { topic, brokerName: 'broker-t', queueId: 0 };
  assert.equal(await admin.minOffset(mq), 0);
  assert.equal(await admin.maxOffset(mq), 1);

  const offsetMsgId = sent.ext('msgId') ?? '';
  const viewed = await admin.viewMessage(offsetMsgId);
  assert.equal(viewed.body.toString(), 'hello admin');
  assert.equal(viewed.offsetMsgId, offsetMsgId);
  assert.deepEqual(viewed.keys, ['order-7', 'other']);

  const byKey = await admin.queryMessageByKey(topic, 'order-7');
  assert.deepEqual(byKey.map((m) => m.offsetMsgId), [offsetMsgId]);
  assert.deepEqual(await admin.queryMessageByKey(topic, 'order-77'), []);
  const byUniq = await admin.queryMessageByUniqueKey(topic, 'AD0000000000000000000000000000A1');
  assert.deepEqual(byUniq.map((m) => m.offsetMsgId), [offsetMsgId]);

  const byOffset = await admin.queryMessageByOffset(mq, 0);
  assert.equal(byOffset.status, 'FOUND');
  assert.equal(byOffset.message?.tags, 'TagA');
  assert.notEqual((await admin.queryMessageByOffset(mq, 1)).status, 'FOUND');
  assert.equal(await admin.searchOffset(mq, viewed.storeTimestamp), 0);
});

test('KV config, NameServer config and write permission on the real NameServer', async () => {
  const key = uniq('k');
  await admin.putKvConfig('ADMIN_TEST', key, 'v1');
  assert.equal(await admin.getKvConfig('ADMIN_TEST', key), 'v1');
  assert.equal((await admin.getKvList('ADMIN_TEST'))[key], 'v1');
  await admin.deleteKvConfig('ADMIN_TEST', key);
  assert.equal(await admin.getKvConfig('ADMIN_TEST', key), undefined);

  const cfg = await admin.getNamesrvConfig();
  assert.deepEqual(Object.keys(cfg), [h.namesrvAddr]);
  assert.ok(Object.keys(cfg[h.namesrvAddr]).length > 0);

  const topic = uniq('AdmPerm');
  h.createTopic(topic);
  await eventually(() => admin.topicRoute(topic), 'route');
  const wiped = await admin.wipeWritePerm('broker-t');
  assert.equal(wiped.length, 1);
  assert.ok(wiped[0].topicCount >= 1);
  assert.equal(((await admin.topicRoute(topic)).queueDatas[0].perm & 2), 0);
  const added = await admin.addWritePerm('broker-t');
  assert.ok(added[0].topicCount >= 1);
  assert.equal(((await admin.topicRoute(topic)).queueDatas[0].perm & 2), 2);
});

test('calls before start / after shutdown are NOT_RUNNING', async () => {
  const a = new AdminClient({ namesrvAddr: h.namesrvAddr });
  assert.throws(() => a.topicList(), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_NOT_RUNNING');
  await a.start();
  await a.shutdown();
  assert.throws(() => a.topicList(), /shut down/);
});
