// What users hand to a producer and get back from it.
import type { MessageQueue } from '../remoting/protocol/body/message-queue.ts';

/** One queue of a topic on one broker group (the wire shape, §4.6). */
export type { MessageQueue };

export function messageQueueKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}

export interface Message {
  topic: string;
  body: Buffer | string;
  /** One tag (property TAGS). */
  tags?: string;
  /** Business keys, indexed by the broker (property KEYS, space-joined). */
  keys?: string | readonly string[];
  /** User properties; must not contain \u0001 / \u0002 nor reuse system property names. */
  properties?: Readonly<Record<string, string>>;
  /** Delay level 1..18 (property DELAY). */
  delayTimeLevel?: number;
  /** Absolute delivery time in epoch ms (5.x timer message, property TIMER_DELIVER_MS). */
  deliverTimeMs?: number;
  /** Relative delay in ms (5.x timer message, property TIMER_DELAY_MS). */
  delayTimeMs?: number;
  /** User flag stored with the message. */
  flag?: number;
  /** Wait for flush / replication before answering (property WAIT); default true. */
  waitStoreMsgOK?: boolean;
}

export const SendStatus = {
  SEND_OK: 'SEND_OK',
  FLUSH_DISK_TIMEOUT: 'FLUSH_DISK_TIMEOUT',
  FLUSH_SLAVE_TIMEOUT: 'FLUSH_SLAVE_TIMEOUT',
  SLAVE_NOT_AVAILABLE: 'SLAVE_NOT_AVAILABLE',
} as const;
export type SendStatus = (typeof SendStatus)[keyof typeof SendStatus];

export interface SendResult {
  status: SendStatus;
  /** Client-generated UNIQ_KEY (comma-joined for a batch). */
  msgId: string;
  /** Broker-generated id: store host + commit-log offset (comma-joined for a batch). */
  offsetMsgId: string;
  messageQueue: MessageQueue;
  /** Consume-queue offset of the (first) message. */
  queueOffset: number;
  transactionId: string | undefined;
  /** MSG_REGION from the reply; "DefaultRegion" when absent. */
  regionId: string;
  /** TRACE_ON from the reply. */
  traceOn: boolean;
}
