import { after, before, describe, mock, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ClientInstance } from '../../../src/client/instance/client-instance.ts';
import { acquireClientInstance, releaseClientInstance } from '../../../src/client/instance/client-registry.ts';
import type { ConsumerData } from '../../../src/remoting/protocol/body/heartbeat-data.ts';
import { Producer } from '../../../src/client/producer/producer.ts';
import { RocketMQError } from '../../../src/common/errors.ts';
import { encodeFullMessage } from '../../../src/common/message/full-message.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import type { RemotingChannel } from '../../../src/remoting/transport/types.ts';
import { FakeBroker, FakeNamesrv, deadAddress, routeOf, uniqueName, until } from '../helpers.ts';

const ns = new FakeNamesrv();
const ns2 = new FakeNamesrv();
const broker = new FakeBroker('broker-a');
const broker2 = new FakeBroker('broker-b');

before(async () => {
  await Promise.all([ns.start(), ns2.start(), broker.start(), broker2.start()]);
});
after(async () => {
  await Promise.all([ns.shutdown(), ns2.shutdown(), broker.shutdown(), broker2.shutdown()]);
});

function newInstance(t: TestContext, namesrvAddr: string | string[] = ns.address, extra: Record<string, number> = {}): ClientInstance {
  const i = new ClientInstance({ namesrvAddr, instanceName: uniqueName('inst'), clientIP: '127.0.0.1', ...extra });
  t.after(() => i.shutdown());
  return i;
}

function consumerMember(group: string, topic: string, onIds?: () => void): { group: string; topics: () => string[]; consumerData: () => ConsumerData; onConsumerIdsChanged?: () => void } {
  return {
    group,
    topics: () => [topic],
    consumerData: () => ({
      groupName: group,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      subscriptionDataSet: [
        { topic, subString: '*', tagsSet: [], codeSet: [], subVersion: 1, expressionType: 'TAG', classFilterMode: false },
      ],
      unitMode: false,
    }),
    onConsumerIdsChanged: onIds,
  };
}

/** The channel on `b` that belongs to the instance (the only one that sent a heartbeat/send there). */
async function clientChannel(b: FakeBroker, i: ClientInstance, topic: string): Promise<RemotingChannel> {
  i.setTopicRoute(topic, routeOf([{ name: b.name, addr: b.address }]));
  const hb = b.next(RequestCode.HEART_BEAT);
  await i.sendHeartbeatToAllBrokers();
  await hb;
  const chans = [...b.server.channels()];
  assert.ok(chans.length >= 1);
  return chans[chans.length - 1];
}

