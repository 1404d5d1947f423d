// One of two NameServers down: the broker registers with both; a producer and a consumer are configured with both
// (the first in their list is the one that goes down). After it stops, sends and consumption go on: cached routes
// keep working, route refreshes and the lookup of a topic created after the stop go to the second NameServer (only
// it knows that topic, so a successful lookup proves the fail-over), and a consumer started afterwards joins fine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PushConsumer } from '../../../src/client/consumer/push-consumer.ts';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';
import { DeliveryLog, clientOf, startProducer, waitFor } from './e2e-helpers.ts';

async function startNamesrv(dir: string, name: string): Promise<NamesrvController> {
  const ns = new NamesrvController({
    config: {
      listenPort: 0,
      bindAddress: '127.0.0.1',
      kvConfigPath: join(dir, name, 'kvConfig.json'),
      configStorePath: join(dir, name, 'namesrv.properties'),
    },
  });
  await ns.start();
  return ns;
}

function refused(addr: string): Promise<boolean> {
  const [host, port] = addr.split(':');
  return new Promise((resolve) => {
    const s = connect(Number(port), host);
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

test('two NameServers, the first one stops: sends, consumption and new route lookups continue', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-ts-e2e-ns-'));
  const ns1 = await startNamesrv(dir, 'ns1');
  const ns2 = await startNamesrv(dir, 'ns2');
  const addr1 = `127.0.0.1:${ns1.port}`;
  const addr2 = `127.0.0.1:${ns2.port}`;
  let ns1Running = true;
  const h = await BrokerHarness.start({ namesrv: false, brokerConfig: { namesrvAddr: `${addr1};${addr2}` } });
  const both = [addr1, addr2];
  const producer = await startProducer(`${addr1};${addr2}`, { pollNameServerInterval: 500 });
  const consumers: PushConsumer[] = [];
  try {
    const topicA = uniq('E2E_NSA');
    const topicB = uniq('E2E_NSB');
    const group = uniq('CG_NS');
    h.createTopic(topicA);
    await h.broker.registerBrokerAll();
    const logA = new DeliveryLog();
    const logB = new DeliveryLog();
    const consumerOf = (name: string, topic: string, log: DeliveryLog, g: string): PushConsumer => {
      const c = new PushConsumer({
        ...clientOf(both, name),
        group: g,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        pollNameServerInterval: 500,
        brokerSuspendMaxTimeMillis: 1000,
        rebalanceInterval: 1000,
      });
      c.subscribe(topic).onMessage((msgs) => {
        for (const m of msgs) log.record(m.body.toString());
      });
      consumers.push(c);
      return c;
    };
    const cA = consumerOf('cA', topicA, logA, group);
    await cA.start();
    for (let i = 0; i < 20; i++) await producer.send({ topic: topicA, body: `a-${i}` });
    await waitFor('phase 1 consumed', () => logA.unique === 20);

    await ns1.shutdown();
    ns1Running = false;
    assert.ok(await refused(addr1), 'the first NameServer no longer accepts connections');

    // Cached routes: sends and consumption of topic A go on; a route refresh fails over to ns2.
    for (let i = 20; i < 40; i++) await producer.send({ topic: topicA, body: `a-${i}` });
    await producer.clientInstance?.refreshRoutes();
    assert.ok(producer.clientInstance?.topicRoute(topicA) !== undefined, 'route of A still known after a refresh');
    for (let i = 40; i < 60; i++) await producer.send({ topic: topicA, body: `a-${i}` });
    await waitFor('topic A consumed through the stop', () => logA.unique === 60, 15_000, () => `${logA.unique}/60`);

    // A topic created after the stop is registered with ns2 only: looking it up must go to ns2.
    h.createTopic(topicB);
    await h.broker.registerBrokerAll();
    const route = await producer.clientInstance?.fetchTopicRoute(topicB);
    assert.ok(route !== undefined && route.queueDatas.length > 0, 'ns2 answered the lookup of topic B');
    const cB = consumerOf('cB', topicB, logB, uniq('CG_NSB'));
    await cB.start();
    for (let i = 0; i < 30; i++) await producer.send({ topic: topicB, body: `b-${i}` });
    await waitFor('topic B consumed by a consumer started after the stop', () => logB.unique === 30, 15_000, () => `${logB.unique}/30`);
    assert.ok(cB.assignedQueues().some((q) => q.topic === topicB), 'cB owns queues of topic B');
  } finally {
    for (const c of consumers) await c.shutdown();
    await producer.shutdown();
    await h.close();
    if (ns1Running) await ns1.shutdown();
    await ns2.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});
