// GET_CONSUMER_CONNECTION_LIST 203 / GET_PRODUCER_CONNECTION_LIST 204 / INVOKE_BROKER_TO_RESET_OFFSET 222 (+ the
// RESET_CONSUMER_CLIENT_OFFSET 220 push) / GET_CONSUMER_RUNNING_INFO 307 relay, over real TCP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConsumerConnection, parseProducerConnection } from '../../../src/remoting/protocol/body/connection.ts';
import { parseResetOffsetBody } from '../../../src/remoting/protocol/body/reset-offset-body.ts';
import {
  GetConsumerConnectionListRequestHeader,
  GetConsumerRunningInfoRequestHeader,
  GetProducerConnectionListRequestHeader,
  ResetOffsetRequestHeader,
} from '../../../src/remoting/protocol/headers/admin-headers.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { RemotingClient } from '../../../src/remoting/transport/remoting-client.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition not reached');
}

test('consumer and producer connection lists; 206 / 1 when nobody is connected', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_conn');
    const group = uniq('G_conn');
    const pg = uniq('PG_conn');
    h.createTopic(topic);
    assert.equal((await h.heartbeat('cid-conn', { group, topic, subString: 'a || b' }, pg)).code, ResponseCode.SUCCESS);

    const c = await h.invoke(RequestCode.GET_CONSUMER_CONNECTION_LIST, GetConsumerConnectionListRequestHeader.encode({ consumerGroup: group }));
    assert.equal(c.code, ResponseCode.SUCCESS, c.remark);
    const cc = parseConsumerConnection(c.body);
    assert.equal(cc.connectionSet.length, 1);
    assert.equal(cc.connectionSet[0]?.clientId, 'cid-conn');
    assert.equal(cc.connectionSet[0]?.language, 'JAVA');
    assert.match(cc.connectionSet[0]?.clientAddr ?? '', /^127\.0\.0\.1:\d+$/);
    assert.ok((cc.connectionSet[0]?.version ?? 0) > 0);
    assert.equal(cc.consumeType, 'CONSUME_PASSIVELY');
    assert.equal(cc.messageModel, 'CLUSTERING');
    assert.equal(cc.consumeFromWhere, 'CONSUME_FROM_LAST_OFFSET');
    assert.deepEqual(cc.subscriptionTable[topic]?.tagsSet, ['a', 'b']);
    assert.equal(cc.subscriptionTable[topic]?.subString, 'a || b');

    const p = await h.invoke(RequestCode.GET_PRODUCER_CONNECTION_LIST, GetProducerConnectionListRequestHeader.encode({ producerGroup: pg }));
    assert.equal(p.code, ResponseCode.SUCCESS, p.remark);
    assert.deepEqual(parseProducerConnection(p.body).connectionSet.map((x) => x.clientId), ['cid-conn']);

    const noConsumer = await h.invoke(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: uniq('G_none') });
    assert.equal(noConsumer.code, ResponseCode.CONSUMER_NOT_ONLINE);
    assert.match(noConsumer.remark ?? '', /not online/);
    const noProducer = await h.invoke(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: uniq('PG_none') });
    assert.equal(noProducer.code, ResponseCode.SYSTEM_ERROR);
    assert.match(noProducer.remark ?? '', /not exist/);
    const noHeader = await h.invoke(RequestCode.GET_CONSUMER_CONNECTION_LIST);
    assert.equal(noHeader.code, ResponseCode.SYSTEM_ERROR);
    assert.match(noHeader.remark ?? '', /consumerGroup/);
  } finally {
    await h.close();
  }
});

