// END_TRANSACTION (37) and the half-message branch of SEND through real TCP: half messages are invisible, commit makes
// the message visible exactly once, rollback never, unknown changes nothing; header validation and refusal codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageConst, MessageSysFlag, transactionType } from '../../../src/common/message/message-const.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { encodeBatchBody } from '../../../src/common/message/message-batch.ts';
import { SendMessageRequestHeaderV2 } from '../../../src/remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { BrokerRole } from '../../../src/broker/config/broker-config.ts';
import { decodeOpBody } from '../../../src/broker/transaction/transactional-message-util.ts';
import { TxBroker, decodeBody, uniq } from '../transaction/tx-harness.ts';

const HALF = 'RMQ_SYS_TRANS_HALF_TOPIC';
const OP = 'RMQ_SYS_TRANS_OP_HALF_TOPIC';
const COMMIT = MessageSysFlag.TRANSACTION_COMMIT_TYPE;
const ROLLBACK = MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;

async function pullAll(t: TxBroker, topic: string, queueId: number): Promise<ReturnType<typeof decodeBody>> {
  t.dispatch();
  const r = await t.pull({ topic, consumerGroup: uniq('CG_tx'), queueId });
  return r.code === ResponseCode.SUCCESS ? decodeBody(r) : [];
}

test('a half message is stored in RMQ_SYS_TRANS_HALF_TOPIC and invisible in its real topic', async () => {
  const t = await TxBroker.start();
  try {
    const topic = uniq('T_half');
    const group = uniq('PG_half');
    t.createTopic(topic);
    const sent = await t.sendHalf(topic, 'half-body', { group, queueId: 2 });
    assert.equal(sent.code, ResponseCode.SUCCESS, sent.remark);
    assert.match(sent.uniqKey, /^[0-9A-F]{32}$/);
    assert.equal(await pullAll(t, topic, 2).then((m) => m.length), 0, 'nothing in the real queue');
    const halves = t.messagesOf(HALF);
    assert.equal(halves.length, 1);
    const h = halves[0];
    assert.equal(h.queueId, 0);
    assert.equal(h.queueOffset, sent.queueOffset);
    assert.equal(h.commitLogOffset, sent.commitLogOffset);
    assert.equal(h.properties[MessageConst.REAL_TOPIC], topic);
    assert.equal(h.properties[MessageConst.REAL_QID], '2');
    assert.equal(h.properties[MessageConst.TRANSACTION_ID], sent.uniqKey);
    assert.equal(transactionType(h.sysFlag), MessageSysFlag.TRANSACTION_NOT_TYPE, 'transaction bits cleared on the half record');
    assert.equal(h.body.toString(), 'half-body');
  } finally {
    await t.close();
  }
});

test('commit: the message appears in its real queue exactly once, even when END_TRANSACTION repeats', async () => {
  const t = await TxBroker.start();
  try {
    const topic = uniq('T_commit');
    const group = uniq('PG_commit');
    t.createTopic(topic);
    const sent = await t.sendHalf(topic, 'commit-me', { group, queueId: 1, props: { TAGS: 'TagA', k1: 'v1' } });
    assert.equal(sent.code, ResponseCode.SUCCESS, sent.remark);
    const r = await t.end(sent, group, COMMIT, { twoway: true });
    assert.equal(r?.code, ResponseCode.SUCCESS, r?.remark);
    // Oneway duplicates (as a Java producer sends them) and a two-way one change nothing.
    await t.end(sent, group, COMMIT);
    await t.end(sent, group, ROLLBACK);
    const again = await t.end(sent, group, COMMIT, { twoway: true });
    assert.equal(again?.code, ResponseCode.SUCCESS);
    const msgs = await pullAll(t, topic, 1);
    assert.equal(msgs.length, 1, 'visible exactly once');
    const m = msgs[0];
    assert.equal(m.body.toString(), 'commit-me');
    assert.equal(m.topic, topic);
    assert.equal(m.queueId, 1);
    assert.equal(transactionType(m.sysFlag), COMMIT);
    assert.equal(m.preparedTransactionOffset, sent.commitLogOffset);
    assert.equal(m.properties.TAGS, 'TagA');
    assert.equal(m.properties.k1, 'v1');
    assert.equal(m.properties[MessageConst.UNIQ_KEY], sent.uniqKey);
    assert.equal(m.properties[MessageConst.TRAN_MSG], 'true', 'TRAN_MSG kept as Java does');
    assert.equal(m.properties[MessageConst.REAL_TOPIC], undefined);
    assert.equal(m.properties[MessageConst.REAL_QID], undefined);
    const ops = t.messagesOf(OP);
    assert.equal(ops.length, 1, 'one op record');
    assert.equal(ops[0].properties.TAGS, 'd');
    assert.deepEqual(decodeOpBody(ops[0].body), [sent.queueOffset]);
    assert.equal(ops[0].body.toString(), `${sent.queueOffset},`);
  } finally {
    await t.close();
  }
});

