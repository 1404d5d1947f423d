// Transaction check-back end to end over TCP: a fake producer connection receives CHECK_TRANSACTION_STATE (39) and
// answers END_TRANSACTION. The broker clock is manual; rounds are run with check() unless a test is about the timer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageConst, MessageSysFlag, transactionType } from '../../../src/common/message/message-const.ts';
import { createOffsetMsgId } from '../../../src/common/message/message-id.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { FakeProducer, TxBroker, uniq } from './tx-harness.ts';
import type { CheckReceived } from './tx-harness.ts';

const COMMIT = MessageSysFlag.TRANSACTION_COMMIT_TYPE;
const ROLLBACK = MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
const UNKNOWN = MessageSysFlag.TRANSACTION_NOT_TYPE;

function coords(c: CheckReceived): { queueOffset: number; commitLogOffset: number; uniqKey: string } {
  return { queueOffset: c.header.tranStateTableOffset, commitLogOffset: c.header.commitLogOffset, uniqKey: c.header.msgId ?? '' };
}

async function round(t: TxBroker, advanceMs: number): Promise<Awaited<ReturnType<TxBroker['broker']['transactionCheckService']['check']>>> {
  t.dispatch();
  t.clock.advance(advanceMs);
  const r = await t.broker.transactionCheckService.check();
  t.dispatch();
  return r;
}

test('first check after transactionTimeOut; the producer commits from the check; never checked again', async () => {
  const t = await TxBroker.start({ brokerConfig: { transactionTimeOut: 6000 } });
  const fp = new FakeProducer();
  try {
    const topic = uniq('T_chk');
    const group = uniq('PG_chk');
    t.createTopic(topic);
    await t.registerProducer(group, fp.client, 'fp-1');
    const sent = await t.sendHalf(topic, 'check-me', { group, queueId: 3, props: { TAGS: 'T1', k: 'v' } });
    assert.equal(sent.code, ResponseCode.SUCCESS, sent.remark);

    const early = await round(t, 5000);
    assert.equal(early.checked, 0, 'not before transactionTimeOut');
    assert.equal(early.halfOffset, sent.queueOffset, 'progress stays on the undecided message');

    const due = await round(t, 1500);
    assert.equal(due.checked, 1);
    await fp.waitForChecks(1);
    const c = fp.checks[0];
    assert.equal(c.oneway, true, 'CHECK_TRANSACTION_STATE is oneway');
    assert.equal(c.header.msgId, sent.uniqKey);
    assert.equal(c.header.transactionId, sent.uniqKey);
    assert.equal(c.header.topic, topic);
    assert.notEqual(c.header.tranStateTableOffset, sent.queueOffset, 'the check names the re-appended copy');
    assert.equal(c.header.offsetMsgId, createOffsetMsgId(t.broker.storeHost(), c.header.commitLogOffset));
    assert.equal(c.message.topic, topic, 'body restored to the real topic');
    assert.equal(c.message.queueId, 3);
    assert.equal(c.message.body.toString(), 'check-me');
    assert.equal(c.message.queueOffset, c.header.tranStateTableOffset);
    assert.equal(c.message.commitLogOffset, c.header.commitLogOffset);
    assert.equal(c.message.properties[MessageConst.TRANSACTION_CHECK_TIMES], '1');
    assert.equal(c.message.properties[MessageConst.PGROUP], group);
    assert.equal(c.message.properties[MessageConst.UNIQ_KEY], sent.uniqKey);
    assert.equal(c.message.properties.k, 'v');

    const r = await t.end(coords(c), group, COMMIT, { fromCheck: true, twoway: true, client: fp.client });
    assert.equal(r?.code, ResponseCode.SUCCESS, r?.remark);
    // The producer's own (late) END_TRANSACTION for the original half message must not commit a second time.
    await t.end(sent, group, COMMIT, { twoway: true });
    const visible = t.messagesOf(topic);
    assert.equal(visible.length, 1, 'visible exactly once');
    assert.equal(transactionType(visible[0].sysFlag), COMMIT);
    assert.equal(visible[0].body.toString(), 'check-me');

    const after = await round(t, 60_000);
    assert.equal(after.checked, 0);
    assert.ok(after.done >= 1);
    assert.equal(fp.checks.length, 1, 'never checked again');
    assert.equal(t.broker.transactionalMessageService.pendingCount, 0);
  } finally {
    await fp.shutdown();
    await t.close();
  }
});

