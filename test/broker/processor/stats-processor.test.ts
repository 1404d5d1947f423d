// GET_TOPIC_STATS_INFO 202 / GET_CONSUME_STATS 208 / QUERY_TOPIC_CONSUME_BY_WHO 300 / QUERY_TOPICS_BY_CONSUMER 343 over
// real TCP. The stats bodies must use fastjson's MessageQueue-as-key form (§4.7), which the shared parsers read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConsumeStats } from '../../../src/remoting/protocol/body/consume-stats.ts';
import { parseGroupList } from '../../../src/remoting/protocol/body/group-list.ts';
import { parseTopicList } from '../../../src/remoting/protocol/body/topic-list.ts';
import { parseTopicStatsTable } from '../../../src/remoting/protocol/body/topic-stats-table.ts';
import {
  GetConsumeStatsRequestHeader,
  GetTopicStatsInfoRequestHeader,
  QueryTopicConsumeByWhoRequestHeader,
  QueryTopicsByConsumerRequestHeader,
} from '../../../src/remoting/protocol/headers/admin-headers.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';

test('GET_TOPIC_STATS_INFO: min/max/last-store-time per queue in the object-as-key form; unknown topic → 17', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_ts');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 3 });
    const before = Date.now();
    for (let i = 0; i < 3; i++) assert.equal((await h.send(topic, `a${i}`, { queueId: 1 })).code, ResponseCode.SUCCESS);
    h.dispatch();
    const r = await h.invoke(RequestCode.GET_TOPIC_STATS_INFO, GetTopicStatsInfoRequestHeader.encode({ topic }));
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    const text = r.body?.toString('utf8') ?? '';
    assert.ok(text.startsWith(`{"offsetTable":{{"brokerName":"broker-t","queueId":0,"topic":"${topic}"}:{`), text);
    const t = parseTopicStatsTable(r.body);
    assert.equal(t.offsetTable.length, 3, 'max(read, write) queues');
    const q1 = t.offsetTable.find(([mq]) => mq.queueId === 1)?.[1];
    assert.deepEqual([q1?.minOffset, q1?.maxOffset], [0, 3]);
    assert.ok((q1?.lastUpdateTimestamp ?? 0) >= before - 1000);
    const q0 = t.offsetTable.find(([mq]) => mq.queueId === 0)?.[1];
    assert.deepEqual(q0, { minOffset: 0, maxOffset: 0, lastUpdateTimestamp: 0 });
    assert.ok(t.topicPutTps > 0, 'one-minute put rate');

    const none = await h.invoke(RequestCode.GET_TOPIC_STATS_INFO, { topic: uniq('T_none') });
    assert.equal(none.code, ResponseCode.TOPIC_NOT_EXIST);
    assert.match(none.remark ?? '', /not exist/);
    const noHeader = await h.invoke(RequestCode.GET_TOPIC_STATS_INFO);
    assert.equal(noHeader.code, ResponseCode.SYSTEM_ERROR);
    assert.match(noHeader.remark ?? '', /topic/);
  } finally {
    await h.close();
  }
});

