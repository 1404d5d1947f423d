// CONSUMER_SEND_MSG_BACK 36 over TCP with a fake clock (PROTOCOL.md §8.2): retry at level 3 + reconsumeTimes through
// SCHEDULE_TOPIC_XXXX into %RETRY%<group>, RETRY_TOPIC / ORIGIN_MESSAGE_ID kept, DLQ after maxReconsumeTimes or for
// delayLevel < 0 (1 queue, perm 6); unknown group → 26; slave → 1; the SEND path to %RETRY% (client fallback) with
// the same DLQ rule, and Java's orderly rule (group holding queue locks → DLQ).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSubscriptionGroupConfig } from '../../../src/remoting/protocol/body/subscription-group-config.ts';
import { MessageConst } from '../../../src/common/message/message-const.ts';
import type { DecodedMessage } from '../../../src/common/message/message-record.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { SCHEDULE_TOPIC } from '../../../src/store/index.ts';
import { DelayHarness, uniq } from '../../integration/retry-delay-harness.ts';

function sendBack(h: DelayHarness, m: DecodedMessage, group: string, extra: Record<string, unknown> = {}): ReturnType<DelayHarness['invoke']> {
  return h.invoke(RequestCode.CONSUMER_SEND_MSG_BACK, {
    offset: m.commitLogOffset,
    group,
    delayLevel: 0,
    originMsgId: m.msgId,
    originTopic: m.topic,
    unitMode: false,
    ...extra,
  });
}

async function only(h: DelayHarness, topic: string, queueId = 0): Promise<DecodedMessage> {
  const all = await h.pullAll(topic, queueId);
  assert.equal(all.length, 1, `one message in ${topic}/${queueId}`);
  return all[0];
}

test('send-back: retry at level 3 + reconsumeTimes via the schedule, then the DLQ after maxReconsumeTimes', async () => {
  const h = await DelayHarness.start();
  try {
    const topic = uniq('T_sb');
    const group = uniq('G_sb');
    h.createTopic(topic);
    await h.sendOk(topic, 'payload', { KEYS: 'kb', TAGS: 'TagB', extra: 'x' });
    const original = await only(h, topic);

    assert.equal((await sendBack(h, original, group)).code, ResponseCode.SUCCESS);
    const retryTopic = `%RETRY%${group}`;
    const retryTc = h.broker.topicConfigManager.selectTopicConfig(retryTopic);
    assert.ok(retryTc !== undefined, 'retry topic created');
    assert.equal(retryTc.writeQueueNums, 1);
    const parked = await only(h, SCHEDULE_TOPIC, 2);
    assert.equal(parked.properties[MessageConst.DELAY], '3', 'level 3 + reconsumeTimes 0');
    assert.equal(parked.properties[MessageConst.REAL_TOPIC], retryTopic);
    assert.equal(parked.reconsumeTimes, 1);

    h.clock.advance(9_999);
    assert.equal((await h.broker.delayedDelivery.schedule.deliverLevel(3)).delivered, 0, 'level 3 = 10 s');
    h.clock.advance(1);
    await h.waitFor('first retry', async () => (await h.pullAll(retryTopic)).length === 1);
    const retry1 = await only(h, retryTopic);
    assert.equal(retry1.body.toString(), 'payload');
    assert.equal(retry1.reconsumeTimes, 1);
    assert.equal(retry1.properties[MessageConst.RETRY_TOPIC], topic);
    assert.equal(retry1.properties[MessageConst.ORIGIN_MESSAGE_ID], original.msgId);
    assert.equal(retry1.properties[MessageConst.KEYS], 'kb');
    assert.equal(retry1.properties[MessageConst.TAGS], 'TagB');
    assert.equal(retry1.properties.extra, 'x');
    assert.equal(retry1.properties[MessageConst.UNIQ_KEY], original.properties[MessageConst.UNIQ_KEY]);
    assert.equal(retry1.flag, original.flag);
    assert.equal(retry1.bornTimestamp, original.bornTimestamp);

    // Second failure: level 4 (30 s); the first msgId and original topic stay.
    assert.equal((await sendBack(h, retry1, group)).code, ResponseCode.SUCCESS);
    const parked2 = await only(h, SCHEDULE_TOPIC, 3);
    assert.equal(parked2.properties[MessageConst.DELAY], '4');
    h.clock.advance(30_000);
    await h.waitFor('second retry', async () => (await h.pullAll(retryTopic)).length === 2);
    const retry2 = (await h.pullAll(retryTopic))[1];
    assert.equal(retry2.reconsumeTimes, 2);
    assert.equal(retry2.properties[MessageConst.ORIGIN_MESSAGE_ID], original.msgId);
    assert.equal(retry2.properties[MessageConst.RETRY_TOPIC], topic);

    // reconsumeTimes 2 ≥ the request's maxReconsumeTimes 2 → DLQ, at once (no delay).
    assert.equal((await sendBack(h, retry2, group, { maxReconsumeTimes: 2 })).code, ResponseCode.SUCCESS);
    const dlqTopic = `%DLQ%${group}`;
    const dlqTc = h.broker.topicConfigManager.selectTopicConfig(dlqTopic);
    assert.ok(dlqTc !== undefined, 'DLQ created on demand');
    assert.equal(dlqTc.writeQueueNums, 1);
    assert.equal(dlqTc.perm, 6);
    const dead = await only(h, dlqTopic);
    assert.equal(dead.reconsumeTimes, 3);
    assert.equal(dead.body.toString(), 'payload');
    assert.equal(dead.properties[MessageConst.ORIGIN_MESSAGE_ID], original.msgId);
    assert.equal(dead.properties[MessageConst.RETRY_TOPIC], topic);
    assert.equal(dead.properties[MessageConst.DELAY], undefined);
  } finally {
    await h.close();
  }
});

