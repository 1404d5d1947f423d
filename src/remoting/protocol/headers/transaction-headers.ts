// Transaction headers (PROTOCOL.md §2.2, §8.3): END_TRANSACTION (37, producer → broker, oneway) and
// CHECK_TRANSACTION_STATE (39, broker → producer, oneway). Shared by the broker's transaction processor and the
// client's TransactionProducer.
import { defineHeader } from '../header.ts';
import type { HeaderOf } from '../header.ts';

/**
 * END_TRANSACTION (37). tranStateTableOffset = half message's queue offset, commitLogOffset = its commit-log offset
 * (from the offsetMsgId), commitOrRollback = 0 unknown / 8 commit / 12 rollback (MessageSysFlag transaction values),
 * msgId = UNIQ_KEY. Java always writes fromTransactionCheck ("false" by default). `bname` = target broker name (5.x).
 */
export const EndTransactionRequestHeader = defineHeader('EndTransactionRequestHeader', {
  topic: { kind: 'string' },
  producerGroup: { kind: 'string', required: true },
  tranStateTableOffset: { kind: 'long', required: true },
  commitLogOffset: { kind: 'long', required: true },
  commitOrRollback: { kind: 'int', required: true },
  fromTransactionCheck: { kind: 'bool' },
  msgId: { kind: 'string', required: true },
  transactionId: { kind: 'string' },
  bname: { kind: 'string' },
});
export type EndTransactionRequestHeader = HeaderOf<typeof EndTransactionRequestHeader.spec>;

/** CHECK_TRANSACTION_STATE (39); body = the half message in full-message encoding (§5.4). */
export const CheckTransactionStateRequestHeader = defineHeader('CheckTransactionStateRequestHeader', {
  topic: { kind: 'string' },
  tranStateTableOffset: { kind: 'long', required: true },
  commitLogOffset: { kind: 'long', required: true },
  msgId: { kind: 'string' },
  transactionId: { kind: 'string' },
  offsetMsgId: { kind: 'string' },
  bname: { kind: 'string' },
});
export type CheckTransactionStateRequestHeader = HeaderOf<typeof CheckTransactionStateRequestHeader.spec>;
