// The consumer's broker calls (Java MQClientAPIImpl, consumer side): PULL, offsets, consumer list, queue locks and
// send-back. Thin wrappers over ClientInstance.invoke that turn replies into values or RocketMQError (PROTOCOL.md §2.2, §9).
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { decodeRecords } from '../../common/message/message-record.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';
import { parseConsumerIdList } from '../../remoting/protocol/body/consumer-id-list.ts';
import { decodeLockBatchResponseBody, encodeLockBatchRequestBody } from '../../remoting/protocol/body/lock-batch-body.ts';
import {
  ConsumerSendMsgBackRequestHeader,
  GetConsumerListByGroupRequestHeader,
  GetMaxOffsetRequestHeader,
  GetMinOffsetRequestHeader,
  OffsetResponseHeader,
  PullMessageRequestHeader,
  PullMessageResponseHeader,
  QueryConsumerOffsetRequestHeader,
  SearchOffsetRequestHeader,
  UpdateConsumerOffsetRequestHeader,
} from '../../remoting/protocol/headers/broker-headers.ts';
import type {
  ConsumerSendMsgBackRequestHeader as SendBackHeader,
  PullMessageRequestHeader as PullHeader,
} from '../../remoting/protocol/headers/broker-headers.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { responseError } from '../client-errors.ts';
import type { ClientInstance } from '../instance/client-instance.ts';
import type { MessageQueue } from '../message.ts';

export const PullStatus = {
  FOUND: 'FOUND',
  NO_NEW_MSG: 'NO_NEW_MSG',
  NO_MATCHED_MSG: 'NO_MATCHED_MSG',
  OFFSET_ILLEGAL: 'OFFSET_ILLEGAL',
} as const;
export type PullStatus = (typeof PullStatus)[keyof typeof PullStatus];

export interface PullResult {
  status: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  suggestWhichBrokerId: number;
  /** Decoded records (FOUND only), not yet tag-filtered. */
  messages: DecodedMessage[];
}

const PULL_STATUS_BY_CODE = new Map<number, PullStatus>([
  [ResponseCode.SUCCESS, PullStatus.FOUND],
  [ResponseCode.PULL_NOT_FOUND, PullStatus.NO_NEW_MSG],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, PullStatus.NO_MATCHED_MSG],
  [ResponseCode.PULL_OFFSET_MOVED, PullStatus.OFFSET_ILLEGAL],
]);

/** Master address of `brokerName`, else `brokerId`'s, else any known one; undefined when the route is unknown. */
export function brokerAddrOf(instance: ClientInstance, brokerName: string, brokerId = 0): string | undefined {
  return instance.findBrokerAddr(brokerName, brokerId) ?? instance.findBrokerAddr(brokerName, 0) ?? instance.findAnyBrokerAddr(brokerName);
}

/** Like brokerAddrOf, refreshing the route of `topic` once when the broker is not known yet. */
export async function resolveBrokerAddr(instance: ClientInstance, mq: MessageQueue, brokerId = 0): Promise<string> {
  let addr = brokerAddrOf(instance, mq.brokerName, brokerId);
  if (addr === undefined) {
    await instance.updateTopicRoute(mq.topic);
    addr = brokerAddrOf(instance, mq.brokerName, brokerId);
  }
  if (addr === undefined) {
    throw new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `broker "${mq.brokerName}" of topic "${mq.topic}" not found in any route`, { retriable: true });
  }
  return addr;
}

/** PULL_MESSAGE (or LITE_PULL_MESSAGE with `code`); codes 0/19/20/21 are statuses, anything else throws. */
export async function pullMessage(
  instance: ClientInstance,
  addr: string,
  header: PullHeader,
  timeoutMs: number,
  code: number = RequestCode.PULL_MESSAGE,
): Promise<PullResult> {
  const res = await instance.invoke(addr, RemotingCommand.request(code, PullMessageRequestHeader.encode(header)), timeoutMs);
  const status = PULL_STATUS_BY_CODE.get(res.code);
  if (status === undefined) throw responseError(`pull ${header.topic}:${header.queueId} from ${addr}`, res, []);
  const h = PullMessageResponseHeader.decode(res.extFields);
  return {
    status,
    nextBeginOffset: h.nextBeginOffset,
    minOffset: h.minOffset,
    maxOffset: h.maxOffset,
    suggestWhichBrokerId: h.suggestWhichBrokerId,
    messages: status === PullStatus.FOUND && res.body ? decodeRecords(res.body, { plainProperties: true }) : [],
  };
}

/** QUERY_CONSUMER_OFFSET; -1 when the broker has none (22 QUERY_NOT_FOUND, PROTOCOL.md §12.11). */
export async function queryConsumerOffset(instance: ClientInstance, addr: string, group: string, mq: MessageQueue, timeoutMs?: number): Promise<number> {
  const ext = QueryConsumerOffsetRequestHeader.encode({ consumerGroup: group, topic: mq.topic, queueId: mq.queueId });
  const res = await instance.invoke(addr, RemotingCommand.request(RequestCode.QUERY_CONSUMER_OFFSET, ext), timeoutMs);
  if (res.code === ResponseCode.QUERY_NOT_FOUND) return -1;
  if (res.code !== ResponseCode.SUCCESS) throw responseError(`query offset of ${group} on ${mq.topic}:${mq.queueId}`, res, []);
  return OffsetResponseHeader.decode(res.extFields).offset;
}

