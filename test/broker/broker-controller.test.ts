// BrokerController end to end through the raw protocol: both ports serve, NameServer registration (at start, on topic
// change, unregister at shutdown), send → pull round trip, messages and offsets survive a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../src/remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import { parseTopicRouteData } from '../../src/remoting/protocol/body/topic-route-data.ts';
import { BrokerHarness, decodeBody, uniq } from '../integration/broker-harness.ts';

async function route(h: BrokerHarness, topic: string): Promise<RemotingCommand> {
  return h.invoke(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }, undefined, h.namesrvAddr);
}

async function waitFor(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('broker registers with the NameServer at start, again on topic change, and unregisters at shutdown', async () => {
  const h = await BrokerHarness.start();
  try {
    const tbw = await route(h, 'TBW102');
    assert.equal(tbw.code, ResponseCode.SUCCESS, tbw.remark);
    const data = parseTopicRouteData(tbw.body);
    assert.equal(data.brokerDatas[0].brokerAddrs['0'], h.brokerAddr);
    assert.equal(data.brokerDatas[0].brokerName, 'broker-t');

    const topic = uniq('T_reg');
    assert.equal((await route(h, topic)).code, ResponseCode.TOPIC_NOT_EXIST);
    h.createTopic(topic, { readQueueNums: 3, writeQueueNums: 3 });
    await waitFor('topic route', async () => (await route(h, topic)).code === ResponseCode.SUCCESS);
    const r = parseTopicRouteData((await route(h, topic)).body);
    assert.equal(r.queueDatas[0].writeQueueNums, 3);

    await h.broker.shutdown();
    assert.equal((await route(h, topic)).code, ResponseCode.TOPIC_NOT_EXIST, 'unregistered at shutdown');
  } finally {
    await h.close();
  }
});

test('main and VIP port both serve requests; a send is pulled back byte-exact', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const vip = h.broker.vipPort;
    assert.ok(vip !== undefined && vip > 0 && vip !== h.broker.port);
    const topic = uniq('T_rt');
    h.createTopic(topic);
    const sent = await h.send(topic, 'hello-0102030405', { tags: 'TagA', keys: 'k1 k2', queueId: 1 });
    assert.equal(sent.code, ResponseCode.SUCCESS, sent.remark);
    assert.equal(sent.ext('queueId'), '1');
    assert.equal(sent.ext('queueOffset'), '0');
    assert.match(sent.ext('msgId') ?? '', /^7F000001[0-9A-F]{24}$/);
    assert.equal(sent.ext('MSG_REGION'), 'DefaultRegion');
    assert.equal(sent.ext('TRACE_ON'), 'true');
    assert.match(sent.ext('transactionId') ?? '', /^[0-9A-F]{32}$/);

    const maxViaVip = await h.invoke(RequestCode.GET_MAX_OFFSET, { topic, queueId: 1 }, undefined, `127.0.0.1:${vip}`);
    assert.equal(maxViaVip.code, ResponseCode.SUCCESS);
    assert.equal(maxViaVip.ext('offset'), '1');

    const pulled = await h.pull({ topic, consumerGroup: uniq('G_rt'), queueId: 1 });
    assert.equal(pulled.code, ResponseCode.SUCCESS, pulled.remark);
    assert.equal(pulled.remark, 'FOUND');
    assert.equal(pulled.ext('nextBeginOffset'), '1');
    const [m] = decodeBody(pulled);
    assert.equal(m.body.toString(), 'hello-0102030405');
    assert.equal(m.topic, topic);
    assert.equal(m.properties.TAGS, 'TagA');
    assert.equal(m.properties.KEYS, 'k1 k2');
    assert.equal(m.properties.CLUSTER, 'ClusterT');
    assert.equal(m.msgId, sent.ext('msgId'));
    assert.equal(m.storeHost.address, '127.0.0.1');
    assert.equal(m.storeHost.port, h.broker.port);
    assert.equal(m.bornHost.address, '127.0.0.1');
  } finally {
    await h.close();
  }
});

test('messages, consumer offsets and topics survive a broker restart', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_restart');
    const group = uniq('G_restart');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    for (let i = 0; i < 5; i++) assert.equal((await h.send(topic, `m${i}`)).code, ResponseCode.SUCCESS);
    const upd = await h.invoke(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: 0, commitOffset: 3 });
    assert.equal(upd.code, ResponseCode.SUCCESS, upd.remark);

    await h.restartBroker();

    assert.ok(h.broker.topicConfigManager.selectTopicConfig(topic));
    const q = await h.invoke(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: 0 });
    assert.equal(q.code, ResponseCode.SUCCESS);
    assert.equal(q.ext('offset'), '3');
    const pulled = await h.pull({ topic, consumerGroup: group, queueOffset: 3 });
    assert.equal(pulled.code, ResponseCode.SUCCESS, pulled.remark);
    assert.deepEqual(decodeBody(pulled).map((m) => m.body.toString()), ['m3', 'm4']);
    const sent = await h.send(topic, 'm5');
    assert.equal(sent.ext('queueOffset'), '5', 'queue offsets continue after restart');
  } finally {
    await h.close();
  }
});
