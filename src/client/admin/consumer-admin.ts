// Consumer-side admin calls (mqadmin consumerProgress, consumerConnection, producerConnection, resetOffsetByTime,
// topic → groups): GET_CONSUME_STATS 208, GET_CONSUMER_CONNECTION_LIST 203, GET_PRODUCER_CONNECTION_LIST 204,
// INVOKE_BROKER_TO_RESET_OFFSET 222 (+ offline fallback), QUERY_TOPIC_CONSUME_BY_WHO 300.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { parseConsumerConnection, parseProducerConnection } from '../../remoting/protocol/body/connection.ts';
import type { ConsumerConnection, ProducerConnection } from '../../remoting/protocol/body/connection.ts';
import { parseConsumeStats } from '../../remoting/protocol/body/consume-stats.ts';
import type { OffsetWrapper } from '../../remoting/protocol/body/consume-stats.ts';
import { parseGroupList } from '../../remoting/protocol/body/group-list.ts';
import type { MessageQueue } from '../../remoting/protocol/body/message-queue.ts';
import { parseResetOffsetBody } from '../../remoting/protocol/body/reset-offset-body.ts';
import { parseTopicStatsTable } from '../../remoting/protocol/body/topic-stats-table.ts';
import {
  AdminUpdateConsumerOffsetRequestHeader, GetConsumerConnectionListRequestHeader, GetConsumeStatsRequestHeader,
  GetProducerConnectionListRequestHeader, GetTopicStatsInfoRequestHeader, QueryTopicConsumeByWhoRequestHeader, ResetOffsetRequestHeader,
} from '../../remoting/protocol/headers/admin-headers.ts';
import { GetMaxOffsetRequestHeader, OffsetResponseHeader, SearchOffsetRequestHeader } from '../../remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { responseError } from '../client-errors.ts';
import type { AdminContext, RouteBroker } from './admin-context.ts';

/** `%RETRY%<group>`: the topic whose route tells which brokers know a consumer group. */
export function retryTopic(group: string): string {
  return `%RETRY%${group}`;
}

/** One queue of consumerProgress. */
export interface ConsumeStatsRow {
  topic: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  pullOffset: number;
  /** brokerOffset − consumerOffset: messages not consumed yet. */
  diff: number;
  lastTimestamp: number;
}

export interface ConsumeStatsResult {
  group: string;
  consumeTps: number;
  totalDiff: number;
  rows: ConsumeStatsRow[];
}

export interface ResetOffsetOptions {
  topic: string;
  group: string;
  /** Epoch ms to rewind/forward to; −1 means "the end of each queue". */
  timestamp: number;
  /** Also move offsets forward (default true, as mqadmin resetOffsetByTime). */
  force?: boolean;
}

/**
 * One queue of resetOffsetByTime. `via: 'broker'` — the broker computed the offset and told the online consumers
 * (INVOKE_BROKER_TO_RESET_OFFSET); `via: 'offline'` — no consumer was online (206), so the offset was computed here
 * with SEARCH_OFFSET_BY_TIMESTAMP (or GET_MAX_OFFSET for −1) and written with UPDATE_CONSUMER_OFFSET.
 */
export interface ResetOffsetRow {
  brokerName: string;
  queueId: number;
  topic: string;
  /** The offset the group now has (offline: unchanged when not forced and the target is ahead). */
  resetOffset: number;
  via: 'broker' | 'offline';
  /** offline only: queue max offset, previous committed offset, the offset found for the timestamp. */
  brokerOffset?: number;
  consumerOffset?: number;
  timestampOffset?: number;
}

function sortRows<T extends { topic: string; brokerName: string; queueId: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => {
    if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
    if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
    return a.queueId - b.queueId;
  });
}

