import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckTransactionStateRequestHeader, EndTransactionRequestHeader } from '../../../../src/remoting/protocol/headers/transaction-headers.ts';

test('EndTransactionRequestHeader: every field as a string, required ones enforced', () => {
  const ext = EndTransactionRequestHeader.encode({
    topic: 'T',
    producerGroup: 'PG',
    tranStateTableOffset: 12,
    commitLogOffset: 6972,
    commitOrRollback: 8,
    fromTransactionCheck: false,
    msgId: 'AB',
    transactionId: 'AB',
    bname: 'broker-a',
  });
  assert.deepEqual(ext, {
    topic: 'T', producerGroup: 'PG', tranStateTableOffset: '12', commitLogOffset: '6972', commitOrRollback: '8',
    fromTransactionCheck: 'false', msgId: 'AB', transactionId: 'AB', bname: 'broker-a',
  });
  assert.equal(EndTransactionRequestHeader.decode(ext).commitOrRollback, 8);
  const { msgId: _m, ...noMsgId } = ext;
  assert.throws(() => EndTransactionRequestHeader.decode(noMsgId), /msgId/);
});

test('CheckTransactionStateRequestHeader decodes the broker fields', () => {
  const h = CheckTransactionStateRequestHeader.decode({ topic: 'T', tranStateTableOffset: '3', commitLogOffset: '99', msgId: 'U', transactionId: 'U', offsetMsgId: 'O' });
  assert.deepEqual(h, { topic: 'T', tranStateTableOffset: 3, commitLogOffset: 99, msgId: 'U', transactionId: 'U', offsetMsgId: 'O' });
});