test('GET_CONSUME_STATS: broker/consumer/pull offsets and last consumed time per queue; topic, topicList and group-wide', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_cs');
    const other = uniq('T_cs2');
    const group = uniq('G_cs');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    h.createTopic(other, { readQueueNums: 1, writeQueueNums: 1 });
    for (let i = 0; i < 4; i++) await h.send(topic, `m${i}`, { queueId: 0 });
    await h.send(other, 'x', { queueId: 0 });
    h.dispatch();
    const pulled = await h.pull({ topic, consumerGroup: group, queueId: 0, maxMsgNums: 2 });
    assert.equal(pulled.code, ResponseCode.SUCCESS);
    h.broker.consumerOffsetManager.commitOffset('test', group, topic, 0, 2);
    h.broker.consumerOffsetManager.commitOffset('test', group, other, 0, 1);

    const r = await h.invoke(RequestCode.GET_CONSUME_STATS, GetConsumeStatsRequestHeader.encode({ consumerGroup: group, topic }));
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    assert.match(r.body?.toString('utf8') ?? '', /^\{"consumeTps":[0-9.]+,"offsetTable":\{\{"brokerName":"broker-t","queueId":0,"topic":/);
    const s = parseConsumeStats(r.body);
    assert.equal(s.offsetTable.length, 2);
    const q0 = s.offsetTable.find(([mq]) => mq.queueId === 0)?.[1];
    assert.equal(q0?.brokerOffset, 4);
    assert.equal(q0?.consumerOffset, 2);
    assert.ok((q0?.pullOffset ?? 0) >= 2);
    assert.ok((q0?.lastTimestamp ?? 0) > 0, 'store time of message #1');
    const q1 = s.offsetTable.find(([mq]) => mq.queueId === 1)?.[1];
    assert.deepEqual([q1?.brokerOffset, q1?.consumerOffset, q1?.lastTimestamp], [0, 0, 0]);
    assert.ok(s.consumeTps > 0, 'the pull of 2 messages shows as a rate');

    // No topic: every topic the group has offsets for.
    const all = parseConsumeStats((await h.invoke(RequestCode.GET_CONSUME_STATS, { consumerGroup: group })).body);
    assert.deepEqual([...new Set(all.offsetTable.map(([mq]) => mq.topic))].sort(), [topic, other].sort());
    // topicList (5.x) narrows, unknown topics skipped.
    const listed = parseConsumeStats(
      (await h.invoke(RequestCode.GET_CONSUME_STATS, { consumerGroup: group, topicList: `${other};${uniq('T_nope')}` })).body,
    );
    assert.deepEqual(listed.offsetTable.map(([mq]) => mq.topic), [other]);
    // A group with live subscriptions only reports subscribed topics.
    assert.equal((await h.heartbeat('cid-cs', { group, topic })).code, ResponseCode.SUCCESS);
    const subscribed = parseConsumeStats((await h.invoke(RequestCode.GET_CONSUME_STATS, { consumerGroup: group })).body);
    assert.deepEqual([...new Set(subscribed.offsetTable.map(([mq]) => mq.topic))], [topic]);
    // Unknown group: empty table (Java's answer; mqadmin reports "no consume stats").
    const empty = parseConsumeStats((await h.invoke(RequestCode.GET_CONSUME_STATS, { consumerGroup: uniq('G_none') })).body);
    assert.equal(empty.offsetTable.length, 0);

    const blank = await h.invoke(RequestCode.GET_CONSUME_STATS, { consumerGroup: ' ' });
    assert.equal(blank.code, ResponseCode.INVALID_PARAMETER);
    const missing = await h.invoke(RequestCode.GET_CONSUME_STATS, { topic });
    assert.equal(missing.code, ResponseCode.SYSTEM_ERROR);
    assert.match(missing.remark ?? '', /consumerGroup/);
  } finally {
    await h.close();
  }
});

test('QUERY_TOPIC_CONSUME_BY_WHO and QUERY_TOPICS_BY_CONSUMER', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_who');
    const live = uniq('G_live');
    const offline = uniq('G_off');
    h.createTopic(topic);
    assert.equal((await h.heartbeat('cid-who', { group: live, topic })).code, ResponseCode.SUCCESS);
    h.broker.consumerOffsetManager.commitOffset('test', offline, topic, 0, 1);
    h.broker.consumerOffsetManager.commitOffset('test', offline, 'T_other_x', 0, 1);

    const who = await h.invoke(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, QueryTopicConsumeByWhoRequestHeader.encode({ topic }));
    assert.equal(who.code, ResponseCode.SUCCESS);
    assert.deepEqual(parseGroupList(who.body).groupList, [live, offline].sort());
    const nobody = await h.invoke(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic: uniq('T_nobody') });
    assert.deepEqual(parseGroupList(nobody.body).groupList, []);

    const topics = await h.invoke(RequestCode.QUERY_TOPICS_BY_CONSUMER, QueryTopicsByConsumerRequestHeader.encode({ group: offline }));
    assert.equal(topics.code, ResponseCode.SUCCESS);
    const tl = parseTopicList(topics.body);
    assert.deepEqual(tl.topicList, ['T_other_x', topic].sort());
    assert.equal(tl.brokerAddr, h.brokerAddr);

    const bad = await h.invoke(RequestCode.QUERY_TOPICS_BY_CONSUMER);
    assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
    assert.match(bad.remark ?? '', /group/);
  } finally {
    await h.close();
  }
});