test('rollback: never visible; unknown (0): nothing happens and no reply', async () => {
  const t = await TxBroker.start();
  try {
    const topic = uniq('T_rb');
    const group = uniq('PG_rb');
    t.createTopic(topic);
    const a = await t.sendHalf(topic, 'roll-me-back', { group, queueId: 0 });
    const b = await t.sendHalf(topic, 'unknown', { group, queueId: 0 });
    const r = await t.end(a, group, ROLLBACK, { twoway: true });
    assert.equal(r?.code, ResponseCode.SUCCESS, r?.remark);
    await t.end(a, group, COMMIT); // too late: already rolled back
    // Unknown gets no reply at all, even on a two-way request: the request times out on our side.
    const req = t.end(b, group, MessageSysFlag.TRANSACTION_NOT_TYPE, { twoway: true });
    await assert.rejects(
      Promise.race([req, new Promise((_, rej) => setTimeout(() => rej(new Error('no reply')), 300))]),
      /no reply/,
    );
    req.catch(() => undefined); // rejected when the client shuts down
    assert.equal((await pullAll(t, topic, 0)).length, 0);
    const ops = t.messagesOf(OP);
    assert.equal(ops.length, 1, 'only the rollback wrote an op record');
    assert.deepEqual(decodeOpBody(ops[0].body), [a.queueOffset]);
    assert.equal(t.broker.transactionalMessageService.pendingCount, 1, 'b is still pending');
  } finally {
    await t.close();
  }
});

test('END_TRANSACTION validation: producer group, offsets, missing half message, missing header fields', async () => {
  const t = await TxBroker.start();
  try {
    const topic = uniq('T_val');
    const group = uniq('PG_val');
    t.createTopic(topic);
    const sent = await t.sendHalf(topic, 'x', { group });
    const wrongGroup = await t.end(sent, 'PG_other', COMMIT, { twoway: true });
    assert.equal(wrongGroup?.code, ResponseCode.SYSTEM_ERROR);
    assert.match(wrongGroup?.remark ?? '', /producer group wrong/);
    const wrongOffset = await t.end({ ...sent, queueOffset: sent.queueOffset + 7 }, group, COMMIT, { twoway: true });
    assert.equal(wrongOffset?.code, ResponseCode.SYSTEM_ERROR);
    assert.match(wrongOffset?.remark ?? '', /transaction state table offset wrong/);
    const noHalf = await t.end({ ...sent, commitLogOffset: sent.commitLogOffset + 1_000_000 }, group, COMMIT, { twoway: true });
    assert.equal(noHalf?.code, ResponseCode.SYSTEM_ERROR);
    assert.match(noHalf?.remark ?? '', /Find prepared transaction message failed/);
    const missing = await t.invoke(RequestCode.END_TRANSACTION, { producerGroup: group, commitOrRollback: COMMIT });
    assert.equal(missing.code, ResponseCode.SYSTEM_ERROR);
    assert.match(missing.remark ?? '', /tranStateTableOffset|commitLogOffset|msgId/);
    // A normal (non-half) message cannot be committed through END_TRANSACTION.
    const plain = await t.invoke(
      RequestCode.SEND_MESSAGE_V2,
      SendMessageRequestHeaderV2.encode({ a: group, b: topic, c: 'TBW102', d: 4, e: 0, f: 0, g: Date.now(), h: 0, i: encodeProperties({ PGROUP: group }), j: 0, k: false }),
      Buffer.from('plain'),
    );
    assert.equal(plain.code, ResponseCode.SUCCESS);
    const plainOffset = (await pullAll(t, topic, 0))[0];
    const notHalf = await t.end({ queueOffset: plainOffset.queueOffset, commitLogOffset: plainOffset.commitLogOffset, uniqKey: 'X' }, group, COMMIT, {
      twoway: true,
    });
    assert.equal(notHalf?.code, ResponseCode.SYSTEM_ERROR);
    assert.equal((await pullAll(t, topic, 1)).length, 0, 'nothing committed anywhere');
    assert.equal(t.messagesOf(OP).length, 0);
    // After all the refusals, the right request still commits.
    const ok = await t.end(sent, group, COMMIT, { twoway: true });
    assert.equal(ok?.code, ResponseCode.SUCCESS, ok?.remark);
  } finally {
    await t.close();
  }
});

