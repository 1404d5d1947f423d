// PULL_MESSAGE 11 over the wire: status → code mapping with the four offset headers on every code (§9, §12.8), tag
// filtering by hash, long polling (wake on a matching message, not on another tag, answer at the timeout), commit
// offset piggy-back, and every bad input with its code and remark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { BrokerHarness, decodeBody, uniq } from '../../integration/broker-harness.ts';

const SUSPEND_AND_SUB = 2 | 4;

function assertOffsetHeaders(r: RemotingCommand, next: number, min: number, max: number): void {
  assert.equal(r.ext('nextBeginOffset'), String(next), `nextBeginOffset (${r.remark})`);
  assert.equal(r.ext('minOffset'), String(min), 'minOffset');
  assert.equal(r.ext('maxOffset'), String(max), 'maxOffset');
  assert.equal(r.ext('suggestWhichBrokerId'), '0', 'suggestWhichBrokerId');
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not reached');
}

test('status → code mapping; every code carries the offset headers', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_codes');
    const group = uniq('G_codes');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });

    let r = await h.pull({ topic, consumerGroup: group, queueOffset: 0 });
    assert.equal(r.code, ResponseCode.PULL_NOT_FOUND, 'empty queue at 0 → 19');
    assertOffsetHeaders(r, 0, 0, 0);
    r = await h.pull({ topic, consumerGroup: group, queueOffset: 5 });
    assert.equal(r.code, ResponseCode.PULL_OFFSET_MOVED, 'empty queue at 5 → 21');
    assertOffsetHeaders(r, 0, 0, 0);

    for (let i = 0; i < 3; i++) await h.send(topic, `m${i}`);
    h.dispatch();
    r = await h.pull({ topic, consumerGroup: group, queueOffset: 1, maxMsgNums: 1 });
    assert.equal(r.code, ResponseCode.SUCCESS);
    assert.equal(r.remark, 'FOUND');
    assertOffsetHeaders(r, 2, 0, 3);
    assert.deepEqual(decodeBody(r).map((m) => m.body.toString()), ['m1']);
    r = await h.pull({ topic, consumerGroup: group, queueOffset: 3 });
    assert.equal(r.code, ResponseCode.PULL_NOT_FOUND, 'offset == max → 19');
    assert.equal(r.remark, 'OFFSET_OVERFLOW_ONE');
    assertOffsetHeaders(r, 3, 0, 3);
    r = await h.pull({ topic, consumerGroup: group, queueOffset: 9 });
    assert.equal(r.code, ResponseCode.PULL_OFFSET_MOVED, 'offset > max → 21');
    assertOffsetHeaders(r, 3, 0, 3);
  } finally {
    await h.close();
  }
});

test('tag filtering by hash code: only subscribed tags come back; a fully filtered range → 20 with the next offset', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_tags');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    for (const tag of ['TagA', 'TagB', 'TagC', 'TagA']) await h.send(topic, tag, { tags: tag });
    await h.send(topic, 'untagged');
    h.dispatch();
    const r = await h.pull({ topic, consumerGroup: 'G_tags', subscription: 'TagA || TagC' });
    assert.equal(r.code, ResponseCode.SUCCESS);
    assert.deepEqual(decodeBody(r).map((m) => m.body.toString()), ['TagA', 'TagC', 'TagA']);
    assert.equal(r.ext('nextBeginOffset'), '5');
    const none = await h.pull({ topic, consumerGroup: 'G_tags', subscription: 'TagZ' });
    assert.equal(none.code, ResponseCode.PULL_RETRY_IMMEDIATELY);
    assert.equal(none.remark, 'NO_MATCHED_MESSAGE');
    assert.equal(none.ext('nextBeginOffset'), '5');
    const all = await h.pull({ topic, consumerGroup: 'G_tags', subscription: '*' });
    assert.equal(decodeBody(all).length, 5);
  } finally {
    await h.close();
  }
});