/** GET_CONSUME_STATS (208) on every broker of the group (route of %RETRY%group, else of `topic`), merged. */
export async function consumeStats(ctx: AdminContext, group: string, topic?: string): Promise<ConsumeStatsResult> {
  const route = await ctx.firstRoute(topic === undefined ? [retryTopic(group)] : [retryTopic(group), topic]);
  const rows: ConsumeStatsRow[] = [];
  let consumeTps = 0;
  for (const b of ctx.routeBrokers(route)) {
    const res = await ctx.call(b.addr, RequestCode.GET_CONSUME_STATS, GetConsumeStatsRequestHeader.encode({ consumerGroup: group, topic }));
    const stats = parseConsumeStats(res.body);
    consumeTps += stats.consumeTps;
    for (const [mq, w] of stats.offsetTable) rows.push(consumeRow(mq, w));
  }
  return { group, consumeTps, totalDiff: rows.reduce((n, r) => n + r.diff, 0), rows: sortRows(rows) };
}

function consumeRow(mq: MessageQueue, w: OffsetWrapper): ConsumeStatsRow {
  return {
    topic: mq.topic,
    brokerName: mq.brokerName,
    queueId: mq.queueId,
    brokerOffset: w.brokerOffset,
    consumerOffset: w.consumerOffset,
    pullOffset: w.pullOffset,
    diff: w.brokerOffset - w.consumerOffset,
    lastTimestamp: w.lastTimestamp,
  };
}

function notOnline(what: string): RocketMQError {
  return new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `${what} is not online`, { responseCode: ResponseCode.CONSUMER_NOT_ONLINE });
}

/**
 * GET_CONSUMER_CONNECTION_LIST (203): the first broker of the group's route (%RETRY%group) that knows connections.
 * No connection anywhere → RocketMQError with responseCode 206 CONSUMER_NOT_ONLINE (as Java's admin).
 */
export async function consumerConnection(ctx: AdminContext, group: string): Promise<ConsumerConnection> {
  const route = await ctx.route(retryTopic(group));
  for (const b of ctx.routeBrokers(route)) {
    const res = await ctx.call(b.addr, RequestCode.GET_CONSUMER_CONNECTION_LIST, GetConsumerConnectionListRequestHeader.encode({ consumerGroup: group }), undefined, [
      ResponseCode.CONSUMER_NOT_ONLINE,
    ]);
    if (res.code !== ResponseCode.SUCCESS) continue;
    const cc = parseConsumerConnection(res.body);
    if (cc.connectionSet.length > 0) return cc;
  }
  throw notOnline(`consumer group "${group}"`);
}

/** GET_PRODUCER_CONNECTION_LIST (204) from the brokers of `topic`; none connected → responseCode 206. */
export async function producerConnection(ctx: AdminContext, group: string, topic: string): Promise<ProducerConnection> {
  const route = await ctx.route(topic);
  for (const b of ctx.routeBrokers(route)) {
    const res = await ctx.call(b.addr, RequestCode.GET_PRODUCER_CONNECTION_LIST, GetProducerConnectionListRequestHeader.encode({ producerGroup: group }));
    const pc = parseProducerConnection(res.body);
    if (pc.connectionSet.length > 0) return pc;
  }
  throw notOnline(`producer group "${group}"`);
}

/** QUERY_TOPIC_CONSUME_BY_WHO (300) on every broker of the topic: the union of groups, sorted. */
export async function queryTopicConsumeByWho(ctx: AdminContext, topic: string): Promise<string[]> {
  const route = await ctx.route(topic);
  const groups = new Set<string>();
  for (const b of ctx.routeBrokers(route)) {
    const res = await ctx.call(b.addr, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, QueryTopicConsumeByWhoRequestHeader.encode({ topic }));
    for (const g of parseGroupList(res.body).groupList) groups.add(g);
  }
  return [...groups].sort();
}

/**
 * mqadmin resetOffsetByTime: INVOKE_BROKER_TO_RESET_OFFSET (222) on every broker of the topic (header as Java 5.x
 * writes it: queueId −1, offset −1). A broker answering 206 CONSUMER_NOT_ONLINE is handled offline, as Java's
 * resetOffsetByTimestampOld: offsets computed with SEARCH_OFFSET_BY_TIMESTAMP (GET_MAX_OFFSET for −1) and written with
 * UPDATE_CONSUMER_OFFSET, only where that moves the offset back unless `force`.
 */