test('INVOKE_BROKER_TO_RESET_OFFSET: offsets by time committed, 220 pushed to the consumer, ResetOffsetBody returned', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_reset');
    const group = uniq('G_reset');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    for (let i = 0; i < 5; i++) await h.send(topic, `m${i}`, { queueId: 0 });
    h.dispatch();
    // Reset to the store time of message #3: the first message stored at/after it (#3, or earlier in the same ms).
    const store = h.broker.store;
    const now = store.getMessageStoreTimeStamp(topic, 0, 3);
    let expected = 0;
    while (store.getMessageStoreTimeStamp(topic, 0, expected) < now) expected++;
    assert.ok(expected <= 3);
    const pushes: RemotingCommand[] = [];
    h.client.registerHandler(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, (req) => {
      pushes.push(req);
      return null;
    });
    assert.equal((await h.heartbeat('cid-reset', { group, topic })).code, ResponseCode.SUCCESS);
    h.broker.consumerOffsetManager.commitOffset('test', group, topic, 0, 5);

    const r = await h.invoke(
      RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
      ResetOffsetRequestHeader.encode({ topic, group, queueId: -1, offset: -1, timestamp: now, isForce: true }),
    );
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    assert.match(r.body?.toString('utf8') ?? '', /^\{"offsetTable":\{\{"brokerName":"broker-t","queueId":0,"topic":/);
    const body = parseResetOffsetBody(r.body);
    assert.deepEqual(body.offsetTable.map(([mq, o]) => [mq.queueId, o]), [[0, expected], [1, 0]]);
    assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), expected);

    await until(() => pushes.length === 1);
    const push = pushes[0];
    assert.ok(push?.isOneway);
    assert.equal(push?.ext('topic'), topic);
    assert.equal(push?.ext('group'), group);
    assert.equal(push?.ext('timestamp'), String(now));
    assert.deepEqual(parseResetOffsetBody(push?.body).offsetTable.map(([mq, o]) => [mq.queueId, o]), [[0, expected], [1, 0]]);

    // Not forced: an offset only moves back. To "latest" (timestamp −1) would move it forward → it stays.
    const nf = await h.invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp: -1, isForce: false });
    assert.equal(nf.code, ResponseCode.SUCCESS, nf.remark);
    assert.equal(parseResetOffsetBody(nf.body).offsetTable[0]?.[1], expected);
    const forced = await h.invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp: -1, isForce: true });
    assert.equal(parseResetOffsetBody(forced.body).offsetTable[0]?.[1], 5);
    // 5.x: one queue to an explicit offset.
    const one = await h.invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, queueId: 0, offset: 1, timestamp: 0, isForce: true });
    assert.equal(one.code, ResponseCode.SUCCESS, one.remark);
    assert.deepEqual(parseResetOffsetBody(one.body).offsetTable.map(([mq, o]) => [mq.queueId, o]), [[0, 1]]);
    assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), 1);
  } finally {
    await h.close();
  }
});

test('INVOKE_BROKER_TO_RESET_OFFSET: offline group succeeds without a push; bad input codes', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_reset2');
    const group = uniq('G_reset2');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    await h.send(topic, 'x', { queueId: 0 });
    h.dispatch();
    h.broker.consumerOffsetManager.commitOffset('test', group, topic, 0, 1);
    const ok = await h.invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp: 0, isForce: true });
    assert.equal(ok.code, ResponseCode.SUCCESS, ok.remark);
    assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), 0);

    const cases: Array<[string, Record<string, unknown>, number, RegExp]> = [
      ['unknown topic', { topic: uniq('T_x'), group, timestamp: 0, isForce: true }, ResponseCode.TOPIC_NOT_EXIST, /no topic/],
      ['unknown group', { topic, group: uniq('G_x'), timestamp: 0, isForce: true }, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, /does not exist/],
      ['queue out of range', { topic, group, queueId: 5, timestamp: 0, isForce: true }, ResponseCode.INVALID_PARAMETER, /queueId 5/],
      ['offset out of range', { topic, group, queueId: 0, offset: 9, timestamp: 0, isForce: true }, ResponseCode.INVALID_PARAMETER, /not in consume queue range/],
      ['no isForce', { topic, group, timestamp: 0 }, ResponseCode.SYSTEM_ERROR, /isForce/],
    ];
    for (const [what, ext, code, remark] of cases) {
      const r = await h.invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, ext);
      assert.equal(r.code, code, `${what}: ${r.remark ?? ''}`);
      assert.match(r.remark ?? '', remark, what);
    }
  } finally {
    await h.close();
  }
});

test('GET_CONSUMER_RUNNING_INFO is relayed to the consumer connection and its reply returned; 206 when offline', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  const admin = new RemotingClient();
  try {
    const topic = uniq('T_run');
    const group = uniq('G_run');
    h.createTopic(topic);
    const seen: RemotingCommand[] = [];
    const info = '{"jstack":"","mqTable":{{"brokerName":"broker-t","queueId":0,"topic":"t"}:{"cachedMsgCount":0}},"properties":{"PROP_CONSUME_TYPE":"CONSUME_PASSIVELY"}}';
    h.client.registerHandler(RequestCode.GET_CONSUMER_RUNNING_INFO, (req) => {
      seen.push(req);
      return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, { fromClient: 'yes' }, Buffer.from(info));
    });
    assert.equal((await h.heartbeat('cid-run', { group, topic })).code, ResponseCode.SUCCESS);

    const ext = GetConsumerRunningInfoRequestHeader.encode({ consumerGroup: group, clientId: 'cid-run', jstackEnable: true });
    const r = await admin.invoke(h.brokerAddr, RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO, ext), 5000);
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    assert.equal(r.body?.toString('utf8'), info);
    assert.equal(r.ext('fromClient'), 'yes');
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.ext('jstackEnable'), 'true');
    assert.equal(seen[0]?.ext('clientId'), 'cid-run');

    // A client error code is relayed as is.
    h.client.registerHandler(RequestCode.GET_CONSUMER_RUNNING_INFO, (req) => RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, 'busy'));
    const err = await admin.invoke(h.brokerAddr, RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO, ext), 5000);
    assert.deepEqual([err.code, err.remark], [ResponseCode.SYSTEM_ERROR, 'busy']);

    const offline = await admin.invoke(
      h.brokerAddr,
      RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO, GetConsumerRunningInfoRequestHeader.encode({ consumerGroup: group, clientId: 'cid-gone' })),
      5000,
    );
    assert.equal(offline.code, ResponseCode.CONSUMER_NOT_ONLINE);
    assert.match(offline.remark ?? '', /cid-gone.*not online/);
    const bad = await admin.invoke(h.brokerAddr, RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: group }), 5000);
    assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
    assert.match(bad.remark ?? '', /clientId/);
  } finally {
    await admin.shutdown();
    await h.close();
  }
});

