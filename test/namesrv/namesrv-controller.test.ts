// Real TCP: NameServers on 127.0.0.1 port 0, simulated brokers and clients through the real RemotingClient.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { NamesrvController } from '../../src/namesrv/namesrv-controller.ts';
import { RemotingClient } from '../../src/remoting/transport/remoting-client.ts';
import { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../src/remoting/protocol/response-code.ts';
import { parseTopicRouteData } from '../../src/remoting/protocol/body/topic-route-data.ts';
import { parseClusterInfo } from '../../src/remoting/protocol/body/cluster-info.ts';
import { registerRequest, tempDir, uniq } from './namesrv-test-helpers.ts';
import type { BrokerSpec } from './namesrv-test-helpers.ts';

const TIMEOUT = 3000;

async function startNamesrv(dir: string, name: string, now?: () => number): Promise<NamesrvController> {
  const ctrl = new NamesrvController({
    config: {
      listenPort: 0, bindAddress: '127.0.0.1',
      kvConfigPath: join(dir, name, 'kvConfig.json'), configStorePath: join(dir, name, 'namesrv.properties'),
    },
    now,
  });
  await ctrl.start();
  return ctrl;
}

const addrOf = (c: NamesrvController): string => `127.0.0.1:${c.port}`;

function routeRequest(topic: string): RemotingCommand {
  return RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
}

/** Resolve when `cond()` holds; polls on the event loop (no fixed sleeps, bounded). */
async function eventually(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
    if (i > 100) await new Promise((r) => setTimeout(r, 5));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

test('several brokers register with two independent NameServers; clients get the same routes from both', async (t) => {
  const { dir, cleanup } = tempDir('namesrv-tcp');
  const ns1 = await startNamesrv(dir, 'ns1');
  const ns2 = await startNamesrv(dir, 'ns2');
  const brokerClients: RemotingClient[] = [];
  const client = new RemotingClient();
  t.after(async () => {
    await client.shutdown();
    for (const b of brokerClients) await b.shutdown();
    await ns1.shutdown();
    await ns2.shutdown();
    cleanup();
  });

  const topic = uniq('TopicShared');
  const cluster = uniq('Cluster');
  const brokers: BrokerSpec[] = [
    { cluster, brokerName: 'broker-a', brokerAddr: '10.1.0.1:10911', topics: { [topic]: { readQueueNums: 4, writeQueueNums: 4 }, OnlyA: {} } },
    { cluster, brokerName: 'broker-a', brokerAddr: '10.1.0.2:10911', brokerId: 1, topics: { [topic]: {}, OnlyA: {} } },
    { cluster, brokerName: 'broker-b', brokerAddr: '10.1.0.3:10911', topics: { [topic]: { readQueueNums: 8, writeQueueNums: 8 }, OnlyB: {} } },
  ];
  for (const b of brokers) {
    const bc = new RemotingClient();
    brokerClients.push(bc);
    for (const ns of [ns1, ns2]) {
      const res = await bc.invoke(addrOf(ns), registerRequest(b), TIMEOUT);
      assert.equal(res.code, ResponseCode.SUCCESS, res.remark);
      if (b.brokerId === 1) assert.deepEqual(res.extFields, { masterAddr: '10.1.0.1:10911', haServerAddr: '10.1.0.1:10912' });
    }
  }

  for (const ns of [ns1, ns2]) {
    const res = await client.invoke(addrOf(ns), routeRequest(topic), TIMEOUT);
    assert.equal(res.code, ResponseCode.SUCCESS);
    const text = res.body?.toString('utf8') ?? '';
    assert.doesNotMatch(text, /\s/);
    JSON.parse(text);
    const route = parseTopicRouteData(res.body);
    assert.deepEqual(route.brokerDatas.map((b) => [b.brokerName, b.brokerAddrs]).sort(), [
      ['broker-a', { 0: '10.1.0.1:10911', 1: '10.1.0.2:10911' }],
      ['broker-b', { 0: '10.1.0.3:10911' }],
    ]);
    assert.deepEqual(route.queueDatas.map((q) => [q.brokerName, q.writeQueueNums]).sort(), [['broker-a', 4], ['broker-b', 8]]);
    const ci = parseClusterInfo((await client.invoke(addrOf(ns), RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO), TIMEOUT)).body);
    assert.deepEqual(ci.clusterAddrTable[cluster].sort(), ['broker-a', 'broker-b']);
    const stats = ns.stats();
    assert.equal(stats.brokers, 3);
    assert.equal(stats.topics, 3);
    assert.equal(stats.registrationsTotal, 3);
    assert.equal(stats.routeQueriesTotal, 1);
    assert.equal(stats.connections, 4); // three brokers + one client
  }

  const missing = await client.invoke(addrOf(ns1), routeRequest('NoSuchTopic'), TIMEOUT);
  assert.equal(missing.code, ResponseCode.TOPIC_NOT_EXIST);
  assert.match(missing.remark ?? '', /^No topic route info in name server for the topic: NoSuchTopic/);

  // Broker b's connection closes: both NameServers drop it at once; OnlyB disappears, the shared topic keeps broker-a.
  await brokerClients[2].shutdown();
  for (const ns of [ns1, ns2]) {
    await eventually(() => ns.routes.pickupTopicRouteData('OnlyB') === undefined, 'broker-b removed on close');
    const route = ns.routes.pickupTopicRouteData(topic);
    assert.deepEqual(route?.brokerDatas.map((b) => b.brokerName), ['broker-a']);
    assert.equal(ns.stats().brokers, 2);
  }
});

test('expiry on the scan timer: a silent broker is removed after 120 s, a heartbeating one stays', async (t) => {
  mock.timers.enable({ apis: ['setInterval'] });
  let now = 10_000_000;
  const { dir, cleanup } = tempDir('namesrv-expiry');
  const ns = await startNamesrv(dir, 'ns', () => now);
  const silent = new RemotingClient();
  const chatty = new RemotingClient();
  t.after(async () => {
    await silent.shutdown();
    await chatty.shutdown();
    await ns.shutdown();
    mock.timers.reset();
    cleanup();
  });
  const silentTopic = uniq('Silent');
  const chattyTopic = uniq('Chatty');
  const s: BrokerSpec = { cluster: 'C', brokerName: 'silent', brokerAddr: '10.2.0.1:10911', topics: { [silentTopic]: {}, s2: {} } };
  const c: BrokerSpec = { cluster: 'C', brokerName: 'chatty', brokerAddr: '10.2.0.2:10911', topics: { [chattyTopic]: {}, c2: {} } };
  assert.equal((await silent.invoke(addrOf(ns), registerRequest(s), TIMEOUT)).code, ResponseCode.SUCCESS);
  assert.equal((await chatty.invoke(addrOf(ns), registerRequest(c), TIMEOUT)).code, ResponseCode.SUCCESS);

  for (let elapsed = 0; elapsed < 125_000; elapsed += 5_000) {
    now += 5_000;
    if (elapsed % 30_000 === 0) {
      const hb = RemotingCommand.request(RequestCode.BROKER_HEARTBEAT, { clusterName: 'C', brokerAddr: c.brokerAddr, brokerName: 'chatty' });
      assert.equal((await chatty.invoke(addrOf(ns), hb, TIMEOUT)).code, ResponseCode.SUCCESS);
    }
    mock.timers.tick(5_000); // one scanNotActiveBroker pass
  }
  assert.equal(ns.routes.pickupTopicRouteData(silentTopic), undefined);
  assert.ok(ns.routes.pickupTopicRouteData(chattyTopic));
  const res = await chatty.invoke(addrOf(ns), routeRequest(silentTopic), TIMEOUT);
  assert.equal(res.code, ResponseCode.TOPIC_NOT_EXIST);
  // The expired broker's connection was closed by the NameServer.
  assert.equal(ns.stats().connections, 1);
});

test('KV config survives a NameServer restart (kvConfig.json)', async (t) => {
  const { dir, cleanup } = tempDir('namesrv-kv');
  const client = new RemotingClient();
  let ns = await startNamesrv(dir, 'ns');
  t.after(async () => {
    await client.shutdown();
    await ns.shutdown();
    cleanup();
  });
  const key = uniq('TopicOrder');
  const put = RemotingCommand.request(RequestCode.PUT_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key, value: 'broker-a:8' });
  assert.equal((await client.invoke(addrOf(ns), put, TIMEOUT)).code, ResponseCode.SUCCESS);
  await ns.shutdown();
  ns = await startNamesrv(dir, 'ns');
  const get = RemotingCommand.request(RequestCode.GET_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key });
  const res = await client.invoke(addrOf(ns), get, TIMEOUT);
  assert.equal(res.code, ResponseCode.SUCCESS);
  assert.deepEqual(res.extFields, { value: 'broker-a:8' });
});

test('an unsupported code gets 3 from the framework; start twice is refused; shutdown is idempotent', async (t) => {
  const { dir, cleanup } = tempDir('namesrv-misc');
  const ns = await startNamesrv(dir, 'ns');
  const client = new RemotingClient();
  t.after(async () => {
    await client.shutdown();
    await ns.shutdown();
    cleanup();
  });
  const res = await client.invoke(addrOf(ns), RemotingCommand.request(RequestCode.SEND_MESSAGE), TIMEOUT);
  assert.equal(res.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  await assert.rejects(ns.start(), /cannot start: it is running/);
  await ns.shutdown();
  await ns.shutdown();
});
