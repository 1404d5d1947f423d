// Consumer request headers and bodies missing from remoting/protocol/headers/broker-headers.ts, private to the client
// (PROTOCOL.md §2.2 CONSUMER_SEND_MSG_BACK; §4.5 consumer list; §4.6 lock bodies).
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { defineHeader } from '../../remoting/protocol/header.ts';
import type { HeaderOf } from '../../remoting/protocol/header.ts';
import { parseBodyJson } from '../../remoting/protocol/body/json-fields.ts';
import type { MessageQueue } from '../message.ts';

/** CONSUMER_SEND_MSG_BACK (36). delayLevel 0 = broker decides (3 + reconsumeTimes); negative = straight to DLQ. */
export const ConsumerSendMsgBackRequestHeader = defineHeader('ConsumerSendMsgBackRequestHeader', {
  offset: { kind: 'long', required: true },
  group: { kind: 'string', required: true },
  delayLevel: { kind: 'int', required: true },
  originMsgId: { kind: 'string' },
  originTopic: { kind: 'string' },
  unitMode: { kind: 'bool' },
  maxReconsumeTimes: { kind: 'int' },
});
export type ConsumerSendMsgBackRequestHeader = HeaderOf<typeof ConsumerSendMsgBackRequestHeader.spec>;

function mqJson(mq: MessageQueue): Record<string, unknown> {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}

/** LockBatchRequestBody / UnlockBatchRequestBody (same shape), fastjson key order. */
export function encodeLockBatchBody(clientId: string, consumerGroup: string, mqs: readonly MessageQueue[]): Buffer {
  return Buffer.from(JSON.stringify({ clientId, consumerGroup, mqSet: mqs.map(mqJson), onlyThisBroker: false }));
}

function asMessageQueue(v: unknown, what: string): MessageQueue {
  if (typeof v !== 'object' || v === null) throw new RocketMQError(ERROR_CODES.PROTOCOL, `${what}: queue is not an object`);
  const o = v as Record<string, unknown>;
  const queueId = Number(o.queueId);
  if (typeof o.topic !== 'string' || typeof o.brokerName !== 'string' || !Number.isInteger(queueId)) {
    throw new RocketMQError(ERROR_CODES.PROTOCOL, `${what}: bad queue ${JSON.stringify(v)}`);
  }
  return { topic: o.topic, brokerName: o.brokerName, queueId };
}

/** LockBatchResponseBody → the queues locked for us. */
export function parseLockBatchResponse(body: Buffer | undefined): MessageQueue[] {
  if (!body || body.length === 0) return [];
  const v = parseBodyJson(body, 'LockBatchResponseBody');
  const set = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).lockOKMQSet : undefined;
  if (set === undefined || set === null) return [];
  if (!Array.isArray(set)) throw new RocketMQError(ERROR_CODES.PROTOCOL, 'LockBatchResponseBody: lockOKMQSet is not an array');
  return set.map((q) => asMessageQueue(q, 'LockBatchResponseBody'));
}

/** GetConsumerListByGroupResponseBody → client ids. */
export function parseConsumerIdList(body: Buffer | undefined): string[] {
  if (!body || body.length === 0) return [];
  const v = parseBodyJson(body, 'GetConsumerListByGroupResponseBody');
  const list = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).consumerIdList : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter((x): x is string => typeof x === 'string');
}