test('send-back: group retryMaxTimes, delayLevel < 0, explicit delayLevel, bad offset', async () => {
  const h = await DelayHarness.start({ messageStoreConfig: { messageDelayLevel: '1s 2s 3s 4s 5s 6s' } });
  try {
    const topic = uniq('T_sb2');
    const group = uniq('G_sb2');
    h.createTopic(topic);
    await h.sendOk(topic, 'm1');
    await h.sendOk(topic, 'm2');
    const [m1, m2] = await h.pullAll(topic);
    const sgm = h.broker.subscriptionGroupManager;
    const sgc = sgm.findSubscriptionGroupConfig(group);
    assert.ok(sgc !== undefined);
    sgm.updateSubscriptionGroupConfig({ ...sgc, retryMaxTimes: 0 });
    assert.equal((await sendBack(h, m1, group)).code, ResponseCode.SUCCESS);
    assert.equal((await only(h, `%DLQ%${group}`)).body.toString(), 'm1', "reconsumeTimes 0 ≥ group's retryMaxTimes 0 → DLQ");

    const other = uniq('G_sb3');
    assert.equal((await sendBack(h, m2, other, { delayLevel: -1 })).code, ResponseCode.SUCCESS);
    assert.equal((await only(h, `%DLQ%${other}`)).body.toString(), 'm2', 'delayLevel -1 → DLQ');

    assert.equal((await sendBack(h, m2, other, { delayLevel: 9 })).code, ResponseCode.SUCCESS);
    assert.equal((await only(h, SCHEDULE_TOPIC, 5)).properties[MessageConst.DELAY], '6', 'explicit level 9 clamps to 6');

    const bad = await sendBack(h, { ...m2, commitLogOffset: m2.commitLogOffset + 1 }, other);
    assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
    assert.match(bad.remark ?? '', /look message by offset failed/);
  } finally {
    await h.close();
  }
});

test('send-back: unknown group → 26, slave → 1', async () => {
  const h = await DelayHarness.start({ brokerConfig: { autoCreateSubscriptionGroup: false } });
  try {
    const topic = uniq('T_sb4');
    h.createTopic(topic);
    await h.sendOk(topic, 'm');
    h.broker.subscriptionGroupManager.updateSubscriptionGroupConfig(newSubscriptionGroupConfig('CID_delay_test')); // the pull group
    const m = await only(h, topic);
    const r = await sendBack(h, m, uniq('G_unknown'));
    assert.equal(r.code, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    assert.match(r.remark ?? '', /subscription group not exist/);
  } finally {
    await h.close();
  }
  const s = await DelayHarness.start({ brokerConfig: { brokerId: 1 } });
  try {
    const r = await s.invoke(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: 0, group: 'G', delayLevel: 0 });
    assert.equal(r.code, ResponseCode.SYSTEM_ERROR);
    assert.match(r.remark ?? '', /no master available/);
  } finally {
    await s.close();
  }
});

test('SEND to %RETRY%<group> (client fallback): over the max → DLQ; group holding orderly locks → DLQ', async () => {
  const h = await DelayHarness.start();
  try {
    const group = uniq('G_fb');
    const retryTopic = `%RETRY%${group}`;
    // ali-ons' fallback: RECONSUME_TIME / MAX_RECONSUME_TIMES moved into header fields j / l, delay level 0.
    const within = await h.send(retryTopic, 'again', { RETRY_TOPIC: 'T_orig' }, { j: 2, l: 2 });
    assert.equal(within.code, ResponseCode.SUCCESS);
    assert.equal((await only(h, retryTopic)).body.toString(), 'again', 'reconsumeTimes 2 ≤ max 2 stays a retry');
    const over = await h.send(retryTopic, 'dead', { RETRY_TOPIC: 'T_orig', DELAY: '3' }, { j: 3, l: 2 });
    assert.equal(over.code, ResponseCode.SUCCESS);
    const dead = await only(h, `%DLQ%${group}`);
    assert.equal(dead.body.toString(), 'dead', 'reconsumeTimes 3 > max 2 → DLQ (strictly greater on this path)');
    assert.equal(dead.properties[MessageConst.DELAY], undefined, 'a DLQ message is never delayed');

    h.broker.rebalanceLockManager.tryLockBatch(group, [{ topic: 'T_orig', brokerName: 'broker-d', queueId: 0 }], 'client-1');
    const orderly = await h.send(retryTopic, 'orderly', {}, { j: 0, l: 16 });
    assert.equal(orderly.code, ResponseCode.SUCCESS);
    assert.deepEqual((await h.pullAll(`%DLQ%${group}`)).map((m) => m.body.toString()), ['dead', 'orderly'], 'locked group → DLQ');
  } finally {
    await h.close();
  }
});