describe('ClientInstance: NameServer calls', () => {
  test('fetches and caches a route; TOPIC_NOT_EXIST gives undefined and keeps the cache', async (t) => {
    const i = newInstance(t);
    i.start();
    const topic = uniqueName('T');
    assert.equal(await i.fetchTopicRoute(topic), undefined);
    ns.routes.set(topic, routeOf([{ name: broker.name, addr: broker.address }]));
    const r = await i.updateTopicRoute(topic);
    assert.equal(r?.brokerDatas[0].brokerName, broker.name);
    assert.equal(i.findBrokerAddr(broker.name), broker.address);
    ns.routes.delete(topic);
    assert.equal(await i.updateTopicRoute(topic), r);
    assert.equal(i.topicRoute(topic), r);
  });

  test('fails over to the next NameServer when one is down, and sticks with the one that answered', async (t) => {
    const dead = await deadAddress();
    const i = newInstance(t, `${dead};${ns2.address}`);
    i.start();
    const topic = uniqueName('T');
    ns2.routes.set(topic, routeOf([{ name: broker.name, addr: broker.address }]));
    const before = ns2.received(RequestCode.GET_ROUTEINFO_BY_TOPIC).length;
    const r = await i.fetchTopicRoute(topic);
    assert.equal(r?.queueDatas[0].brokerName, broker.name);
    await i.fetchTopicRoute(topic);
    assert.equal(ns2.received(RequestCode.GET_ROUTEINFO_BY_TOPIC).length - before, 2);
  });

  test('every NameServer down: retriable CONNECTION error', async (t) => {
    const i = newInstance(t, [await deadAddress(), await deadAddress()]);
    i.start();
    await assert.rejects(i.fetchTopicRoute('T'), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_CONNECTION' && e.retriable);
  });

  test('calls before start / after shutdown throw NOT_RUNNING', async (t) => {
    const i = newInstance(t);
    await assert.rejects(i.fetchTopicRoute('T'), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_NOT_RUNNING');
    i.start();
    await i.shutdown();
    await assert.rejects(i.fetchTopicRoute('T'), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_NOT_RUNNING');
  });
});

describe('ClientInstance: periodic tasks', () => {
  test('refreshes the routes of members every pollNameServerInterval', async (t) => {
    mock.timers.enable({ apis: ['setInterval'] });
    t.after(() => mock.timers.reset());
    const i = newInstance(t);
    i.start();
    const topic = uniqueName('T');
    ns.routes.set(topic, routeOf([{ name: broker.name, addr: broker.address }]));
    i.registerProducer({ group: uniqueName('PG'), topics: () => [topic] });
    await i.updateTopicRoute(topic);
    assert.equal(i.topicRoute(topic)?.brokerDatas.length, 1);

    ns.routes.set(topic, routeOf([{ name: broker.name, addr: broker.address }, { name: broker2.name, addr: broker2.address }]));
    mock.timers.tick(29_999);
    await new Promise((r) => setImmediate(r));
    assert.equal(i.topicRoute(topic)?.brokerDatas.length, 1, 'no refresh before 30 s');
    mock.timers.tick(1);
    await until(() => i.topicRoute(topic)?.brokerDatas.length === 2, 'route refreshed');
    assert.equal(i.findBrokerAddr(broker2.name), broker2.address);
  });

  test('heartbeats every heartbeatBrokerInterval to masters only with producers, with Java-shaped JSON', async (t) => {
    mock.timers.enable({ apis: ['setInterval'] });
    t.after(() => mock.timers.reset());
    const i = newInstance(t);
    i.start();
    const group = uniqueName('PG');
    const topic = uniqueName('T');
    i.registerProducer({ group, topics: () => [topic] });
    const route = routeOf([{ name: broker.name, addr: broker.address }]);
    route.brokerDatas[0].brokerAddrs['1'] = await deadAddress(); // a slave: not contacted by a producer-only client
    i.setTopicRoute(topic, route);
    const mine = (): RemotingCommand[] =>
      broker.received(RequestCode.HEART_BEAT).filter((r) => (JSON.parse(r.body?.toString() ?? '{}') as { clientID?: string }).clientID === i.clientId);
    await until(() => mine().length === 1, 'heartbeat on new broker');
    mock.timers.tick(30_000);
    await until(() => mine().length === 2, 'periodic heartbeat');
    const body = mine()[1].body?.toString() ?? '';
    assert.equal(
      body,
      JSON.stringify({
        clientID: i.clientId,
        consumerDataSet: [],
        heartbeatFingerprint: 0,
        producerDataSet: [{ groupName: group }, { groupName: 'CLIENT_INNER_PRODUCER' }],
        withoutSub: false,
      }),
    );
    assert.match(i.clientId, /^127\.0\.0\.1@inst_/);
  });

  test('heartbeat with a consumer carries its ConsumerData', async (t) => {
    const i = newInstance(t);
    i.start();
    const group = uniqueName('CG');
    const topic = uniqueName('T');
    i.registerConsumer(consumerMember(group, topic));
    i.setTopicRoute(topic, routeOf([{ name: broker.name, addr: broker.address }]));
    const hb = broker.next(RequestCode.HEART_BEAT);
    await i.sendHeartbeatToAllBrokers();
    const data = JSON.parse((await hb).body?.toString() ?? '') as { consumerDataSet: ConsumerData[]; producerDataSet: unknown[] };
    assert.deepEqual(data.producerDataSet, []);
    assert.equal(data.consumerDataSet.length, 1);
    assert.equal(data.consumerDataSet[0].groupName, group);
    assert.equal(data.consumerDataSet[0].consumeType, 'CONSUME_PASSIVELY');
    assert.equal(data.consumerDataSet[0].subscriptionDataSet[0].topic, topic);
  });

  test('shutdown clears the timers: no request after it', async (t) => {
    mock.timers.enable({ apis: ['setInterval'] });
    t.after(() => mock.timers.reset());
    const i = newInstance(t);
    i.start();
    const topic = uniqueName('T');
    i.registerProducer({ group: uniqueName('PG'), topics: () => [topic] });
    await i.shutdown();
    const before = ns.requests.length;
    mock.timers.tick(120_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(ns.requests.length, before);
  });
});

describe('ClientInstance: server-initiated requests', () => {
  test('NOTIFY_CONSUMER_IDS_CHANGED calls the group hook', async (t) => {
    const i = newInstance(t);
    i.start();
    const group = uniqueName('CG');
    const topic = uniqueName('T');
    let calls = 0;
    i.registerConsumer(consumerMember(group, topic, () => calls++));
    const ch = await clientChannel(broker, i, topic);
    ch.invokeOneway(RemotingCommand.request(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: group }));
    await until(() => calls === 1, 'hook called');
  });

  test('CHECK_TRANSACTION_STATE reaches the producer of the PGROUP with the decoded message', async (t) => {
    const i = newInstance(t);
    i.start();
    const group = uniqueName('PG');
    const topic = uniqueName('T');
    const seen: Array<{ body: string; offset: number; addr: string }> = [];
    i.registerProducer({
      group,
      topics: () => [topic],
      checkTransactionState: (addr, msg, header) => seen.push({ body: msg.body.toString(), offset: header.tranStateTableOffset, addr }),
    });
    const ch = await clientChannel(broker, i, topic);
    const body = encodeFullMessage({
      topic,
      queueId: 0,
      flag: 0,
      queueOffset: 5,
      commitLogOffset: 100,
      sysFlag: 0,
      bornTimestamp: 1,
      bornHost: { address: '127.0.0.1', port: 1 },
      storeTimestamp: 2,
      storeHost: { address: '127.0.0.1', port: 2 },
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
      body: Buffer.from('half'),
      properties: { PGROUP: group, UNIQ_KEY: 'ABC' },
    });
    ch.invokeOneway(
      RemotingCommand.request(RequestCode.CHECK_TRANSACTION_STATE, { tranStateTableOffset: '5', commitLogOffset: '100', msgId: 'ABC' }, body),
    );
    await until(() => seen.length === 1, 'check hook called');
    assert.equal(seen[0].body, 'half');
    assert.equal(seen[0].offset, 5);
  });

  test('other server requests are answered with REQUEST_CODE_NOT_SUPPORTED', async (t) => {
    const i = newInstance(t);
    i.start();
    const topic = uniqueName('T');
    i.registerProducer({ group: uniqueName('PG'), topics: () => [topic] });
    const ch = await clientChannel(broker, i, topic);
    const res = await ch.invoke(RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'g', clientId: 'c' }), 3000);
    assert.equal(res.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  });
});

describe('shared client instances', () => {
  test('producers with the same config share one instance; the last release shuts it down', async () => {
    const cfg = { namesrvAddr: ns.address, instanceName: uniqueName('shared'), clientIP: '127.0.0.1' };
    const a = new Producer({ ...cfg, group: uniqueName('PG') });
    const b = new Producer({ ...cfg, group: uniqueName('PG') });
    await a.start();
    await b.start();
    assert.ok(a.clientInstance);
    assert.equal(a.clientInstance, b.clientInstance);
    const inst = a.clientInstance;
    await a.shutdown();
    assert.equal(inst.running, true);
    await b.shutdown();
    assert.equal(inst.running, false);
  });

  test('two producers of one group on one instance are refused', async () => {
    const cfg = { namesrvAddr: ns.address, instanceName: uniqueName('shared'), clientIP: '127.0.0.1' };
    const group = uniqueName('PG');
    const a = new Producer({ ...cfg, group });
    await a.start();
    await assert.rejects(new Producer({ ...cfg, group }).start(), RocketMQError);
    await a.shutdown();
    assert.equal(a.clientInstance?.running, false);
  });

  test('acquire/release are reference counted', async () => {
    const cfg = { namesrvAddr: ns.address, instanceName: uniqueName('reg'), clientIP: '127.0.0.1' };
    const x = acquireClientInstance(cfg);
    const y = acquireClientInstance(cfg);
    assert.equal(x, y);
    await releaseClientInstance(x);
    assert.equal(x.running, true);
    await releaseClientInstance(y);
    assert.equal(x.running, false);
    const z = acquireClientInstance(cfg);
    assert.notEqual(z, x);
    await releaseClientInstance(z);
  });
});

test('broker address table: routes merge in; an address no cached route lists any more is forgotten', (t) => {
  const i = newInstance(t);
  i.setTopicRoute('TA', routeOf([{ name: 'bx', addr: '10.0.0.1:10911' }]));
  i.setTopicRoute('TB', routeOf([{ name: 'by', addr: '10.0.0.2:10911' }]));
  assert.equal(i.findBrokerAddr('bx'), '10.0.0.1:10911');
  assert.equal(i.findBrokerAddr('by'), '10.0.0.2:10911');
  const withSlave = routeOf([{ name: 'bx', addr: '10.0.0.1:10911' }]);
  withSlave.brokerDatas[0].brokerAddrs['1'] = '10.0.0.3:10911';
  i.setTopicRoute('TA', withSlave);
  assert.equal(i.findBrokerAddr('bx', 1), '10.0.0.3:10911');
  i.setTopicRoute('TA', routeOf([{ name: 'bx', addr: '10.0.0.1:10911' }]));
  assert.equal(i.findBrokerAddr('bx', 1), undefined, 'the slave left the only route that listed it');
  i.setTopicRoute('TB', routeOf([{ name: 'bx', addr: '10.0.0.1:10911' }]));
  assert.equal(i.findBrokerAddr('by'), undefined, 'no route lists broker by any more');
  assert.equal(i.findBrokerAddr('bx'), '10.0.0.1:10911');
  // thousands of routes load without walking all of them each time
  for (let n = 0; n < 5000; n++) i.setTopicRoute(`T${n}`, routeOf([{ name: 'bx', addr: '10.0.0.1:10911' }]));
  assert.equal(i.findBrokerAddr('bx'), '10.0.0.1:10911');
});