test('a C++ consumer gets the 220 push in the list form (ResetOffsetBodyForC)', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  const cpp = new RemotingClient();
  try {
    const topic = uniq('T_cpp');
    const group = uniq('G_cpp');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const pushes: RemotingCommand[] = [];
    cpp.registerHandler(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, (req) => {
      pushes.push(req);
      return null;
    });
    const hb = {
      clientID: 'cid-cpp',
      producerDataSet: [],
      consumerDataSet: [{ groupName: group, consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', subscriptionDataSet: [{ topic, subString: '*' }] }],
    };
    const req = new RemotingCommand({ code: RequestCode.HEART_BEAT, language: 'CPP', opaque: 77_000, extFields: {}, body: Buffer.from(JSON.stringify(hb)) });
    assert.equal((await cpp.invoke(h.brokerAddr, req, 5000)).code, ResponseCode.SUCCESS);
    const r = await h.invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp: -1, isForce: true });
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    await until(() => pushes.length === 1);
    assert.deepEqual(JSON.parse(pushes[0]?.body?.toString('utf8') ?? '{}'), {
      offsetTable: [{ brokerName: 'broker-t', queueId: 0, topic, offset: 0 }],
    });
  } finally {
    await cpp.shutdown();
    await h.close();
  }
});

test('a reset by time reaches a consumer that ignores 220 (ali-ons): its next pull gets 21 with the reset offset, once', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_reset3');
    const group = uniq('G_reset3');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    for (let i = 0; i < 4; i++) await h.send(topic, `m${i}`, { queueId: 0 });
    h.dispatch();
    h.broker.consumerOffsetManager.commitOffset('test', group, topic, 0, 4);
    const r = await h.invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp: 0, isForce: true });
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);

    // The consumer still believes it is at 4 and piggy-backs that commit: the reset wins and is handed over.
    const moved = await h.pull({ topic, consumerGroup: group, queueOffset: 4, sysFlag: 1 | 4, commitOffset: 4 });
    assert.equal(moved.code, ResponseCode.PULL_OFFSET_MOVED, moved.remark);
    assert.equal(moved.remark, 'OFFSET_RESET');
    assert.equal(moved.ext('nextBeginOffset'), '0');
    assert.equal(moved.ext('maxOffset'), '4');
    assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), 0, 'stale piggy-back commit not applied');

    const again = await h.pull({ topic, consumerGroup: group, queueOffset: 0 });
    assert.equal(again.code, ResponseCode.SUCCESS, 'the reset is handed over only once');
    assert.equal(again.ext('nextBeginOffset'), '4');
  } finally {
    await h.close();
  }
});

test('a reset answers the group\'s long-polling pull at once with 21 and the reset offset', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_reset4');
    const group = uniq('G_reset4');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    for (let i = 0; i < 3; i++) await h.send(topic, `m${i}`, { queueId: 0 });
    h.dispatch();
    h.broker.consumerOffsetManager.commitOffset('test', group, topic, 0, 3);
    // Parked for up to 60 s: caught up at offset 3.
    const parked = h.pull({ topic, consumerGroup: group, queueOffset: 3, sysFlag: 2 | 4, suspendTimeoutMillis: 60_000 }, 30_000);
    for (let i = 0; i < 100 && h.broker.pullMessageProcessor.hold.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(h.broker.pullMessageProcessor.hold.size, 1, 'the pull is held');
    const r = await h.invoke(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp: 0, isForce: true });
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    const answered = await parked;
    assert.equal(answered.code, ResponseCode.PULL_OFFSET_MOVED, answered.remark);
    assert.equal(answered.ext('nextBeginOffset'), '0');
    assert.equal(h.broker.pullMessageProcessor.hold.size, 0);
  } finally {
    await h.close();
  }
});
