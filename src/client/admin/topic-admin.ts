// Topic admin calls (Java DefaultMQAdminExt / mqadmin updateTopic, deleteTopic, topicList, topicRoute, topicStatus,
// topicClusterList): UPDATE_AND_CREATE_TOPIC 17 and DELETE_TOPIC_IN_BROKER 215 to brokers; DELETE_TOPIC_IN_NAMESRV 216,
// GET_ALL_TOPIC_LIST_FROM_NAMESERVER 206, GET_ROUTEINFO_BY_TOPIC 105, GET_TOPICS_BY_CLUSTER 224 to NameServers;
// GET_TOPIC_STATS_INFO 202 and GET_TOPIC_CONFIG 351 to brokers.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { topicConfigFromJson } from '../../remoting/protocol/body/topic-config.ts';
import type { TopicConfig, TopicFilterType } from '../../remoting/protocol/body/topic-config.ts';
import { parseBodyJson } from '../../remoting/protocol/body/json-fields.ts';
import { parseTopicList } from '../../remoting/protocol/body/topic-list.ts';
import type { TopicRouteData } from '../../remoting/protocol/body/topic-route-data.ts';
import { parseTopicStatsTable } from '../../remoting/protocol/body/topic-stats-table.ts';
import { GetTopicStatsInfoRequestHeader } from '../../remoting/protocol/headers/admin-headers.ts';
import { CreateTopicRequestHeader, TopicRequestHeader } from '../../remoting/protocol/headers/broker-headers.ts';
import { DeleteTopicFromNamesrvRequestHeader, GetTopicsByClusterRequestHeader } from '../../remoting/protocol/headers/namesrv-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { validateTopic } from '../producer/message-encoding.ts';
import type { AdminContext, BrokerTarget } from './admin-context.ts';
import { getKvConfig, putKvConfig } from './cluster-admin.ts';

/** KV namespace holding "brokerName:queueNums;…" per ordered topic (Java NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG). */
export const ORDER_TOPIC_CONFIG_NAMESPACE = 'ORDER_TOPIC_CONFIG';

export interface CreateTopicOptions extends BrokerTarget {
  topic: string;
  /** Default 8 (mqadmin updateTopic). */
  readQueueNums?: number;
  /** Default 8. */
  writeQueueNums?: number;
  /** PermName bits; default 6 (read + write). */
  perm?: number;
  topicFilterType?: TopicFilterType;
  /** TopicSysFlag bits (1 unit, 2 unit-sub); default 0. */
  topicSysFlag?: number;
  /** Ordered topic: also writes the ORDER_TOPIC_CONFIG KV entry on the NameServers, as mqadmin updateTopic -o does. */
  order?: boolean;
  /** Attribute modifications as mqadmin takes them, e.g. { "+message.type": "NORMAL" } (sent as "+message.type=NORMAL"). */
  attributes?: Readonly<Record<string, string>>;
}

export interface CreateTopicResult {
  /** Brokers the topic was created/updated on. */
  brokerAddrs: string[];
  /** ORDER_TOPIC_CONFIG value written for an ordered topic. */
  orderConf?: string;
}

export interface DeleteTopicResult {
  brokerAddrs: string[];
  namesrvAddrs: string[];
}

/** One row of topicStatus. */
export interface TopicStatusRow {
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  /** Store time of the last message, 0 when the queue is empty. */
  lastUpdateTimestamp: number;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `${name} must be a positive integer, got ${v}`);
  return v;
}

/** Java AttributeParser.parseToString: "k=v,k2" (empty value → key alone). */
export function formatAttributes(attributes: Readonly<Record<string, string>> | undefined): string {
  if (attributes === undefined) return '';
  return Object.entries(attributes).map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join(',');
}

export async function createTopic(ctx: AdminContext, o: CreateTopicOptions): Promise<CreateTopicResult> {
  validateTopic(o.topic);
  const readQueueNums = positiveInt('readQueueNums', o.readQueueNums ?? 8);
  const writeQueueNums = positiveInt('writeQueueNums', o.writeQueueNums ?? 8);
  const addrs = await ctx.targetAddrs(o);
  const ext = CreateTopicRequestHeader.encode({
    topic: o.topic,
    defaultTopic: ctx.createTopicKey,
    readQueueNums,
    writeQueueNums,
    perm: o.perm ?? 6,
    topicFilterType: o.topicFilterType ?? 'SINGLE_TAG',
    topicSysFlag: o.topicSysFlag ?? 0,
    order: o.order ?? false,
    attributes: formatAttributes(o.attributes),
  });
  for (const addr of addrs) await ctx.call(addr, RequestCode.UPDATE_AND_CREATE_TOPIC, { ...ext });
  const result: CreateTopicResult = { brokerAddrs: addrs };
  if (o.order === true) {
    // mqadmin: with -c every broker of the cluster gets writeQueueNums; with -b only that broker's entry changes.
    let orderConf: string;
    if (o.clusterName !== undefined && o.clusterName !== '') {
      orderConf = (await ctx.brokerNamesOfCluster(o.clusterName)).map((n) => `${n}:${writeQueueNums}`).join(';');
    } else {
      const brokerName = await brokerNameOfAddr(ctx, addrs[0]);
      const entries = new Map<string, string>();
      const old = await getKvConfig(ctx, ORDER_TOPIC_CONFIG_NAMESPACE, o.topic);
      for (const item of (old ?? '').split(';')) if (item !== '') entries.set(item.split(':')[0], item);
      entries.set(brokerName, `${brokerName}:${writeQueueNums}`);
      orderConf = [...entries.values()].join(';');
    }
    await putKvConfig(ctx, ORDER_TOPIC_CONFIG_NAMESPACE, o.topic, orderConf);
    result.orderConf = orderConf;
  }
  return result;
}

