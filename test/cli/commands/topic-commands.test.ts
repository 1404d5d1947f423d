// updateTopic, deleteTopic, topicList, topicRoute, topicStatus, topicClusterList against in-process servers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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

test('updateTopic -c creates the topic on the cluster masters with -r/-w/-p; the route shows it', async () => {
  const topic = uniq('CliTopic');
  const r = await mqadmin(h.namesrvAddr, 'updateTopic', '-c', 'ClusterT', '-t', topic, '-r', '3', '-w', '5', '-p', '4');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`create topic to ${h.brokerAddr.replace(/\./g, '\\.')} success`));
  const tc = h.broker.topicConfigManager.selectTopicConfig(topic);
  assert.ok(tc, 'topic exists on the broker');
  assert.equal(tc.readQueueNums, 3);
  assert.equal(tc.writeQueueNums, 5);
  assert.equal(tc.perm, 4);
  await h.broker.registerBrokerAll();
  const route = obj(await mqadminJson(h.namesrvAddr, 'topicRoute', '-t', topic));
  const qd = obj(arr(route.queueDatas)[0]);
  assert.equal(qd.brokerName, 'broker-t');
  assert.equal(qd.readQueueNums, 3);
  const listed = await mqadmin(h.namesrvAddr, 'topicRoute', '-t', topic, '-l');
  assert.match(listed.out, /#ClusterName\s+#BrokerName/);
  assert.match(listed.out, /ClusterT\s+broker-t\s+0\s+127\.0\.0\.1:\d+\s+3\s+5\s+4/);
});

test('updateTopic -b with -o true writes the order conf; JSON output names the broker', async () => {
  const topic = uniq('CliOrder');
  const res = obj(await mqadminJson(h.namesrvAddr, 'updateTopic', '-b', h.brokerAddr, '-t', topic, '-o', 'true', '-w', '2', '-r', '2'));
  assert.deepEqual(res.brokerAddrs, [h.brokerAddr]);
  assert.equal(res.orderConf, 'broker-t:2');
  assert.equal(h.broker.topicConfigManager.selectTopicConfig(topic)?.order, true);
});

test('updateTopic refuses -b with -c, a bad perm and a missing -t, with exit 1 and a message', async () => {
  const both = await mqadmin(h.namesrvAddr, 'updateTopic', '-b', h.brokerAddr, '-c', 'ClusterT', '-t', uniq('X'));
  assert.equal(both.code, 1);
  assert.match(both.err, /exactly one of -b .* and -c/);
  const perm = await mqadmin(h.namesrvAddr, 'updateTopic', '-c', 'ClusterT', '-t', uniq('X'), '-p', '5');
  assert.equal(perm.code, 1);
  assert.match(perm.err, /'5' is not a topic permission/);
  const missing = await mqadmin(h.namesrvAddr, 'updateTopic', '-c', 'ClusterT');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /required option '-t, --topic <topic>' not specified/);
});

test('topicList lists the topics the NameServer knows; -c adds their cluster', async () => {
  const topic = uniq('CliList');
  h.createTopic(topic);
  await h.broker.registerBrokerAll();
  const r = await mqadmin(h.namesrvAddr, 'topicList');
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.split('\n').includes(topic));
  const json = obj(await mqadminJson(h.namesrvAddr, 'topicList'));
  assert.ok(arr(json.topicList).includes(topic));
  const withCluster = await mqadmin(h.namesrvAddr, 'topicList', '-c');
  assert.match(withCluster.out, new RegExp(`ClusterT\\s+${topic}`));
});

test('topicStatus prints min/max offsets per queue', async () => {
  const topic = uniq('CliStatus');
  h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
  await h.broker.registerBrokerAll();
  for (let i = 0; i < 3; i++) assert.equal((await h.send(topic, `m${i}`, { queueId: 1 })).code, ResponseCode.SUCCESS);
  h.dispatch();
  const json = obj(await mqadminJson(h.namesrvAddr, 'topicStatus', '-t', topic));
  const queues = arr(json.queues).map(obj);
  assert.deepEqual(queues.map((q) => [q.queueId, q.minOffset, q.maxOffset]), [[0, 0, 0], [1, 0, 3]]);
  const text = await mqadmin(h.namesrvAddr, 'topicStatus', '-t', topic);
  assert.match(text.out, /#Broker Name\s+#QID\s+#Min Offset\s+#Max Offset/);
  assert.match(text.out, /broker-t\s+1\s+0\s+3\s+\d{4}-/);
});

test('topicClusterList names the cluster; an unknown topic fails with exit 1', async () => {
  const topic = uniq('CliCluster');
  h.createTopic(topic);
  await h.broker.registerBrokerAll();
  const r = await mqadmin(h.namesrvAddr, 'topicClusterList', '-t', topic);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'ClusterT\n');
  const unknown = await mqadmin(h.namesrvAddr, 'topicClusterList', '-t', uniq('Nope'));
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /no route info for topic/);
});

test('deleteTopic removes the topic from the broker and the NameServer', async () => {
  const topic = uniq('CliDelete');
  h.createTopic(topic);
  await h.broker.registerBrokerAll();
  const r = await mqadmin(h.namesrvAddr, 'deleteTopic', '-t', topic, '-c', 'ClusterT');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /delete topic \[.*\] from cluster \[ClusterT\] success/);
  assert.equal(h.broker.topicConfigManager.selectTopicConfig(topic), undefined);
  const route = await mqadmin(h.namesrvAddr, 'topicRoute', '-t', topic);
  assert.equal(route.code, 1);
});
