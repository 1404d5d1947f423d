// clusterList, brokerStatus, getBrokerConfig, updateBrokerConfig, wipeWritePerm, addWritePerm, updateKvConfig,
// deleteKvConfig, getNamesrvConfig, updateNamesrvConfig against in-process servers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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

test('clusterList shows the broker with its cluster, id, address and version', async () => {
  const r = await mqadmin(h.namesrvAddr, 'clusterList');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /#Cluster Name\s+#Broker Name\s+#BID\s+#Addr\s+#Version/);
  assert.match(r.out, new RegExp(`ClusterT\\s+broker-t\\s+0\\s+${h.brokerAddr.replace(/\./g, '\\.')}`));
  const json = obj(await mqadminJson(h.namesrvAddr, 'clusterList', '-c', 'ClusterT'));
  const rows = arr(json.clusters).map(obj);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].addr, h.brokerAddr);
  assert.equal(rows[0].error, undefined, `runtime info: ${String(rows[0].error)}`);
  assert.match(String(rows[0].version), /^V\d/);
});

test('brokerStatus prints the runtime stats table of a broker', async () => {
  const json = obj(await mqadminJson(h.namesrvAddr, 'brokerStatus', '-b', h.brokerAddr));
  assert.equal(typeof json.brokerVersionDesc, 'string');
  assert.ok('putTps' in json);
  const text = await mqadmin(h.namesrvAddr, 'brokerStatus', '-c', 'ClusterT');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /brokerVersionDesc\s+: V\d/);
  const bad = await mqadmin(h.namesrvAddr, 'brokerStatus', '-b', 'not-an-address');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /is not an address/);
});

test('getBrokerConfig / updateBrokerConfig: a key changes on the broker and reads back', async () => {
  const before = obj(await mqadminJson(h.namesrvAddr, 'getBrokerConfig', '-b', h.brokerAddr));
  assert.equal(before.brokerName, 'broker-t');
  assert.equal(before.autoCreateSubscriptionGroup, 'true');
  const r = await mqadmin(h.namesrvAddr, 'updateBrokerConfig', '-c', 'ClusterT', '-k', 'autoCreateSubscriptionGroup', '-v', 'false');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /update broker config success/);
  assert.equal(h.broker.brokerConfig.autoCreateSubscriptionGroup, false);
  const text = await mqadmin(h.namesrvAddr, 'getBrokerConfig', '-c', 'ClusterT');
  assert.match(text.out, /autoCreateSubscriptionGroup\s+: false/);
  const black = await mqadmin(h.namesrvAddr, 'updateBrokerConfig', '-b', h.brokerAddr, '-k', 'brokerConfigPath', '-v', '/tmp/x');
  assert.equal(black.code, 1);
  const missing = await mqadmin(h.namesrvAddr, 'updateBrokerConfig', '-b', h.brokerAddr, '-k', 'x');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /required option '-v, --value <value>'/);
  await mqadmin(h.namesrvAddr, 'updateBrokerConfig', '-b', h.brokerAddr, '-k', 'autoCreateSubscriptionGroup', '-v', 'true');
});

test('wipeWritePerm drops the write bit of the broker in the NameServer; addWritePerm restores it', async () => {
  const topic = uniq('CliPerm');
  h.createTopic(topic);
  await h.broker.registerBrokerAll();
  const w = await mqadmin(h.namesrvAddr, 'wipeWritePerm', '-b', 'broker-t');
  assert.equal(w.code, 0, w.err);
  assert.match(w.out, /wipe write perm of broker\[broker-t\] in name server\[.*\] OK, \d+/);
  let route = obj(await mqadminJson(h.namesrvAddr, 'topicRoute', '-t', topic));
  assert.equal(obj(arr(route.queueDatas)[0]).perm, 4);
  const a = obj(await mqadminJson(h.namesrvAddr, 'addWritePerm', '-b', 'broker-t'));
  assert.ok(Number(obj(arr(a.results)[0]).topicCount) > 0);
  route = obj(await mqadminJson(h.namesrvAddr, 'topicRoute', '-t', topic));
  assert.equal(obj(arr(route.queueDatas)[0]).perm, 6);
});

test('updateKvConfig puts a KV entry on the NameServer; deleteKvConfig removes it', async () => {
  const ns = uniq('CliNs');
  const r = await mqadmin(h.namesrvAddr, 'updateKvConfig', '-s', ns, '-k', 'color', '-v', 'blue');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /create or update kv config to namespace success/);
  assert.equal(h.namesrv?.kv.get(ns, 'color'), 'blue');
  const d = await mqadmin(h.namesrvAddr, 'deleteKvConfig', '-s', ns, '-k', 'color');
  assert.equal(d.code, 0, d.err);
  assert.equal(h.namesrv?.kv.get(ns, 'color'), undefined);
  const missing = await mqadmin(h.namesrvAddr, 'updateKvConfig', '-s', ns, '-k', 'color');
  assert.equal(missing.code, 1);
});

test('getNamesrvConfig prints the NameServer settings; updateNamesrvConfig changes one', async () => {
  const all = obj(await mqadminJson(h.namesrvAddr, 'getNamesrvConfig'));
  const mine = obj(all[h.namesrvAddr]);
  assert.equal(mine.orderMessageEnable, 'false');
  const r = await mqadmin(h.namesrvAddr, 'updateNamesrvConfig', '-k', 'orderMessageEnable', '-v', 'true');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /update name server config success/);
  assert.equal(h.namesrv?.config.orderMessageEnable, true);
  const text = await mqadmin(h.namesrvAddr, 'getNamesrvConfig');
  assert.match(text.out, /orderMessageEnable\s+: true/);
  const black = await mqadmin(h.namesrvAddr, 'updateNamesrvConfig', '-k', 'kvConfigPath', '-v', '/tmp/x');
  assert.equal(black.code, 1);
});
