import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RocketMQError } from '../../../src/common/errors.ts';
import { serializeConsumerConnection, serializeProducerConnection } from '../../../src/remoting/protocol/body/connection.ts';
import { serializeConsumeStats } from '../../../src/remoting/protocol/body/consume-stats.ts';
import { serializeGroupList } from '../../../src/remoting/protocol/body/group-list.ts';
import { serializeResetOffsetBody } from '../../../src/remoting/protocol/body/reset-offset-body.ts';
import { serializeTopicStatsTable } from '../../../src/remoting/protocol/body/topic-stats-table.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { routeOf, uniqueName } from '../helpers.ts';
import { AdminFixture } from './admin-fakes.ts';
import type { ScriptedServer } from './admin-fakes.ts';

let f: AdminFixture;
before(async () => {
  f = await AdminFixture.start();
});
after(async () => {
  await f.close();
});

function stats(b: ScriptedServer, topic: string, consumerOffsets: number[]): Buffer {
  return serializeConsumeStats({
    consumeTps: 1.5,
    offsetTable: consumerOffsets.map((c, q) => [{ topic, brokerName: b.name, queueId: q }, { brokerOffset: 10, consumerOffset: c, pullOffset: c, lastTimestamp: 1000 + q }]),
  });
}

test('consumeStats: GET_CONSUME_STATS on every broker of %RETRY%group, rows with lag', async () => {
  const group = uniqueName('G');
  const topic = uniqueName('T');
  f.routeTopic(`%RETRY%${group}`, 1);
  f.brokerA.reply(RequestCode.GET_CONSUME_STATS, undefined, stats(f.brokerA, topic, [4, 10]));
  f.brokerB.reply(RequestCode.GET_CONSUME_STATS, undefined, stats(f.brokerB, topic, [0]));
  const r = await f.admin.consumeStats(group, topic);
  assert.equal(r.group, group);
  assert.equal(r.consumeTps, 3);
  assert.equal(r.totalDiff, 6 + 0 + 10);
  assert.deepEqual(r.rows.map((x) => [x.brokerName, x.queueId, x.consumerOffset, x.diff]), [
    ['broker-a', 0, 4, 6],
    ['broker-a', 1, 10, 0],
    ['broker-b', 0, 0, 10],
  ]);
  assert.deepEqual(f.brokerA.received(RequestCode.GET_CONSUME_STATS).at(-1)?.extFields, { consumerGroup: group, topic });
});

test('consumeStats falls back to the topic route when %RETRY%group has none', async () => {
  const group = uniqueName('G');
  const topic = uniqueName('T');
  f.routeTopic(topic, 1);
  f.brokerA.reply(RequestCode.GET_CONSUME_STATS, undefined, stats(f.brokerA, topic, [1]));
  f.brokerB.reply(RequestCode.GET_CONSUME_STATS, undefined, stats(f.brokerB, topic, [2]));
  assert.equal((await f.admin.consumeStats(group, topic)).rows.length, 2);
  await assert.rejects(f.admin.consumeStats(uniqueName('G')), (e: unknown) => e instanceof RocketMQError && e.responseCode === 17);
});

test('consumerConnection: first broker with connections; none → responseCode 206', async () => {
  const group = uniqueName('G');
  f.routeTopic(`%RETRY%${group}`, 1);
  f.brokerA.reply(RequestCode.GET_CONSUMER_CONNECTION_LIST, undefined, undefined, ResponseCode.CONSUMER_NOT_ONLINE, 'the consumer group not online');
  f.brokerB.reply(RequestCode.GET_CONSUMER_CONNECTION_LIST, undefined, serializeConsumerConnection({
    connectionSet: [{ clientId: 'c1', clientAddr: '127.0.0.1:1', language: 'JAVA', version: 479 }],
    subscriptionTable: { T: { topic: 'T', subString: '*', tagsSet: [], codeSet: [], subVersion: 1, expressionType: 'TAG', classFilterMode: false } },
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  }));
  const cc = await f.admin.consumerConnection(group);
  assert.equal(cc.connectionSet[0].clientId, 'c1');
  assert.equal(cc.messageModel, 'CLUSTERING');
  assert.deepEqual(f.brokerB.received(RequestCode.GET_CONSUMER_CONNECTION_LIST).at(-1)?.extFields, { consumerGroup: group });
  f.brokerB.reply(RequestCode.GET_CONSUMER_CONNECTION_LIST, undefined, '{"connectionSet":[],"subscriptionTable":{}}');
  await assert.rejects(f.admin.consumerConnection(group), (e: unknown) => e instanceof RocketMQError && e.responseCode === 206);
});

test('producerConnection: GET_PRODUCER_CONNECTION_LIST via the topic brokers', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic, 1);
  f.brokerA.reply(RequestCode.GET_PRODUCER_CONNECTION_LIST, undefined, serializeProducerConnection({ connectionSet: [{ clientId: 'p1', clientAddr: 'x:1', language: 'NODE_JS', version: 0 }] }));
  const pc = await f.admin.producerConnection('PG', topic);
  assert.deepEqual(pc.connectionSet.map((c) => c.clientId), ['p1']);
  assert.deepEqual(f.brokerA.received(RequestCode.GET_PRODUCER_CONNECTION_LIST).at(-1)?.extFields, { producerGroup: 'PG' });
  f.brokerA.reply(RequestCode.GET_PRODUCER_CONNECTION_LIST, undefined, '{"connectionSet":[]}');
  f.brokerB.reply(RequestCode.GET_PRODUCER_CONNECTION_LIST, undefined, '{"connectionSet":[]}');
  await assert.rejects(f.admin.producerConnection('PG', topic), /not online/);
});

