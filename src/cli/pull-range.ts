// Reads the messages of topic queues between two offsets (or store times) with plain PULL_MESSAGE calls and no
// offset commits — what mqadmin printMsg and consumeMessage do with Java's pull consumer.
import type { AdminClient } from '../client/admin/admin-client.ts';
import { TOOLS_CONSUMER_GROUP } from '../client/admin/message-admin.ts';
import { PullStatus, pullMessage, resolveBrokerAddr } from '../client/consumer/consumer-api.ts';
import { SUB_ALL, buildSubscriptionData, matchesSubscription } from '../client/consumer/subscription.ts';
import { toSubscribeQueues } from '../client/instance/topic-route.ts';
import type { MessageQueue } from '../client/message.ts';
import { toMessageView } from '../client/producer/message-view.ts';
import type { MessageView } from '../client/producer/message-view.ts';
import { ERROR_CODES, RocketMQError } from '../common/errors.ts';

export interface PullRangeOptions {
  topic: string;
  /** Default: every readable queue of the topic. */
  queues?: readonly MessageQueue[];
  /** First offset per queue (default the queue's min offset, or the offset of `beginTimestamp`). */
  fromOffset?: number;
  beginTimestamp?: number;
  /** Stop before the offset of `endTimestamp` (default the queue's max offset). */
  endTimestamp?: number;
  /** Tag expression ("TagA || TagB"); default "*". */
  subExpression?: string;
  group?: string;
  /** Most messages in all (default unlimited). */
  maxMessages?: number;
  onMessage(m: MessageView, mq: MessageQueue): void;
}

export interface PullRangeQueue {
  mq: MessageQueue;
  from: number;
  to: number;
  /** Messages handed to onMessage. */
  count: number;
}

const BATCH = 32;

/** Every readable queue of `topic`, sorted by broker name and queue id. */
export async function topicQueues(admin: AdminClient, topic: string): Promise<MessageQueue[]> {
  const route = await admin.topicRoute(topic);
  return toSubscribeQueues(topic, route).sort((a, b) => (a.brokerName === b.brokerName ? a.queueId - b.queueId : a.brokerName < b.brokerName ? -1 : 1));
}

export async function pullRange(admin: AdminClient, o: PullRangeOptions): Promise<PullRangeQueue[]> {
  const queues = o.queues ?? (await topicQueues(admin, o.topic));
  if (o.queues !== undefined) await admin.topicRoute(o.topic); // fills the instance's route for broker addresses
  const instance = admin.clientInstance;
  if (instance === undefined) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'admin client is not started');
  const sub = buildSubscriptionData(o.topic, o.subExpression ?? SUB_ALL);
  const max = o.maxMessages ?? Number.POSITIVE_INFINITY;
  const out: PullRangeQueue[] = [];
  let total = 0;
  for (const mq of queues) {
    const min = await admin.minOffset(mq);
    const maxOffset = await admin.maxOffset(mq);
    let from = o.fromOffset ?? (o.beginTimestamp !== undefined ? await admin.searchOffset(mq, o.beginTimestamp) : min);
    from = Math.max(from, min);
    const to = o.endTimestamp !== undefined ? Math.min(maxOffset, await admin.searchOffset(mq, o.endTimestamp, 'upper')) : maxOffset;
    const q: PullRangeQueue = { mq, from, to, count: 0 };
    out.push(q);
    let offset = from;
    const addr = await resolveBrokerAddr(instance, mq);
    while (offset < to && total < max) {
      const r = await pullMessage(
        instance,
        addr,
        {
          consumerGroup: o.group ?? TOOLS_CONSUMER_GROUP,
          topic: mq.topic,
          queueId: mq.queueId,
          queueOffset: offset,
          maxMsgNums: Math.min(BATCH, to - offset),
          sysFlag: 4, // subscription only: no commit, no suspend
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: sub.subString,
          subVersion: 0,
          expressionType: sub.expressionType,
        },
        10_000,
      );
      if (r.status === PullStatus.FOUND) {
        for (const d of r.messages) {
          if (d.queueOffset >= to || total >= max) break;
          if (!matchesSubscription(sub, d.properties.TAGS)) continue;
          o.onMessage(toMessageView(d), mq);
          q.count++;
          total++;
        }
      } else if (r.status === PullStatus.NO_NEW_MSG) {
        break;
      }
      if (r.nextBeginOffset <= offset) break;
      offset = r.nextBeginOffset;
    }
  }
  return out;
}