test('a message left unknown is checked at most transactionCheckMax times, then moved to TRANS_CHECK_MAX_TIME_TOPIC', async () => {
  const t = await TxBroker.start({ brokerConfig: { transactionTimeOut: 1000, transactionCheckMax: 3 } });
  const fp = new FakeProducer();
  try {
    const topic = uniq('T_max');
    const group = uniq('PG_max');
    t.createTopic(topic);
    await t.registerProducer(group, fp.client, 'fp-max');
    fp.onCheck = (c) => void t.end(coords(c), group, UNKNOWN, { fromCheck: true, client: fp.client });
    const sent = await t.sendHalf(topic, 'never-decided', { group });
    for (let i = 1; i <= 3; i++) {
      const r = await round(t, 2000);
      assert.equal(r.checked, 1, `round ${i}`);
      await fp.waitForChecks(i);
      assert.equal(fp.checks[i - 1].message.properties[MessageConst.TRANSACTION_CHECK_TIMES], String(i));
    }
    const last = await round(t, 2000);
    assert.equal(last.checked, 0);
    assert.equal(last.discarded, 1);
    const parked = t.messagesOf('TRANS_CHECK_MAX_TIME_TOPIC');
    assert.equal(parked.length, 1);
    assert.equal(parked[0].body.toString(), 'never-decided');
    assert.equal(parked[0].properties[MessageConst.UNIQ_KEY], sent.uniqKey);
    assert.equal(parked[0].properties[MessageConst.REAL_TOPIC], topic);
    const quiet = await round(t, 2000);
    assert.equal(quiet.checked + quiet.discarded, 0, 'nothing left to check');
    assert.equal(fp.checks.length, 3);
    assert.equal(t.messagesOf(topic).length, 0, 'never delivered');
  } finally {
    await fp.shutdown();
    await t.close();
  }
});

test('rollback from a check: never visible; no producer online: the check still counts; immunity postpones checks', async () => {
  const t = await TxBroker.start({ brokerConfig: { transactionTimeOut: 1000 } });
  const fp = new FakeProducer();
  try {
    const topic = uniq('T_misc');
    const group = uniq('PG_misc');
    const lonely = uniq('PG_lonely');
    t.createTopic(topic);
    await t.registerProducer(group, fp.client, 'fp-misc');
    const a = await t.sendHalf(topic, 'roll-back-on-check', { group });
    const b = await t.sendHalf(topic, 'nobody-to-ask', { group: lonely });
    const c = await t.sendHalf(topic, 'immune', { group, props: { [MessageConst.CHECK_IMMUNITY_TIME_IN_SECONDS]: '20' } });
    for (const s of [a, b, c]) assert.equal(s.code, ResponseCode.SUCCESS);

    const r1 = await round(t, 2000);
    assert.equal(r1.checked, 1, 'a is checked');
    assert.equal(r1.noProducer, 1, 'b has no live producer');
    assert.equal(r1.immune, 1, 'c is inside its 20 s immunity');
    await fp.waitForChecks(1);
    assert.equal(fp.checks[0].message.body.toString(), 'roll-back-on-check');
    await t.end(coords(fp.checks[0]), group, ROLLBACK, { fromCheck: true, twoway: true, client: fp.client });

    const r2 = await round(t, 20_000);
    assert.equal(r2.checked, 1, 'c is checked once its immunity is over');
    assert.equal(r2.noProducer, 1, 'b is tried again');
    await fp.waitForChecks(2);
    assert.equal(fp.checks[1].message.body.toString(), 'immune');
    assert.equal(t.messagesOf(topic).length, 0, 'nothing visible');
  } finally {
    await fp.shutdown();
    await t.close();
  }
});