test('queryTopicConsumeByWho: union of GroupLists', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic, 1);
  f.brokerA.reply(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, undefined, serializeGroupList({ groupList: ['g2', 'g1'] }));
  f.brokerB.reply(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, undefined, serializeGroupList({ groupList: ['g3', 'g1'] }));
  assert.deepEqual(await f.admin.queryTopicConsumeByWho(topic), ['g1', 'g2', 'g3']);
  assert.deepEqual(f.brokerA.received(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO).at(-1)?.extFields, { topic });
});

test('resetOffsetByTime: broker path (222 + ResetOffsetBody) and offline fallback on 206', async () => {
  const group = uniqueName('G');
  const topic = uniqueName('T');
  f.routeTopic(topic, 2);
  // broker-a has the consumer online: it resets and reports the offsets.
  f.brokerA.reply(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, undefined, serializeResetOffsetBody({
    offsetTable: [[{ topic, brokerName: 'broker-a', queueId: 1 }, 8], [{ topic, brokerName: 'broker-a', queueId: 0 }, 7]],
  }));
  // broker-b: nobody online → client computes and writes offsets itself.
  f.brokerB.reply(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, undefined, undefined, ResponseCode.CONSUMER_NOT_ONLINE, 'Consumer not online');
  f.brokerB.reply(RequestCode.GET_CONSUME_STATS, undefined, stats(f.brokerB, topic, [9, 2]));
  f.brokerB.on(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, { offset: req.ext('queueId') === '0' ? '3' : '5' }));
  f.brokerB.on(RequestCode.UPDATE_CONSUMER_OFFSET, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));

  const rows = await f.admin.resetOffsetByTime({ topic, group, timestamp: 1700000000000, force: false });
  assert.deepEqual(f.brokerA.received(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET).at(-1)?.extFields, {
    topic, group, queueId: '-1', offset: '-1', timestamp: '1700000000000', isForce: 'false',
  });
  assert.deepEqual(rows, [
    { topic, brokerName: 'broker-a', queueId: 0, resetOffset: 7, via: 'broker' },
    { topic, brokerName: 'broker-a', queueId: 1, resetOffset: 8, via: 'broker' },
    // queue 0: 3 ≤ committed 9 → rewound; queue 1: 5 > committed 2 and not forced → unchanged.
    { topic, brokerName: 'broker-b', queueId: 0, resetOffset: 3, via: 'offline', brokerOffset: 10, consumerOffset: 9, timestampOffset: 3 },
    { topic, brokerName: 'broker-b', queueId: 1, resetOffset: 2, via: 'offline', brokerOffset: 10, consumerOffset: 2, timestampOffset: 5 },
  ]);
  const updates = f.brokerB.received(RequestCode.UPDATE_CONSUMER_OFFSET).filter((r) => r.ext('consumerGroup') === group);
  assert.deepEqual(updates.map((r) => r.extFields), [{ consumerGroup: group, topic, queueId: '0', commitOffset: '3', bname: 'broker-b' }]);
  assert.equal(updates[0].isOneway, false);
  const search = f.brokerB.received(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP).at(-1);
  assert.equal(search?.ext('timestamp'), '1700000000000');
});

test('resetOffsetByTime offline for a group that never consumed: queues from the topic stats, forced, −1 = max offset', async () => {
  const group = uniqueName('G');
  const topic = uniqueName('T');
  f.routes.set(topic, routeOf([{ name: 'broker-b', addr: f.brokerB.address, queues: 2 }]));
  f.brokerB.reply(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, undefined, undefined, ResponseCode.CONSUMER_NOT_ONLINE);
  f.brokerB.reply(RequestCode.GET_CONSUME_STATS, undefined, '{"consumeTps":0,"offsetTable":{}}');
  f.brokerB.reply(RequestCode.GET_TOPIC_STATS_INFO, undefined, serializeTopicStatsTable({
    topicPutTps: 0,
    offsetTable: [0, 1].map((q) => [{ topic, brokerName: 'broker-b', queueId: q }, { minOffset: q, maxOffset: 20 + q, lastUpdateTimestamp: 0 }]),
  }));
  f.brokerB.on(RequestCode.GET_MAX_OFFSET, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, { offset: String(20 + Number(req.ext('queueId'))) }));
  f.brokerB.on(RequestCode.UPDATE_CONSUMER_OFFSET, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
  const rows = await f.admin.resetOffsetByTime({ topic, group, timestamp: -1 });
  assert.deepEqual(rows.map((r) => [r.queueId, r.consumerOffset, r.resetOffset, r.via]), [[0, 0, 20, 'offline'], [1, 1, 21, 'offline']]);
  const updates = f.brokerB.received(RequestCode.UPDATE_CONSUMER_OFFSET).filter((r) => r.ext('consumerGroup') === group);
  assert.deepEqual(updates.map((r) => r.ext('commitOffset')), ['20', '21']);
  assert.equal(f.brokerB.received(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET).at(-1)?.ext('isForce'), 'true');
});

test('resetOffsetByTime: other broker errors are thrown', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic, 1);
  f.brokerA.reply(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, undefined, undefined, ResponseCode.SYSTEM_ERROR, 'boom');
  await assert.rejects(f.admin.resetOffsetByTime({ topic, group: 'G', timestamp: 1 }), (e: unknown) => e instanceof RocketMQError && e.responseCode === 1);
});
