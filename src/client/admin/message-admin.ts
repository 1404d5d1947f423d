// Message look-ups and queue offsets (mqadmin queryMsgById / queryMsgByKey / queryMsgByUniqueKey / queryMsgByOffset):
// VIEW_MESSAGE_BY_ID 33 at the broker an offsetMsgId names (PROTOCOL.md §6.1), QUERY_MESSAGE 12 on every broker of the
// topic with client-side key filtering (index hash collisions are possible), PULL_MESSAGE 11 of one message, and
// GET_MIN/MAX_OFFSET 31/30, SEARCH_OFFSET_BY_TIMESTAMP 29, GET_EARLIEST_MSG_STORETIME 32.
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { formatHostPort } from '../../common/message/host-address.ts';
import { decodeOffsetMsgId, isMessageIdShape } from '../../common/message/message-id.ts';
import { decodeRecord, decodeRecords } from '../../common/message/message-record.ts';
import type { MessageQueue } from '../../remoting/protocol/body/message-queue.ts';
import {
  GetEarliestMsgStoretimeRequestHeader, GetEarliestMsgStoretimeResponseHeader, GetMaxOffsetRequestHeader, GetMinOffsetRequestHeader,
  OffsetResponseHeader, PullMessageRequestHeader, PullMessageResponseHeader, QueryMessageRequestHeader, SearchOffsetRequestHeader,
  ViewMessageRequestHeader,
} from '../../remoting/protocol/headers/broker-headers.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { toMessageView } from '../producer/message-view.ts';
import type { MessageView } from '../producer/message-view.ts';
import type { AdminContext } from './admin-context.ts';

/** Consumer group Java's tools pull with (MixAll.TOOLS_CONSUMER_GROUP). */
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';
/** Stands in for Java's Long.MAX_VALUE as "no end" (exact in a JS number and parseable as a Java long). */
export const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;
const THREE_DAYS_MS = 3 * 24 * 3600 * 1000;

export interface QueryMessageOptions {
  /** Most messages each broker returns; default 64 (mqadmin queryMsgByKey). */
  maxNum?: number;
  /** Store-time window; default 0 … no end. */
  beginTimestamp?: number;
  endTimestamp?: number;
}

export const QueryByOffsetStatus = {
  FOUND: 'FOUND',
  NO_NEW_MSG: 'NO_NEW_MSG',
  NO_MATCHED_MSG: 'NO_MATCHED_MSG',
  OFFSET_ILLEGAL: 'OFFSET_ILLEGAL',
} as const;
export type QueryByOffsetStatus = (typeof QueryByOffsetStatus)[keyof typeof QueryByOffsetStatus];

export interface QueryByOffsetResult {
  status: QueryByOffsetStatus;
  /** The message at the offset (status FOUND). */
  message: MessageView | undefined;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
}

/** VIEW_MESSAGE_BY_ID (33) at the store host encoded in `offsetMsgId`. */
export async function viewMessage(ctx: AdminContext, offsetMsgId: string, topic?: string): Promise<MessageView> {
  const id = decodeOffsetMsgId(offsetMsgId);
  const addr = formatHostPort(id.address);
  const res = await ctx.call(addr, RequestCode.VIEW_MESSAGE_BY_ID, ViewMessageRequestHeader.encode({ topic, offset: id.offset }));
  if (res.body === undefined || res.body.length === 0) {
    throw new RocketMQError(ERROR_CODES.PROTOCOL, `VIEW_MESSAGE_BY_ID reply from ${addr} has no body`);
  }
  return toMessageView(decodeRecord(res.body, 0));
}

/**
 * mqadmin queryMsgById: `id` as an offsetMsgId first (VIEW_MESSAGE_BY_ID); if that fails and a topic is given, as a
 * UNIQ_KEY (QUERY_MESSAGE with _UNIQUE_KEY_QUERY). undefined when neither finds the message.
 */
export async function queryMessageById(ctx: AdminContext, id: string, topic?: string): Promise<MessageView | undefined> {
  let viewError: unknown;
  if (isMessageIdShape(id)) {
    try {
      return await viewMessage(ctx, id, topic);
    } catch (e) {
      viewError = e;
    }
  }
  if (topic === undefined) {
    if (viewError !== undefined) throw viewError;
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `"${id}" is not an offsetMsgId; give the topic to look it up as a message key`);
  }
  return (await queryMessageByUniqueKey(ctx, topic, id))[0];
}

/** QUERY_MESSAGE (12) by business key on every broker of the topic; only messages whose KEYS contain `key` exactly. */
export async function queryMessageByKey(ctx: AdminContext, topic: string, key: string, o: QueryMessageOptions = {}): Promise<MessageView[]> {
  const found = await queryMessage(ctx, topic, key, false, o.maxNum ?? 64, o.beginTimestamp ?? 0, o.endTimestamp ?? MAX_TIMESTAMP);
  return found.filter((m) => m.topic === topic && m.keys.includes(key));
}

/**
 * QUERY_MESSAGE (12) with `_UNIQUE_KEY_QUERY=true` (the broker looks up `topic#uniqKey`, maxNum 32); only messages
 * whose UNIQ_KEY is `uniqKey`. Window default: the last three days (Java's queryMessageByUniqKey).
 */
export async function queryMessageByUniqueKey(ctx: AdminContext, topic: string, uniqKey: string, o: QueryMessageOptions = {}): Promise<MessageView[]> {
  const begin = o.beginTimestamp ?? Date.now() - THREE_DAYS_MS;
  const found = await queryMessage(ctx, topic, uniqKey, true, o.maxNum ?? 32, begin, o.endTimestamp ?? MAX_TIMESTAMP);
  return found.filter((m) => m.msgId === uniqKey);
}

