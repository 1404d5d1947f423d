// What consumers hand to users: a pulled record with the body inflated and the common properties lifted out
// (Java MessageExt as produced by MQClientAPIImpl.processPullResponse + PullAPIWrapper.processPullResult).
import { decompressBody } from '../../common/message/full-message.ts';
import { formatHostPort } from '../../common/message/host-address.ts';
import { MessageConst } from '../../common/message/message-const.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';

export interface MessageExt {
  /** The topic as the user subscribed it (a retried message shows its original topic, not %RETRY%group). */
  topic: string;
  /** zlib-inflated when the record's sysFlag says it is compressed. */
  body: Buffer;
  tags: string | undefined;
  /** Business keys (property KEYS split on spaces). */
  keys: string[];
  /** Every property of the record, system ones included. */
  properties: Record<string, string>;
  /** UNIQ_KEY when the producer set one (every Java/rocketmq-ts producer does), else offsetMsgId. */
  msgId: string;
  /** Broker id: store host + commit-log offset (PROTOCOL.md §6.1). */
  offsetMsgId: string;
  brokerName: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  storeTimestamp: number;
  bornTimestamp: number;
  /** "ip:port" */
  bornHost: string;
  /** "ip:port" */
  storeHost: string;
  reconsumeTimes: number;
  flag: number;
  sysFlag: number;
  bodyCrc: number;
  storeSize: number;
  preparedTransactionOffset: number;
}

/** %RETRY%<group>: where failed messages of a group come back. */
export function retryTopicOf(group: string): string {
  return `%RETRY%${group}`;
}

/** %DLQ%<group>. */
export function dlqTopicOf(group: string): string {
  return `%DLQ%${group}`;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith('%RETRY%');
}

export interface ToMessageExtContext {
  brokerName: string;
  /** PullMessageResponseHeader min/maxOffset, copied into MIN_OFFSET / MAX_OFFSET like Java. */
  minOffset?: number;
  maxOffset?: number;
  /** The consumer group: a message from %RETRY%<group> gets its RETRY_TOPIC back as topic. */
  group?: string;
}

/** The user's MessageExt. Takes over `m.properties` when it is already an ordinary object (decodeRecords plainProperties). */
export function toMessageExt(m: DecodedMessage, ctx: ToMessageExtContext): MessageExt {
  const properties = Object.getPrototypeOf(m.properties) === Object.prototype ? m.properties : { ...m.properties };
  if (ctx.minOffset !== undefined) properties[MessageConst.MIN_OFFSET] = String(ctx.minOffset);
  if (ctx.maxOffset !== undefined) properties[MessageConst.MAX_OFFSET] = String(ctx.maxOffset);
  let topic = m.topic;
  const retryTopic = properties[MessageConst.RETRY_TOPIC];
  if (retryTopic !== undefined && ctx.group !== undefined && topic === retryTopicOf(ctx.group)) topic = retryTopic;
  const keys = properties[MessageConst.KEYS];
  return {
    topic,
    body: decompressBody(m),
    tags: properties[MessageConst.TAGS],
    keys: keys === undefined ? [] : keys.split(' ').filter((k) => k !== ''),
    properties,
    msgId: properties[MessageConst.UNIQ_KEY] ?? m.msgId,
    offsetMsgId: m.msgId,
    brokerName: ctx.brokerName,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    commitLogOffset: m.commitLogOffset,
    storeTimestamp: m.storeTimestamp,
    bornTimestamp: m.bornTimestamp,
    bornHost: formatHostPort(m.bornHost),
    storeHost: formatHostPort(m.storeHost),
    reconsumeTimes: m.reconsumeTimes,
    flag: m.flag,
    sysFlag: m.sysFlag,
    bodyCrc: m.bodyCrc,
    storeSize: m.storeSize,
    preparedTransactionOffset: m.preparedTransactionOffset,
  };
}
