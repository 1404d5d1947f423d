// Listener types of the push consumer (Java MessageListenerConcurrently / MessageListenerOrderly) and the view of the
// consumer that the consume services need.
import type { Logger } from '../../common/logger.ts';
import type { MessageQueue } from '../message.ts';
import type { MessageExt } from './message-ext.ts';
import type { OffsetStore } from './offset-store.ts';
import type { ProcessQueue } from './process-queue.ts';
import type { MessageModel } from './rebalance.ts';

export const ConsumeConcurrentlyStatus = { CONSUME_SUCCESS: 'CONSUME_SUCCESS', RECONSUME_LATER: 'RECONSUME_LATER' } as const;
export type ConsumeConcurrentlyStatus = (typeof ConsumeConcurrentlyStatus)[keyof typeof ConsumeConcurrentlyStatus];

export interface ConsumeConcurrentlyContext {
  readonly mq: MessageQueue;
  /** Delay level of the retry of failed messages: 0 = broker decides (3 + reconsumeTimes), -1 = straight to the DLQ. */
  delayLevelWhenNextConsume: number;
  /** With CONSUME_SUCCESS: index of the last message consumed; the ones after it are retried. Default: all. */
  ackIndex: number;
}

/** Returning nothing (or resolving to nothing) means CONSUME_SUCCESS; throwing means RECONSUME_LATER. */
export type MessageListenerConcurrently = (
  msgs: MessageExt[],
  ctx: ConsumeConcurrentlyContext,
) => ConsumeConcurrentlyStatus | undefined | void | Promise<ConsumeConcurrentlyStatus | undefined | void>;

export const ConsumeOrderlyStatus = { SUCCESS: 'SUCCESS', SUSPEND_CURRENT_QUEUE_A_MOMENT: 'SUSPEND_CURRENT_QUEUE_A_MOMENT' } as const;
export type ConsumeOrderlyStatus = (typeof ConsumeOrderlyStatus)[keyof typeof ConsumeOrderlyStatus];

export interface ConsumeOrderlyContext {
  readonly mq: MessageQueue;
  /** How long the queue pauses before the same messages are tried again after a failure; default 1000 ms. */
  suspendCurrentQueueTimeMillis: number;
}

/** Returning nothing means SUCCESS; throwing means SUSPEND_CURRENT_QUEUE_A_MOMENT. */
export type MessageListenerOrderly = (
  msgs: MessageExt[],
  ctx: ConsumeOrderlyContext,
) => ConsumeOrderlyStatus | undefined | void | Promise<ConsumeOrderlyStatus | undefined | void>;

/** What a consume service needs from its consumer. */
export interface ConsumerCore {
  readonly group: string;
  readonly messageModel: MessageModel;
  readonly log: Logger;
  offsetStore(): OffsetStore;
  /** True once shutdown began: no new consumption, failures are not sent back (the offset is simply not committed). */
  stopping(): boolean;
  sendMessageBack(msg: MessageExt, delayLevel: number, maxReconsumeTimes: number): Promise<void>;
  /** Orderly: lock one queue on its broker now. */
  lockQueue(mq: MessageQueue): Promise<boolean>;
}

export interface ConsumeService {
  /** Messages newly cached for `mq`; `dispatch` (orderly) says a consume loop must start. */
  submit(mq: MessageQueue, pq: ProcessQueue, msgs: MessageExt[], dispatch: boolean): void;
  /** Stop starting consumption and wait (at most `awaitMs`) for listener calls in flight. */
  shutdown(awaitMs: number): Promise<void>;
  /** Listener calls in flight. */
  readonly active: number;
}
