import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageConst, MessageSysFlag } from '../../../src/common/message/message-const.ts';
import { decodeProperties, encodeProperties } from '../../../src/common/message/message-properties.ts';
import type { DecodedMessage } from '../../../src/common/message/message-record.ts';
import {
  checkImmunityMs,
  checkTimes,
  decodeOpBody,
  encodeOpBody,
  isHalfMessage,
  toCheckMaxTimeInput,
  toCommitInput,
  toHalfMessageInput,
} from '../../../src/broker/transaction/transactional-message-util.ts';

const host = { address: '127.0.0.1', port: 10911 };

test('half messages: recognised by sysFlag PREPARED or TRAN_MSG=true; parked in the half topic with REAL_*', () => {
  assert.equal(isHalfMessage(MessageSysFlag.TRANSACTION_PREPARED_TYPE, {}), true);
  assert.equal(isHalfMessage(0, { TRAN_MSG: 'true' }), true);
  assert.equal(isHalfMessage(0, { TRAN_MSG: 'false' }), false);
  assert.equal(isHalfMessage(MessageSysFlag.TRANSACTION_COMMIT_TYPE, {}), false);
  const half = toHalfMessageInput({
    topic: 'T', queueId: 3, flag: 7, body: Buffer.from('b'), properties: encodeProperties({ UNIQ_KEY: 'U1', TRAN_MSG: 'true' }),
    sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE | MessageSysFlag.MULTI_TAGS_FLAG,
    bornTimestamp: 1, bornHost: host, storeHost: host, reconsumeTimes: 0, preparedTransactionOffset: 0,
  });
  assert.equal(half.topic, 'RMQ_SYS_TRANS_HALF_TOPIC');
  assert.equal(half.queueId, 0);
  assert.equal(half.sysFlag, MessageSysFlag.MULTI_TAGS_FLAG, 'transaction bits cleared, others kept');
  assert.deepEqual({ ...decodeProperties(half.properties) }, { UNIQ_KEY: 'U1', TRAN_MSG: 'true', REAL_TOPIC: 'T', REAL_QID: '3', __transactionId__: 'U1' });
});

test('commit input restores the real topic/queue, keeps TRAN_MSG, sets COMMIT and preparedTransactionOffset', () => {
  const half: DecodedMessage = {
    storeSize: 0, recordLength: 0, magic: 0, bodyCrc: 0, queueId: 0, flag: 2, queueOffset: 9, commitLogOffset: 4242,
    sysFlag: 0, bornTimestamp: 5, bornHost: host, storeTimestamp: 6, storeHost: host, reconsumeTimes: 0,
    preparedTransactionOffset: 0, body: Buffer.from('x'), topic: 'RMQ_SYS_TRANS_HALF_TOPIC',
    properties: { REAL_TOPIC: 'T', REAL_QID: '2', TRAN_MSG: 'true', PGROUP: 'G', UNIQ_KEY: 'U' }, msgId: 'M',
  };
  const c = toCommitInput(half);
  assert.equal(c.topic, 'T');
  assert.equal(c.queueId, 2);
  assert.equal(c.sysFlag, MessageSysFlag.TRANSACTION_COMMIT_TYPE);
  assert.equal(c.preparedTransactionOffset, 4242);
  assert.deepEqual({ ...decodeProperties(c.properties) }, { TRAN_MSG: 'true', PGROUP: 'G', UNIQ_KEY: 'U' });
  const parked = toCheckMaxTimeInput(half);
  assert.equal(parked.topic, 'TRANS_CHECK_MAX_TIME_TOPIC');
  assert.equal(decodeProperties(parked.properties)[MessageConst.REAL_TOPIC], 'T');
});

test('op bodies: "o1,o2," written; 4.x single offsets and junk tolerated; check counters', () => {
  assert.equal(encodeOpBody([3, 10]).toString(), '3,10,');
  assert.deepEqual(decodeOpBody(Buffer.from('3,10,')), [3, 10]);
  assert.deepEqual(decodeOpBody(Buffer.from('17')), [17]);
  assert.deepEqual(decodeOpBody(Buffer.from('a,,-1, 4 ,')), [4]);
  assert.equal(checkTimes({}), 0);
  assert.equal(checkTimes({ TRANSACTION_CHECK_TIMES: '4' }), 4);
  assert.equal(checkTimes({ TRANSACTION_CHECK_TIMES: 'x' }), 0);
  assert.equal(checkImmunityMs({ CHECK_IMMUNITY_TIME_IN_SECONDS: '12' }), 12_000);
  assert.equal(checkImmunityMs({ CHECK_IMMUNITY_TIME_IN_SECONDS: '-1' }), undefined);
  assert.equal(checkImmunityMs({}), undefined);
});
