// Offset/consumption statistics for mqadmin (PROTOCOL.md §2.1, §4.5, §4.7; Java AdminBrokerProcessor):
// GET_TOPIC_STATS_INFO 202 (TopicStatsTable), GET_CONSUME_STATS 208 (ConsumeStats), QUERY_TOPIC_CONSUME_BY_WHO 300
// (GroupList) and QUERY_TOPICS_BY_CONSUMER 343 (TopicList). Map<MessageQueue,…> bodies use fastjson's object-as-key form.
import { serializeConsumeStats } from '../../remoting/protocol/body/consume-stats.ts';
import type { OffsetWrapper } from '../../remoting/protocol/body/consume-stats.ts';
import { serializeGroupList } from '../../remoting/protocol/body/group-list.ts';
import type { MessageQueue } from '../../remoting/protocol/body/message-queue.ts';
import { serializeTopicList } from '../../remoting/protocol/body/topic-list.ts';
import { serializeTopicStatsTable } from '../../remoting/protocol/body/topic-stats-table.ts';
import type { TopicOffset } from '../../remoting/protocol/body/topic-stats-table.ts';
import {
  CONSUME_STATS_TOPIC_SEPARATOR,
  GetConsumeStatsRequestHeader,
  GetTopicStatsInfoRequestHeader,
  QueryTopicConsumeByWhoRequestHeader,
  QueryTopicsByConsumerRequestHeader,
} from '../../remoting/protocol/headers/admin-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import { brokerStatsOf } from '../stats/broker-stats.ts';
import type { BrokerContext } from './broker-context.ts';
import { fail, guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

export class StatsProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.GET_TOPIC_STATS_INFO, (req) => this.getTopicStatsInfo(req)],
      [RequestCode.GET_CONSUME_STATS, (req) => this.getConsumeStats(req)],
      [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, (req) => this.queryTopicConsumeByWho(req)],
      [RequestCode.QUERY_TOPICS_BY_CONSUMER, (req) => this.queryTopicsByConsumer(req)],
    ]);
  }

  /** Min/max offset and last store time of every queue (max(read, write) queues); unknown topic → 17. */
  getTopicStatsInfo(req: RemotingCommand): RemotingCommand {
    const h = GetTopicStatsInfoRequestHeader.decode(req.extFields);
    const ctx = this.#ctx;
    const tc = ctx.topicConfigManager.selectTopicConfig(h.topic);
    if (tc === undefined) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist`);
    const brokerName = ctx.brokerConfig.brokerName;
    const offsetTable: Array<[MessageQueue, TopicOffset]> = [];
    const queues = Math.max(tc.readQueueNums, tc.writeQueueNums);
    for (let q = 0; q < queues; q++) {
      const minOffset = Math.max(0, ctx.store.getMinOffsetInQueue(h.topic, q));
      const maxOffset = Math.max(0, ctx.store.getMaxOffsetInQueue(h.topic, q));
      const last = maxOffset > 0 ? ctx.store.getMessageStoreTimeStamp(h.topic, q, maxOffset - 1) : 0;
      offsetTable.push([{ topic: h.topic, brokerName, queueId: q }, { minOffset, maxOffset, lastUpdateTimestamp: Math.max(0, last) }]);
    }
    const topicPutTps = brokerStatsOf(ctx).topicPutTps(h.topic);
    return ok(req, undefined, serializeTopicStatsTable({ offsetTable, topicPutTps }));
  }

  /**
   * Per readable queue of each topic: brokerOffset (max offset), consumerOffset (committed, 0 if none), pullOffset
   * (≥ consumerOffset) and lastTimestamp (store time of the last consumed message). Topics: `topicList` if given, else
   * `topic`, else every topic the group has offsets for — the latter two narrowed to the group's live subscriptions
   * if it has live ones (Java's rule). Topics unknown to this broker are skipped. A blank group → 29.
   */
  getConsumeStats(req: RemotingCommand): RemotingCommand {
    const h = GetConsumeStatsRequestHeader.decode(req.extFields);
    const group = h.consumerGroup;
    if (group.trim() === '') throw reject(ResponseCode.INVALID_PARAMETER, 'GET_CONSUME_STATS: consumerGroup is blank');
    const ctx = this.#ctx;
    const brokerName = ctx.brokerConfig.brokerName;
    const stats = brokerStatsOf(ctx);
    const offsetTable: Array<[MessageQueue, OffsetWrapper]> = [];
    let consumeTps = 0;
    for (const topic of this.#topicsForConsumeStats(group, h.topic, h.topicList)) {
      const tc = ctx.topicConfigManager.selectTopicConfig(topic);
      if (tc === undefined) continue;
      for (let q = 0; q < tc.readQueueNums; q++) {
        const brokerOffset = Math.max(0, ctx.store.getMaxOffsetInQueue(topic, q));
        const consumerOffset = Math.max(0, ctx.consumerOffsetManager.queryOffset(group, topic, q));
        const pullOffset = Math.max(consumerOffset, ctx.consumerOffsetManager.queryPullOffset(group, topic, q));
        const ts = consumerOffset > 0 ? ctx.store.getMessageStoreTimeStamp(topic, q, consumerOffset - 1) : 0;
        offsetTable.push([{ topic, brokerName, queueId: q }, { brokerOffset, consumerOffset, pullOffset, lastTimestamp: Math.max(0, ts) }]);
      }
      consumeTps += stats.groupGetTps(group, topic);
    }
    return ok(req, undefined, serializeConsumeStats({ offsetTable, consumeTps }));
  }

  #topicsForConsumeStats(group: string, topic: string | undefined, topicList: string | undefined): string[] {
    const listed = (topicList ?? '')
      .split(CONSUME_STATS_TOPIC_SEPARATOR)
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (listed.length > 0) return [...new Set(listed)];
    const ctx = this.#ctx;
    const topics = topic !== undefined && topic.trim() !== '' ? [topic] : [...ctx.consumerOffsetManager.whichTopicByConsumer(group)].sort();
    const info = ctx.consumerManager.getConsumerGroupInfo(group);
    if (info === undefined || info.subscriptions().length === 0) return topics;
    return topics.filter((t) => info.findSubscriptionData(t) !== undefined);
  }

  /** Groups subscribed to the topic (live consumers) or holding offsets on it. */
  queryTopicConsumeByWho(req: RemotingCommand): RemotingCommand {
    const h = QueryTopicConsumeByWhoRequestHeader.decode(req.extFields);
    const ctx = this.#ctx;
    const groups = ctx.consumerManager.queryTopicConsumeByWho(h.topic);
    for (const g of ctx.consumerOffsetManager.whichGroupByTopic(h.topic)) groups.add(g);
    return ok(req, undefined, serializeGroupList({ groupList: [...groups].sort() }));
  }

  /** Topics the group holds offsets for, with this broker's address. */
  queryTopicsByConsumer(req: RemotingCommand): RemotingCommand {
    const h = QueryTopicsByConsumerRequestHeader.decode(req.extFields);
    const topics = [...this.#ctx.consumerOffsetManager.whichTopicByConsumer(h.group)].sort();
    return ok(req, undefined, serializeTopicList({ topicList: topics, brokerAddr: this.#ctx.brokerAddr() }));
  }
}