export async function resetOffsetByTime(ctx: AdminContext, o: ResetOffsetOptions): Promise<ResetOffsetRow[]> {
  const force = o.force ?? true;
  const route = await ctx.route(o.topic);
  const rows: ResetOffsetRow[] = [];
  for (const b of ctx.routeBrokers(route)) {
    const ext = ResetOffsetRequestHeader.encode({ topic: o.topic, group: o.group, queueId: -1, offset: -1, timestamp: o.timestamp, isForce: force });
    const res = await ctx.invoke(b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, ext);
    if (res.code === ResponseCode.SUCCESS) {
      if (res.body !== undefined && res.body.length > 0) {
        for (const [mq, offset] of parseResetOffsetBody(res.body).offsetTable) {
          rows.push({ topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId, resetOffset: offset, via: 'broker' });
        }
      }
      continue;
    }
    if (res.code !== ResponseCode.CONSUMER_NOT_ONLINE) throw responseError(`reset offset of "${o.group}" on ${b.addr}`, res, []);
    const readQueueNums = route.queueDatas.find((q) => q.brokerName === b.brokerName)?.readQueueNums ?? 0;
    rows.push(...(await resetOffline(ctx, b, readQueueNums, o, force)));
  }
  return sortRows(rows);
}

async function resetOffline(ctx: AdminContext, b: RouteBroker, readQueueNums: number, o: ResetOffsetOptions, force: boolean): Promise<ResetOffsetRow[]> {
  const stats = parseConsumeStats((await ctx.call(b.addr, RequestCode.GET_CONSUME_STATS, GetConsumeStatsRequestHeader.encode({ consumerGroup: o.group }))).body);
  let queues: Array<[MessageQueue, { brokerOffset: number; consumerOffset: number }]> = stats.offsetTable.filter(([mq]) => mq.topic === o.topic);
  if (queues.length === 0) {
    // The group never consumed here: start from the topic's min offsets (Java does the same).
    const ts = parseTopicStatsTable((await ctx.call(b.addr, RequestCode.GET_TOPIC_STATS_INFO, GetTopicStatsInfoRequestHeader.encode({ topic: o.topic }))).body);
    queues = [];
    for (let q = 0; q < readQueueNums; q++) {
      const t = ts.offsetTable.find(([mq]) => mq.brokerName === b.brokerName && mq.queueId === q)?.[1];
      queues.push([{ topic: o.topic, brokerName: b.brokerName, queueId: q }, { brokerOffset: t?.maxOffset ?? 0, consumerOffset: t?.minOffset ?? 0 }]);
    }
  }
  const rows: ResetOffsetRow[] = [];
  for (const [mq, w] of queues) {
    const found =
      o.timestamp === -1
        ? await ctx.call(b.addr, RequestCode.GET_MAX_OFFSET, GetMaxOffsetRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId }))
        : await ctx.call(b.addr, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, SearchOffsetRequestHeader.encode({ topic: mq.topic, queueId: mq.queueId, timestamp: o.timestamp }));
    const timestampOffset = OffsetResponseHeader.decode(found.extFields).offset;
    let resetOffset = w.consumerOffset;
    if (force || timestampOffset <= w.consumerOffset) {
      resetOffset = timestampOffset;
      await ctx.call(
        b.addr,
        RequestCode.UPDATE_CONSUMER_OFFSET,
        AdminUpdateConsumerOffsetRequestHeader.encode({ consumerGroup: o.group, topic: mq.topic, queueId: mq.queueId, commitOffset: resetOffset, bname: mq.brokerName }),
      );
    }
    rows.push({
      topic: mq.topic,
      brokerName: mq.brokerName,
      queueId: mq.queueId,
      resetOffset,
      via: 'offline',
      brokerOffset: w.brokerOffset,
      consumerOffset: w.consumerOffset,
      timestampOffset,
    });
  }
  return rows;
}
