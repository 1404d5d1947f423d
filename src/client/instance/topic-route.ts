// Route → queues a client may publish to / subscribe from (Java MQClientInstance.topicRouteData2TopicPublishInfo).
import type { TopicRouteData } from '../../remoting/protocol/body/topic-route-data.ts';
import type { MessageQueue } from '../message.ts';

/** Perm bits (PROTOCOL.md §4.1). */
export const PermName = { PRIORITY: 8, READ: 4, WRITE: 2, INHERIT: 1 } as const;
export type PermName = (typeof PermName)[keyof typeof PermName];

export const MASTER_ID = '0';

export interface TopicPublishInfo {
  /** True when the queues came from the NameServer's ORDER_TOPIC_CONFIG. */
  orderTopic: boolean;
  queues: MessageQueue[];
  route: TopicRouteData;
}

/** Master address ("0") of `brokerName` in `route`, if any. */
export function masterAddrOf(route: TopicRouteData, brokerName: string): string | undefined {
  return route.brokerDatas.find((b) => b.brokerName === brokerName)?.brokerAddrs[MASTER_ID];
}

/**
 * Writable queues, brokers sorted by name; a broker without a master address is skipped (a producer can only send to
 * masters). With `orderTopicConf` ("brokerA:4;brokerB:4") the queues come from it instead.
 */
export function toPublishInfo(topic: string, route: TopicRouteData): TopicPublishInfo {
  const queues: MessageQueue[] = [];
  if (route.orderTopicConf) {
    for (const part of route.orderTopicConf.split(';')) {
      const i = part.lastIndexOf(':');
      if (i <= 0) continue;
      const brokerName = part.slice(0, i);
      const n = Number(part.slice(i + 1));
      for (let q = 0; q < n; q++) queues.push({ topic, brokerName, queueId: q });
    }
    return { orderTopic: true, queues, route };
  }
  const qds = [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0));
  for (const qd of qds) {
    if ((qd.perm & PermName.WRITE) === 0) continue;
    if (masterAddrOf(route, qd.brokerName) === undefined) continue;
    for (let q = 0; q < qd.writeQueueNums; q++) queues.push({ topic, brokerName: qd.brokerName, queueId: q });
  }
  return { orderTopic: false, queues, route };
}

/** Readable queues (what a consumer rebalances over). */
export function toSubscribeQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = [];
  for (const qd of route.queueDatas) {
    if ((qd.perm & PermName.READ) === 0) continue;
    for (let q = 0; q < qd.readQueueNums; q++) out.push({ topic, brokerName: qd.brokerName, queueId: q });
  }
  return out;
}

/**
 * The TBW102 route reshaped for a topic that does not exist yet: each broker offers min(defaultTopicQueueNums,
 * readQueueNums) queues for reading and writing (Java getTopicRouteInfoFromNameServer with isDefault=true).
 */
export function defaultTopicRouteFor(defaultRoute: TopicRouteData, defaultTopicQueueNums: number): TopicRouteData {
  return {
    ...defaultRoute,
    queueDatas: defaultRoute.queueDatas.map((qd) => {
      const n = Math.min(defaultTopicQueueNums, qd.readQueueNums);
      return { ...qd, readQueueNums: n, writeQueueNums: n };
    }),
  };
}

/** Structural equality good enough to decide whether a refreshed route changed. */
export function routeEquals(a: TopicRouteData, b: TopicRouteData): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(r: TopicRouteData): unknown {
  const byName = (x: { brokerName: string }, y: { brokerName: string }): number => (x.brokerName < y.brokerName ? -1 : x.brokerName > y.brokerName ? 1 : 0);
  return {
    o: r.orderTopicConf ?? '',
    q: [...r.queueDatas].sort(byName),
    b: [...r.brokerDatas].sort(byName).map((b) => ({ ...b, brokerAddrs: Object.entries(b.brokerAddrs).sort() })),
  };
}