test('half messages past their check immunity are left to the checker (604); slaves answer 11', async () => {
  const t = await TxBroker.start();
  try {
    const topic = uniq('T_imm');
    const group = uniq('PG_imm');
    t.createTopic(topic);
    const sent = await t.sendHalf(topic, 'x', { group, props: { [MessageConst.CHECK_IMMUNITY_TIME_IN_SECONDS]: '10' } });
    t.clock.advance(11_000);
    const late = await t.end(sent, group, COMMIT, { twoway: true });
    assert.equal(late?.code, ResponseCode.ILLEGAL_OPERATION);
    const fromCheck = await t.end(sent, group, COMMIT, { twoway: true, fromCheck: true });
    assert.equal(fromCheck?.code, ResponseCode.SUCCESS, 'an answer to a check-back is accepted');
    assert.equal((await pullAll(t, topic, 1)).length, 1);
  } finally {
    await t.close();
  }
  const slave = await TxBroker.start({ brokerConfig: { brokerRole: BrokerRole.SLAVE, brokerId: 1 } });
  try {
    const r = await slave.end({ queueOffset: 0, commitLogOffset: 0, uniqKey: 'X' }, 'PG', COMMIT, { twoway: true });
    assert.equal(r?.code, ResponseCode.SLAVE_NOT_AVAILABLE);
  } finally {
    await slave.close();
  }
});

test('rejectTransactionMessage refuses half messages with 16; a transactional batch is refused with 13', async () => {
  const t = await TxBroker.start({ brokerConfig: { rejectTransactionMessage: true } });
  try {
    const topic = uniq('T_rej');
    t.createTopic(topic);
    const r = await t.sendHalf(topic, 'x', { group: 'PG_rej' });
    assert.equal(r.code, ResponseCode.NO_PERMISSION);
    assert.match(r.remark ?? '', /sending transaction message is forbidden/);
    const byProperty = await t.sendHalf(topic, 'x', { group: 'PG_rej', sysFlag: 0 });
    assert.equal(byProperty.code, ResponseCode.NO_PERMISSION, 'TRAN_MSG=true alone makes a half message');
    t.broker.brokerConfig.rejectTransactionMessage = false;
    const batch = await t.invoke(
      RequestCode.SEND_BATCH_MESSAGE,
      SendMessageRequestHeaderV2.encode({
        a: 'PG_rej', b: topic, c: 'TBW102', d: 4, e: 0, f: 4, g: Date.now(), h: 0,
        i: encodeProperties({ TRAN_MSG: 'true', PGROUP: 'PG_rej' }), j: 0, k: false, m: true,
      }),
      encodeBatchBody([{ body: Buffer.from('a'), properties: {} }, { body: Buffer.from('b'), properties: {} }]),
    );
    assert.equal(batch.code, ResponseCode.MESSAGE_ILLEGAL);
    assert.equal(t.messagesOf(HALF).length, 0);
    assert.equal(t.messagesOf(topic).length, 0);
  } finally {
    await t.close();
  }
});