test('long polling: a held pull wakes on a matching message, ignores other tags, and answers 19 at its timeout', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_lp');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const hold = h.broker.pullMessageProcessor.hold;

    // Held for up to 20 s; the matching message must answer it.
    const held = h.pull({ topic, consumerGroup: 'G_lp', sysFlag: SUSPEND_AND_SUB, suspendTimeoutMillis: 20_000, subscription: 'TagA' }, 30_000);
    await until(() => hold.size === 1);
    await h.send(topic, 'other tag', { tags: 'TagB' });
    await until(() => h.broker.store.getMaxOffsetInQueue(topic, 0) === 1);
    assert.equal(hold.size, 1, 'a TagB message does not wake a TagA pull');
    await h.send(topic, 'wanted', { tags: 'TagA' });
    const r = await held;
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    assert.deepEqual(decodeBody(r).map((m) => m.body.toString()), ['wanted']);
    assert.equal(hold.size, 0);

    // Nothing arrives: the broker answers by itself when the suspend time is up.
    const idle = await h.pull({ topic, consumerGroup: 'G_lp', queueOffset: 2, sysFlag: SUSPEND_AND_SUB, suspendTimeoutMillis: 50 });
    assert.equal(idle.code, ResponseCode.PULL_NOT_FOUND);
    assertOffsetHeaders(idle, 2, 0, 2);

    // A held pull whose connection closes is forgotten.
    void h.pull({ topic, consumerGroup: 'G_lp', queueOffset: 2, sysFlag: SUSPEND_AND_SUB, suspendTimeoutMillis: 20_000 }).catch(() => undefined);
    await until(() => hold.size === 1);
    h.client.closeChannel(h.brokerAddr);
    await until(() => hold.size === 0);
  } finally {
    await h.close();
  }
});

test('commit offset piggy-back (sysFlag 1) stores the consumer offset', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_commit');
    const group = uniq('G_commit');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    await h.pull({ topic, consumerGroup: group, sysFlag: 1 | 4, commitOffset: 7 });
    assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), 7);
  } finally {
    await h.close();
  }
});

test('pull validation: unknown topic 17, queueId 29, bad group 26, no subscription 24, SQL92 1, missing field 1', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_pv');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    const cases: Array<[string, Promise<RemotingCommand>, number, RegExp]> = [
      ['unknown topic', h.pull({ topic: uniq('T_none'), consumerGroup: 'G' }), ResponseCode.TOPIC_NOT_EXIST, /not exist, apply first/],
      ['queueId', h.pull({ topic, consumerGroup: 'G', queueId: 2 }), ResponseCode.INVALID_PARAMETER, /queueId\[2\] is illegal/],
      ['negative queueId', h.pull({ topic, consumerGroup: 'G', queueId: -1 }), ResponseCode.INVALID_PARAMETER, /queueId\[-1\] is illegal/],
      ['bad group name', h.pull({ topic, consumerGroup: 'bad group!' }), ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, /does not exist/],
      ['no heartbeat', h.pull({ topic, consumerGroup: uniq('G_nohb'), sysFlag: 0 }), ResponseCode.SUBSCRIPTION_NOT_EXIST, /group info not exist/],
      ['SQL92', h.pull({ topic, consumerGroup: 'G', expressionType: 'SQL92', subscription: 'a > 1' }), ResponseCode.SYSTEM_ERROR, /SQL92/],
      ['missing field', h.invoke(RequestCode.PULL_MESSAGE, { topic, consumerGroup: 'G' }), ResponseCode.SYSTEM_ERROR, /missing required field/],
    ];
    for (const [what, p, code, remark] of cases) {
      const r = await p;
      assert.equal(r.code, code, `${what}: ${r.remark}`);
      assert.match(r.remark ?? '', remark, what);
    }
  } finally {
    await h.close();
  }
});

test('without the subscription flag the heartbeat subscription is used (and must not be older than the request)', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_hbsub');
    const group = uniq('G_hbsub');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    assert.equal((await h.heartbeat('cid-1', { group, topic, subString: 'TagB' })).code, ResponseCode.SUCCESS);
    await h.send(topic, 'a', { tags: 'TagA' });
    await h.send(topic, 'b', { tags: 'TagB' });
    h.dispatch();
    const r = await h.pull({ topic, consumerGroup: group, sysFlag: 0 });
    assert.deepEqual(decodeBody(r).map((m) => m.body.toString()), ['b']);
    const stale = await h.pull({ topic, consumerGroup: group, sysFlag: 0, subVersion: Date.now() + 60_000 });
    assert.equal(stale.code, ResponseCode.SUBSCRIPTION_NOT_LATEST);
  } finally {
    await h.close();
  }
});