/** UPDATE_CONSUMER_OFFSET, oneway (what Java does every 5 s) or awaited (`oneway` false). */
export async function updateConsumerOffset(
  instance: ClientInstance,
  addr: string,
  group: string,
  mq: MessageQueue,
  offset: number,
  oneway: boolean,
  timeoutMs?: number,
): Promise<void> {
  const ext = UpdateConsumerOffsetRequestHeader.encode({ consumerGroup: group, topic: mq.topic, queueId: mq.queueId, commitOffset: offset });
  const req = RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET, ext);
  if (oneway) {
    await instance.invokeOneway(addr, req.markOneway());
    return;
  }
  const res = await instance.invoke(addr, req, timeoutMs);
  if (res.code !== ResponseCode.SUCCESS) throw responseError(`update offset of ${group} on ${mq.topic}:${mq.queueId}`, res, []);
}

async function offsetCall(instance: ClientInstance, addr: string, code: number, ext: Record<string, string>, what: string): Promise<number> {
  const res = await instance.invoke(addr, RemotingCommand.request(code, ext));
  if (res.code !== ResponseCode.SUCCESS) throw responseError(what, res, []);
  return OffsetResponseHeader.decode(res.extFields).offset;
}

/** GET_MAX_OFFSET: the next offset to be written in the queue. */
export function getMaxOffset(instance: ClientInstance, addr: string, mq: MessageQueue): Promise<number> {
  const ext = GetMaxOffsetRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId });
  return offsetCall(instance, addr, RequestCode.GET_MAX_OFFSET, ext, `max offset of ${mq.topic}:${mq.queueId}`);
}

export function getMinOffset(instance: ClientInstance, addr: string, mq: MessageQueue): Promise<number> {
  const ext = GetMinOffsetRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId });
  return offsetCall(instance, addr, RequestCode.GET_MIN_OFFSET, ext, `min offset of ${mq.topic}:${mq.queueId}`);
}

/** SEARCH_OFFSET_BY_TIMESTAMP (boundary "lower", the broker default). */
export function searchOffset(instance: ClientInstance, addr: string, mq: MessageQueue, timestamp: number): Promise<number> {
  const ext = SearchOffsetRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId, timestamp });
  return offsetCall(instance, addr, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, ext, `offset of ${mq.topic}:${mq.queueId} at ${timestamp}`);
}

/** GET_CONSUMER_LIST_BY_GROUP → client ids of the group's live members. */
export async function getConsumerIdList(instance: ClientInstance, addr: string, group: string): Promise<string[]> {
  const ext = GetConsumerListByGroupRequestHeader.encode({ consumerGroup: group });
  const res = await instance.invoke(addr, RemotingCommand.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP, ext));
  if (res.code !== ResponseCode.SUCCESS) throw responseError(`consumer list of ${group} from ${addr}`, res, []);
  return parseConsumerIdList(res.body);
}

function lockBatchBody(clientId: string, consumerGroup: string, mqs: readonly MessageQueue[]): Buffer {
  return encodeLockBatchRequestBody({ clientId, consumerGroup, mqSet: [...mqs], onlyThisBroker: false });
}

/** LOCK_BATCH_MQ → the queues the broker locked for this client. */
export async function lockBatchMQ(instance: ClientInstance, addr: string, group: string, mqs: readonly MessageQueue[]): Promise<MessageQueue[]> {
  const body = lockBatchBody(instance.clientId, group, mqs);
  const res = await instance.invoke(addr, RemotingCommand.request(RequestCode.LOCK_BATCH_MQ, {}, body));
  if (res.code !== ResponseCode.SUCCESS) throw responseError(`lock queues of ${group} on ${addr}`, res, []);
  return decodeLockBatchResponseBody(res.body);
}

/** UNLOCK_BATCH_MQ, oneway or awaited. */
export async function unlockBatchMQ(instance: ClientInstance, addr: string, group: string, mqs: readonly MessageQueue[], oneway: boolean): Promise<void> {
  const req = RemotingCommand.request(RequestCode.UNLOCK_BATCH_MQ, {}, lockBatchBody(instance.clientId, group, mqs));
  if (oneway) {
    await instance.invokeOneway(addr, req.markOneway());
    return;
  }
  const res = await instance.invoke(addr, req);
  if (res.code !== ResponseCode.SUCCESS) throw responseError(`unlock queues of ${group} on ${addr}`, res, []);
}

/** CONSUMER_SEND_MSG_BACK: hand a failed message back to the broker for a later retry (or the DLQ). */
export async function consumerSendMessageBack(instance: ClientInstance, addr: string, header: SendBackHeader, timeoutMs?: number): Promise<void> {
  const res = await instance.invoke(addr, RemotingCommand.request(RequestCode.CONSUMER_SEND_MSG_BACK, ConsumerSendMsgBackRequestHeader.encode(header)), timeoutMs);
  if (res.code !== ResponseCode.SUCCESS) throw responseError(`send back message ${header.originMsgId ?? header.offset} of ${header.group}`, res, []);
}
