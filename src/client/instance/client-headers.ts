// Client-side headers not (yet) in remoting/protocol/headers/broker-headers.ts (PROTOCOL.md §2.2). Private to the client.
import { defineHeader } from '../../remoting/protocol/header.ts';
import type { HeaderOf } from '../../remoting/protocol/header.ts';

export { NotifyConsumerIdsChangedRequestHeader, UnregisterClientRequestHeader } from '../../remoting/protocol/headers/broker-headers.ts';

/** CHECK_TRANSACTION_STATE (39), broker → producer, oneway. */
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
