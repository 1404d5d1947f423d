import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RocketMQError } from '../../../src/common/errors.ts';
import { serializeKVTable } from '../../../src/remoting/protocol/body/kv-table.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { AdminFixture, CLUSTER } from './admin-fakes.ts';

let f: AdminFixture;
before(async () => {
  f = await AdminFixture.start();
});
after(async () => {
  await f.close();
});

test('clusterInfo and masterAddrsOfCluster', async () => {
  const ci = await f.admin.clusterInfo();
  assert.deepEqual(ci.clusterAddrTable, { [CLUSTER]: ['broker-a', 'broker-b'] });
  assert.equal(ci.brokerAddrTable['broker-b'].brokerAddrs['0'], f.brokerB.address);
  assert.deepEqual(await f.admin.masterAddrsOfCluster(CLUSTER), [f.brokerA.address, f.brokerB.address]);
});

test('brokerRuntimeInfo: GET_BROKER_RUNTIME_INFO KVTable', async () => {
  f.brokerA.reply(RequestCode.GET_BROKER_RUNTIME_INFO, undefined, serializeKVTable({ table: { brokerVersionDesc: 'V5_3_0', putTps: '1.0 2.0 3.0' } }));
  assert.deepEqual(await f.admin.brokerRuntimeInfo(f.brokerA.address), { brokerVersionDesc: 'V5_3_0', putTps: '1.0 2.0 3.0' });
  assert.equal(f.brokerA.received(RequestCode.GET_BROKER_RUNTIME_INFO).at(-1)?.extFields, undefined);
});

test('getBrokerConfig / updateBrokerConfig: properties text bodies', async () => {
  f.brokerA.reply(RequestCode.GET_BROKER_CONFIG, { version: '{"counter":3,"stateVersion":0,"timestamp":7}' }, 'brokerName=broker-a\nlistenPort=10911\n');
  const cfg = await f.admin.getBrokerConfig(f.brokerA.address);
  assert.deepEqual(cfg, { version: '{"counter":3,"stateVersion":0,"timestamp":7}', properties: { brokerName: 'broker-a', listenPort: '10911' } });

  for (const b of [f.brokerA, f.brokerB]) b.on(RequestCode.UPDATE_BROKER_CONFIG, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
  const addrs = await f.admin.updateBrokerConfig({ flushDiskType: 'SYNC_FLUSH', maxMessageSize: 1024, autoCreateTopicEnable: false }, { clusterName: CLUSTER });
  assert.deepEqual(addrs, [f.brokerA.address, f.brokerB.address]);
  for (const b of [f.brokerA, f.brokerB]) {
    assert.equal(b.received(RequestCode.UPDATE_BROKER_CONFIG).at(-1)?.body?.toString(), 'autoCreateTopicEnable=false\nflushDiskType=SYNC_FLUSH\nmaxMessageSize=1024\n');
  }
});

test('wipeWritePerm / addWritePerm go to every NameServer and report the counts', async () => {
  f.ns1.reply(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { wipeTopicCount: '3' });
  f.ns2.reply(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { wipeTopicCount: '2' });
  f.ns1.reply(RequestCode.ADD_WRITE_PERM_OF_BROKER, { addTopicCount: '3' });
  f.ns2.reply(RequestCode.ADD_WRITE_PERM_OF_BROKER, { addTopicCount: '1' });
  assert.deepEqual(await f.admin.wipeWritePerm('broker-a'), [
    { namesrvAddr: f.ns1.address, topicCount: 3 },
    { namesrvAddr: f.ns2.address, topicCount: 2 },
  ]);
  assert.deepEqual(await f.admin.addWritePerm('broker-a', [f.ns2.address]), [{ namesrvAddr: f.ns2.address, topicCount: 1 }]);
  assert.deepEqual(f.ns1.received(RequestCode.WIPE_WRITE_PERM_OF_BROKER).at(-1)?.extFields, { brokerName: 'broker-a' });
  assert.equal(f.ns1.received(RequestCode.ADD_WRITE_PERM_OF_BROKER).length, 0);
});

test('KV config: put/delete on every NameServer, get/list from one; not found is undefined / {}', async () => {
  for (const ns of [f.ns1, f.ns2]) {
    ns.on(RequestCode.PUT_KV_CONFIG, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
    ns.on(RequestCode.DELETE_KV_CONFIG, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
    ns.reply(RequestCode.GET_KV_CONFIG, undefined, undefined, ResponseCode.QUERY_NOT_FOUND, 'No config item');
    ns.reply(RequestCode.GET_KVLIST_BY_NAMESPACE, undefined, serializeKVTable({ table: { k1: 'v1' } }));
  }
  await f.admin.putKvConfig('NS', 'k', 'v');
  await f.admin.deleteKvConfig('NS', 'k');
  for (const ns of [f.ns1, f.ns2]) {
    assert.deepEqual(ns.received(RequestCode.PUT_KV_CONFIG).at(-1)?.extFields, { namespace: 'NS', key: 'k', value: 'v' });
    assert.deepEqual(ns.received(RequestCode.DELETE_KV_CONFIG).at(-1)?.extFields, { namespace: 'NS', key: 'k' });
  }
  assert.equal(await f.admin.getKvConfig('NS', 'k'), undefined);
  assert.deepEqual(await f.admin.getKvList('NS'), { k1: 'v1' });
  for (const ns of [f.ns1, f.ns2]) ns.reply(RequestCode.GET_KV_CONFIG, { value: 'v9' });
  assert.equal(await f.admin.getKvConfig('NS', 'k'), 'v9');
  f.ns2.reply(RequestCode.PUT_KV_CONFIG, undefined, undefined, ResponseCode.SYSTEM_ERROR, 'disk full');
  await assert.rejects(f.admin.putKvConfig('NS', 'k', 'v'), (e: unknown) => e instanceof RocketMQError && e.responseCode === 1 && e.message.includes(f.ns2.address));
});

test('getNamesrvConfig / updateNamesrvConfig: per NameServer properties', async () => {
  f.ns1.reply(RequestCode.GET_NAMESRV_CONFIG, undefined, 'listenPort=9876\norderMessageEnable=false\n');
  f.ns2.reply(RequestCode.GET_NAMESRV_CONFIG, undefined, 'listenPort=9877\n');
  assert.deepEqual(await f.admin.getNamesrvConfig(), {
    [f.ns1.address]: { listenPort: '9876', orderMessageEnable: 'false' },
    [f.ns2.address]: { listenPort: '9877' },
  });
  for (const ns of [f.ns1, f.ns2]) ns.on(RequestCode.UPDATE_NAMESRV_CONFIG, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
  await f.admin.updateNamesrvConfig({ orderMessageEnable: true });
  for (const ns of [f.ns1, f.ns2]) assert.equal(ns.received(RequestCode.UPDATE_NAMESRV_CONFIG).at(-1)?.body?.toString(), 'orderMessageEnable=true\n');
});