test('the check service runs by itself every transactionCheckInterval', async () => {
  const t = await TxBroker.start({ brokerConfig: { transactionTimeOut: 1000, transactionCheckInterval: 20 } });
  const fp = new FakeProducer();
  try {
    const topic = uniq('T_timer');
    const group = uniq('PG_timer');
    t.createTopic(topic);
    await t.registerProducer(group, fp.client, 'fp-timer');
    fp.onCheck = (c) => void t.end(coords(c), group, COMMIT, { fromCheck: true, client: fp.client });
    await t.sendHalf(topic, 'by-timer', { group });
    t.dispatch();
    t.clock.advance(5000);
    await fp.waitForChecks(1);
    // The commit travels oneway: wait until it has landed (bounded by waitForChecks-like polling on the store).
    const deadline = Date.now() + 10_000;
    while (t.messagesOf(topic).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(t.messagesOf(topic).length, 1);
  } finally {
    await fp.shutdown();
    await t.close();
  }
});

test('restart in the middle of a check: nothing committed twice, nothing pending lost', async () => {
  const t = await TxBroker.start({ brokerConfig: { transactionTimeOut: 1000 } });
  let fp = new FakeProducer();
  try {
    const topic = uniq('T_restart');
    const group = uniq('PG_restart');
    t.createTopic(topic);
    await t.registerProducer(group, fp.client, 'fp-r1');
    const a = await t.sendHalf(topic, 'A-committed-before', { group });
    const b = await t.sendHalf(topic, 'B-answered-after-restart', { group });
    const c = await t.sendHalf(topic, 'C-still-unknown', { group });
    const d = await t.sendHalf(topic, 'D-slow-local-transaction', { group });
    for (const s of [a, b, c, d]) assert.equal(s.code, ResponseCode.SUCCESS);
    await t.end(a, group, COMMIT, { twoway: true });

    const r1 = await round(t, 2000);
    assert.equal(r1.checked, 3, 'b, c and d are checked');
    await fp.waitForChecks(3);
    const checkB = fp.checks.find((x) => x.message.body.toString().startsWith('B'));
    assert.ok(checkB !== undefined);

    await t.restart();
    await fp.shutdown();
    fp = new FakeProducer();
    await t.registerProducer(group, fp.client, 'fp-r2');
    // The answer to the pre-restart check of B arrives after the restart.
    const rb = await t.end(coords(checkB), group, COMMIT, { fromCheck: true, twoway: true, client: fp.client });
    assert.equal(rb?.code, ResponseCode.SUCCESS, rb?.remark);
    // A late duplicate for A as well.
    await t.end(a, group, COMMIT, { twoway: true });
    // D's producer finishes its local transaction only now and commits the ORIGINAL half message: the copy made for
    // the check must not be checked (or committed) again.
    const rd = await t.end(d, group, COMMIT, { twoway: true });
    assert.equal(rd?.code, ResponseCode.SUCCESS, rd?.remark);

    const r2 = await round(t, 2000);
    assert.equal(r2.checked, 1, 'only c is checked again');
    await fp.waitForChecks(1);
    const checkC = fp.checks[0];
    assert.equal(checkC.message.body.toString(), 'C-still-unknown');
    assert.equal(checkC.message.properties[MessageConst.TRANSACTION_CHECK_TIMES], '2', 'the count survived the restart');
    await t.end(coords(checkC), group, COMMIT, { fromCheck: true, twoway: true, client: fp.client });

    const r3 = await round(t, 2000);
    assert.equal(r3.checked, 0);
    const bodies = t.messagesOf(topic).map((m) => m.body.toString()).sort();
    assert.deepEqual(bodies, ['A-committed-before', 'B-answered-after-restart', 'C-still-unknown', 'D-slow-local-transaction']);

    // And once more after a second restart: nothing re-delivered, nothing to check.
    await t.restart();
    const r4 = await round(t, 60_000);
    assert.equal(r4.checked + r4.noProducer + r4.discarded, 0);
    assert.equal(t.messagesOf(topic).length, 4);
  } finally {
    await fp.shutdown();
    await t.close();
  }
});