/** Broker name registered for `addr` (any broker id), from the cluster info. */
export async function brokerNameOfAddr(ctx: AdminContext, addr: string): Promise<string> {
  const ci = await ctx.clusterInfo();
  for (const bd of Object.values(ci.brokerAddrTable)) {
    if (Object.values(bd.brokerAddrs).includes(addr)) return bd.brokerName;
  }
  throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `no broker with address ${addr} is registered in the name server`);
}

/** mqadmin deleteTopic: DELETE_TOPIC_IN_BROKER on every master of the cluster, then DELETE_TOPIC_IN_NAMESRV on every NameServer. */
export async function deleteTopic(ctx: AdminContext, topic: string, clusterName: string): Promise<DeleteTopicResult> {
  const brokerAddrs = await ctx.masterAddrsOfCluster(clusterName);
  for (const addr of brokerAddrs) await ctx.call(addr, RequestCode.DELETE_TOPIC_IN_BROKER, TopicRequestHeader.encode({ topic }));
  const ns = await ctx.callEveryNamesrv(RequestCode.DELETE_TOPIC_IN_NAMESRV, DeleteTopicFromNamesrvRequestHeader.encode({ topic, clusterName }));
  return { brokerAddrs, namesrvAddrs: ns.map((n) => n.addr) };
}

/** Every topic the NameServer knows (GET_ALL_TOPIC_LIST_FROM_NAMESERVER), sorted. */
export async function topicList(ctx: AdminContext): Promise<string[]> {
  const res = await ctx.callNamesrv(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER);
  return parseTopicList(res.body).topicList.sort();
}

export function topicRoute(ctx: AdminContext, topic: string): Promise<TopicRouteData> {
  return ctx.route(topic);
}

/** GET_TOPICS_BY_CLUSTER (224), sorted. */
export async function topicsByCluster(ctx: AdminContext, cluster: string): Promise<string[]> {
  const res = await ctx.callNamesrv(RequestCode.GET_TOPICS_BY_CLUSTER, GetTopicsByClusterRequestHeader.encode({ cluster }));
  return parseTopicList(res.body).topicList.sort();
}

/** Clusters the topic's brokers belong to (mqadmin topicClusterList). */
export async function topicClusterList(ctx: AdminContext, topic: string): Promise<string[]> {
  const route = await ctx.route(topic);
  const ci = await ctx.clusterInfo();
  const clusters = new Set<string>();
  for (const bd of route.brokerDatas) {
    let found = false;
    for (const [cluster, names] of Object.entries(ci.clusterAddrTable)) {
      if (names.includes(bd.brokerName)) {
        clusters.add(cluster);
        found = true;
      }
    }
    if (!found && bd.cluster !== '') clusters.add(bd.cluster);
  }
  return [...clusters].sort();
}

/** GET_TOPIC_STATS_INFO (202) on one address of each broker group of the topic, merged and sorted. */
export async function topicStatus(ctx: AdminContext, topic: string): Promise<TopicStatusRow[]> {
  const route = await ctx.route(topic);
  const rows: TopicStatusRow[] = [];
  for (const b of ctx.routeBrokers(route)) {
    const res = await ctx.call(b.addr, RequestCode.GET_TOPIC_STATS_INFO, GetTopicStatsInfoRequestHeader.encode({ topic }));
    for (const [mq, t] of parseTopicStatsTable(res.body).offsetTable) {
      rows.push({ brokerName: mq.brokerName, queueId: mq.queueId, minOffset: t.minOffset, maxOffset: t.maxOffset, lastUpdateTimestamp: t.lastUpdateTimestamp });
    }
  }
  return rows.sort((a, b) => (a.brokerName === b.brokerName ? a.queueId - b.queueId : a.brokerName < b.brokerName ? -1 : 1));
}

/** GET_TOPIC_CONFIG (351) from one broker; undefined on 17 TOPIC_NOT_EXIST. */
export async function getTopicConfig(ctx: AdminContext, brokerAddr: string, topic: string): Promise<TopicConfig | undefined> {
  const res = await ctx.call(brokerAddr, RequestCode.GET_TOPIC_CONFIG, TopicRequestHeader.encode({ topic }), undefined, [ResponseCode.TOPIC_NOT_EXIST]);
  if (res.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
  // 5.x wraps the TopicConfig as TopicConfigAndQueueMapping: the same fields plus mappingDetail.
  return topicConfigFromJson(parseBodyJson(res.body, 'TopicConfig'), 'TopicConfig', topic);
}
