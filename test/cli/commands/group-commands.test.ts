// updateSubGroup, deleteSubGroup, consumerProgress, consumerConnection, producerConnection, resetOffsetByTime against
// in-process servers (consumers and producers announced by raw heartbeats, offsets committed with raw requests).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import type { BrokerHarness } from '../../integration/broker-harness.ts';
import { uniq } from '../../integration/broker-harness.ts';
import { arr, mqadmin, mqadminJson, obj, startHarness } from '../cli-harness.ts';

let h: BrokerHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function commit(group: string, topic: string, queueId: number, offset: number): Promise<void> {
  const res = await h.invoke(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId, commitOffset: offset });
  assert.equal(res.code, ResponseCode.SUCCESS);
}

/** A topic with `perQueue` messages in each of its 2 queues, registered with the NameServer. */
async function filledTopic(prefix: string, perQueue: number): Promise<string> {
  const topic = uniq(prefix);
  h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
  await h.broker.registerBrokerAll();
  for (let q = 0; q < 2; q++) {
    for (let i = 0; i < perQueue; i++) assert.equal((await h.send(topic, `b${q}-${i}`, { queueId: q })).code, ResponseCode.SUCCESS);
  }
  h.dispatch();
  return topic;
}

test('updateSubGroup -c creates the group with the given settings; deleteSubGroup -b removes it', async () => {
  const group = uniq('CliGroup');
  const r = await mqadmin(h.namesrvAddr, 'updateSubGroup', '-c', 'ClusterT', '-g', group, '-r', '3', '-q', '2', '-d', 'false', '-o', 'true', '-s', 'false');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /create subscription group to .* success/);
  const sg = h.broker.subscriptionGroupManager.selectSubscriptionGroupConfig(group);
  assert.ok(sg);
  assert.equal(sg.retryMaxTimes, 3);
  assert.equal(sg.retryQueueNums, 2);
  assert.equal(sg.consumeMessageOrderly, true);
  assert.equal(sg.consumeEnable, false);

  const bad = await mqadmin(h.namesrvAddr, 'updateSubGroup', '-c', 'ClusterT', '-g', group, '-s', 'maybe');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /'maybe' is not true or false/);

  const del = await mqadmin(h.namesrvAddr, 'deleteSubGroup', '-b', h.brokerAddr, '-g', group, '-r', 'true');
  assert.equal(del.code, 0, del.err);
  assert.match(del.out, new RegExp(`delete subscription group \\[${group}\\] from broker`));
  assert.equal(h.broker.subscriptionGroupManager.selectSubscriptionGroupConfig(group), undefined);
});

test('consumerProgress shows broker offset, consumer offset and diff per queue', async () => {
  const topic = await filledTopic('CliProgress', 4);
  const group = uniq('CliProgressG');
  await commit(group, topic, 0, 1);
  await commit(group, topic, 1, 4);
  const json = obj(await mqadminJson(h.namesrvAddr, 'consumerProgress', '-g', group, '-t', topic));
  const rows = arr(json.rows).map(obj);
  assert.deepEqual(rows.map((r) => [r.queueId, r.brokerOffset, r.consumerOffset, r.diff]), [[0, 4, 1, 3], [1, 4, 4, 0]]);
  assert.equal(json.totalDiff, 3);
  const text = await mqadmin(h.namesrvAddr, 'consumerProgress', '-g', group, '-t', topic);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /#Topic\s+#Broker Name\s+#QID\s+#Broker Offset\s+#Consumer Offset\s+#Diff/);
  assert.match(text.out, /Consume Diff Total: 3/);
});

test('consumerConnection lists an online consumer and its subscription; an offline group exits 1', async () => {
  const topic = await filledTopic('CliConn', 0);
  const group = uniq('CliConnG');
  assert.equal((await h.heartbeat('10.0.0.9@cli-test', { group, topic, subString: 'TagA || TagB' })).code, ResponseCode.SUCCESS);
  await h.broker.registerBrokerAll();
  const json = obj(await mqadminJson(h.namesrvAddr, 'consumerConnection', '-g', group));
  assert.deepEqual(arr(json.connectionSet).map((c) => obj(c).clientId), ['10.0.0.9@cli-test']);
  const text = await mqadmin(h.namesrvAddr, 'consumerConnection', '-g', group);
  assert.match(text.out, /10\.0\.0\.9@cli-test/);
  assert.match(text.out, new RegExp(`${topic}\\s+TagA \\|\\| TagB`));
  assert.match(text.out, /MessageModel: CLUSTERING/);
  const offline = await mqadmin(h.namesrvAddr, 'consumerConnection', '-g', uniq('NobodyG'));
  assert.equal(offline.code, 1);
});

test('producerConnection lists an online producer of the group', async () => {
  const topic = await filledTopic('CliProd', 0);
  const group = uniq('CliProdG');
  assert.equal((await h.heartbeat('10.0.0.8@cli-prod', undefined, group)).code, ResponseCode.SUCCESS);
  const r = await mqadmin(h.namesrvAddr, 'producerConnection', '-g', group, '-t', topic);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /#ClientId\s+#ClientAddr\s+#Language\s+#Version/);
  assert.match(r.out, /10\.0\.0\.8@cli-prod/);
  const none = await mqadmin(h.namesrvAddr, 'producerConnection', '-g', uniq('NoProdG'), '-t', topic);
  assert.equal(none.code, 1);
  assert.match(none.err, /not (exist|online)/);
});

test('resetOffsetByTime of an offline group rewinds every queue to the time given; -b/-q/-o sets one queue', async () => {
  const topic = await filledTopic('CliReset', 3);
  const group = uniq('CliResetG');
  await commit(group, topic, 0, 3);
  await commit(group, topic, 1, 3);
  const r = await mqadmin(h.namesrvAddr, 'resetOffsetByTime', '-g', group, '-t', topic, '-s', '0');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /#brokerName\s+#queueId\s+#offset/);
  assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), 0);
  assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 1), 0);

  const end = obj(await mqadminJson(h.namesrvAddr, 'resetOffsetByTime', '-g', group, '-t', topic, '-s', '-1'));
  assert.deepEqual(arr(end.rows).map((x) => obj(x).resetOffset), [3, 3]);
  assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 1), 3);

  const one = await mqadmin(h.namesrvAddr, 'resetOffsetByTime', '-g', group, '-t', topic, '-b', h.brokerAddr, '-q', '1', '-o', '2');
  assert.equal(one.code, 0, one.err);
  assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 1), 2);
  assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), 3);

  const badTime = await mqadmin(h.namesrvAddr, 'resetOffsetByTime', '-g', group, '-t', topic, '-s', 'yesterday');
  assert.equal(badTime.code, 1);
  assert.match(badTime.err, /'yesterday' is not a timestamp/);
  const partial = await mqadmin(h.namesrvAddr, 'resetOffsetByTime', '-g', group, '-t', topic, '-q', '1');
  assert.equal(partial.code, 1);
  assert.match(partial.err, /-b \(broker\), -q \(queue\) and -o \(offset\) together/);
});