async function queryMessage(
  ctx: AdminContext,
  topic: string,
  key: string,
  unique: boolean,
  maxNum: number,
  beginTimestamp: number,
  endTimestamp: number,
): Promise<MessageView[]> {
  const route = await ctx.route(topic);
  const brokers = ctx.routeBrokers(route);
  const ext = QueryMessageRequestHeader.encode({ topic, key, maxNum, beginTimestamp, endTimestamp, _UNIQUE_KEY_QUERY: unique });
  const failures: string[] = [];
  const out: MessageView[] = [];
  // Like Java: a broker that fails is logged and skipped; only when every broker fails is it an error.
  const replies = await Promise.all(
    brokers.map(async (b): Promise<RemotingCommand | undefined> => {
      try {
        return await ctx.call(b.addr, RequestCode.QUERY_MESSAGE, { ...ext }, undefined, [ResponseCode.QUERY_NOT_FOUND]);
      } catch (e) {
        failures.push(`${b.brokerName}: ${errorMessage(e)}`);
        return undefined;
      }
    }),
  );
  if (brokers.length > 0 && failures.length === brokers.length) {
    throw new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `query of "${key}" in topic "${topic}" failed on every broker: ${failures.join('; ')}`);
  }
  for (const res of replies) {
    if (res === undefined || res.code !== ResponseCode.SUCCESS || res.body === undefined) continue;
    for (const m of decodeRecords(res.body)) out.push(toMessageView(m));
  }
  return out.sort((a, b) => a.storeTimestamp - b.storeTimestamp || a.commitLogOffset - b.commitLogOffset);
}

/** PULL_MESSAGE (11) of one message at `offset` of a queue, as mqadmin queryMsgByOffset (group TOOLS_CONSUMER, "*"). */
export async function queryMessageByOffset(ctx: AdminContext, mq: MessageQueue, offset: number): Promise<QueryByOffsetResult> {
  const addr = await ctx.brokerAddrOf(mq.topic, mq.brokerName);
  const ext = PullMessageRequestHeader.encode({
    consumerGroup: TOOLS_CONSUMER_GROUP,
    topic: mq.topic,
    queueId: mq.queueId,
    queueOffset: offset,
    maxMsgNums: 1,
    sysFlag: 4, // PullSysFlag.SUBSCRIPTION only: no commit, no suspend
    commitOffset: 0,
    suspendTimeoutMillis: 20_000,
    subscription: '*',
    subVersion: 0,
    expressionType: 'TAG',
  });
  const res = await ctx.call(addr, RequestCode.PULL_MESSAGE, ext, undefined, [
    ResponseCode.PULL_NOT_FOUND,
    ResponseCode.PULL_RETRY_IMMEDIATELY,
    ResponseCode.PULL_OFFSET_MOVED,
  ]);
  const h = PullMessageResponseHeader.decode(res.extFields);
  const status =
    res.code === ResponseCode.SUCCESS
      ? QueryByOffsetStatus.FOUND
      : res.code === ResponseCode.PULL_NOT_FOUND
        ? QueryByOffsetStatus.NO_NEW_MSG
        : res.code === ResponseCode.PULL_RETRY_IMMEDIATELY
          ? QueryByOffsetStatus.NO_MATCHED_MSG
          : QueryByOffsetStatus.OFFSET_ILLEGAL;
  const first = status === QueryByOffsetStatus.FOUND && res.body !== undefined ? decodeRecords(res.body)[0] : undefined;
  return {
    status: first === undefined && status === QueryByOffsetStatus.FOUND ? QueryByOffsetStatus.NO_NEW_MSG : status,
    message: first === undefined ? undefined : toMessageView(first),
    nextBeginOffset: h.nextBeginOffset,
    minOffset: h.minOffset,
    maxOffset: h.maxOffset,
  };
}

async function offsetCall(ctx: AdminContext, mq: MessageQueue, code: number, ext: Record<string, string>): Promise<number> {
  const addr = await ctx.brokerAddrOf(mq.topic, mq.brokerName);
  const res = await ctx.call(addr, code, ext);
  return OffsetResponseHeader.decode(res.extFields).offset;
}

/** GET_MIN_OFFSET (31). */
export function minOffset(ctx: AdminContext, mq: MessageQueue): Promise<number> {
  return offsetCall(ctx, mq, RequestCode.GET_MIN_OFFSET, GetMinOffsetRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName }));
}

/** GET_MAX_OFFSET (30): the next offset to be written (committed=true, as Java). */
export function maxOffset(ctx: AdminContext, mq: MessageQueue): Promise<number> {
  return offsetCall(
    ctx,
    mq,
    RequestCode.GET_MAX_OFFSET,
    GetMaxOffsetRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId, committed: true, bname: mq.brokerName }),
  );
}

/** SEARCH_OFFSET_BY_TIMESTAMP (29); boundaryType "lower" (default on the broker) or "upper". */
export function searchOffset(ctx: AdminContext, mq: MessageQueue, timestamp: number, boundaryType?: 'lower' | 'upper'): Promise<number> {
  return offsetCall(
    ctx,
    mq,
    RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
    SearchOffsetRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId, timestamp, boundaryType, bname: mq.brokerName }),
  );
}

/** GET_EARLIEST_MSG_STORETIME (32): store time of the oldest message of the queue. */
export async function earliestMsgStoreTime(ctx: AdminContext, mq: MessageQueue): Promise<number> {
  const addr = await ctx.brokerAddrOf(mq.topic, mq.brokerName);
  const res = await ctx.call(
    addr,
    RequestCode.GET_EARLIEST_MSG_STORETIME,
    GetEarliestMsgStoretimeRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName }),
  );
  return GetEarliestMsgStoretimeResponseHeader.decode(res.extFields).timestamp;
}
