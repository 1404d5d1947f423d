// HEART_BEAT 34 / UNREGISTER_CLIENT 35 / GET_CONSUMER_LIST_BY_GROUP 38 over the wire: the retry topic is created and
// routed by the NameServer at once (§12.13), members are listed, NOTIFY_CONSUMER_IDS_CHANGED reaches the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RemotingClient } from '../../../src/remoting/transport/remoting-client.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';

async function until(cond: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition not reached');
}

test('consumer heartbeat creates %RETRY%<group> and the NameServer routes it right away', async () => {
  const h = await BrokerHarness.start();
  try {
    const group = uniq('G_hb');
    const topic = uniq('T_hb');
    h.createTopic(topic);
    const r = await h.heartbeat('cid-a', { group, topic }, 'PG_hb');
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    const retry = h.broker.topicConfigManager.selectTopicConfig(`%RETRY%${group}`);
    assert.equal(retry?.readQueueNums, 1);
    assert.equal(retry?.perm, 6);
    assert.ok(h.broker.subscriptionGroupManager.selectSubscriptionGroupConfig(group), 'group auto-created');
    assert.equal(h.broker.producerManager.getProducerConnections('PG_hb').length, 1);
    await until(async () => (await h.invoke(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: `%RETRY%${group}` }, undefined, h.namesrvAddr)).code === 0);
  } finally {
    await h.close();
  }
});

test('GET_CONSUMER_LIST_BY_GROUP lists members; a new member makes the broker notify the others (40, oneway); unregister', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  const second = new RemotingClient();
  try {
    const group = uniq('G_list');
    const topic = uniq('T_list');
    h.createTopic(topic);
    const notified: RemotingCommand[] = [];
    h.client.registerHandler(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (req) => {
      notified.push(req);
      return null;
    });
    assert.equal((await h.heartbeat('cid-1', { group, topic })).code, ResponseCode.SUCCESS);

    const none = await h.invoke(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: uniq('G_empty') });
    assert.equal(none.code, ResponseCode.SYSTEM_ERROR);
    assert.match(none.remark ?? '', /no consumer for this group/);

    // A second connection joins the group.
    const body = {
      clientID: 'cid-2',
      producerDataSet: [],
      consumerDataSet: [{ groupName: group, consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', subscriptionDataSet: [{ topic, subString: '*' }] }],
    };
    const hb2 = await second.invoke(h.brokerAddr, RemotingCommand.request(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body))), 5000);
    assert.equal(hb2.code, ResponseCode.SUCCESS);
    await until(() => notified.length > 0);
    assert.equal(notified[0].ext('consumerGroup'), group);
    assert.ok(notified[0].isOneway);

    const list = await h.invoke(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: group });
    assert.equal(list.code, ResponseCode.SUCCESS);
    assert.deepEqual((JSON.parse(list.body?.toString() ?? '{}') as { consumerIdList: string[] }).consumerIdList.sort(), ['cid-1', 'cid-2']);

    const un = await second.invoke(h.brokerAddr, RemotingCommand.request(RequestCode.UNREGISTER_CLIENT, { clientID: 'cid-2', consumerGroup: group }), 5000);
    assert.equal(un.code, ResponseCode.SUCCESS);
    assert.deepEqual(h.broker.consumerManager.getConsumerIdList(group), ['cid-1']);

    const bad = await h.invoke(RequestCode.HEART_BEAT, {}, Buffer.from('{"clientID":'));
    assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
    const badUnreg = await h.invoke(RequestCode.UNREGISTER_CLIENT, { consumerGroup: group });
    assert.equal(badUnreg.code, ResponseCode.SYSTEM_ERROR);
    assert.match(badUnreg.remark ?? '', /missing required field 'clientID'/);
  } finally {
    await second.shutdown();
    await h.close();
  }
});
