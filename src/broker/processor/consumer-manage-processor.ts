// GET_CONSUMER_LIST_BY_GROUP 38, QUERY_CONSUMER_OFFSET 14, UPDATE_CONSUMER_OFFSET 15 (PROTOCOL.md §2.2, §12.11,
// §12.12; Java ConsumerManageProcessor).
import { serializeConsumerIdList } from '../../remoting/protocol/body/consumer-id-list.ts';
import {
  GetConsumerListByGroupRequestHeader,
  OffsetResponseHeader,
  QueryConsumerOffsetRequestHeader,
  UpdateConsumerOffsetRequestHeader,
} from '../../remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RemotingChannel, RequestHandler } from '../../remoting/transport/types.ts';
import type { BrokerContext } from './broker-context.ts';
import { fail, guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

export class ConsumerManageProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.GET_CONSUMER_LIST_BY_GROUP, (req) => this.getConsumerListByGroup(req)],
      [RequestCode.QUERY_CONSUMER_OFFSET, (req) => this.queryConsumerOffset(req)],
      [RequestCode.UPDATE_CONSUMER_OFFSET, (req, ch) => this.updateConsumerOffset(req, ch)],
    ]);
  }

  getConsumerListByGroup(req: RemotingCommand): RemotingCommand {
    const h = GetConsumerListByGroupRequestHeader.decode(req.extFields);
    const ids = this.#ctx.consumerManager.getConsumerIdList(h.consumerGroup);
    if (ids.length === 0) return fail(req, ResponseCode.SYSTEM_ERROR, `no consumer for this group, ${h.consumerGroup}`);
    return ok(req, undefined, serializeConsumerIdList(ids));
  }

  queryConsumerOffset(req: RemotingCommand): RemotingCommand {
    const h = QueryConsumerOffsetRequestHeader.decode(req.extFields);
    if (h.queueId < 0) throw reject(ResponseCode.INVALID_PARAMETER, `queueId[${h.queueId}] is illegal for topic ${h.topic}`);
    const store = this.#ctx.store;
    const r = this.#ctx.consumerOffsetManager.queryOffsetForRequest(h.consumerGroup, h.topic, h.queueId, h.setZeroIfNotFound, {
      minOffsetInQueue: (topic, queueId) => store.getMinOffsetInQueue(topic, queueId),
    });
    if (r.code === ResponseCode.QUERY_NOT_FOUND) {
      return fail(req, ResponseCode.QUERY_NOT_FOUND, 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first');
    }
    return ok(req, OffsetResponseHeader.encode({ offset: r.offset }));
  }

  /** Negative offsets are accepted and ignored (ali-ons sends −1 for "nothing consumed yet"). */
  updateConsumerOffset(req: RemotingCommand, channel: RemotingChannel): RemotingCommand {
    const h = UpdateConsumerOffsetRequestHeader.decode(req.extFields);
    const ctx = this.#ctx;
    const tc = ctx.topicConfigManager.selectTopicConfig(h.topic);
    if (tc === undefined) throw reject(ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist`);
    const queues = Math.max(tc.readQueueNums, tc.writeQueueNums);
    if (h.queueId < 0 || h.queueId >= queues) {
      throw reject(ResponseCode.INVALID_PARAMETER, `queueId[${h.queueId}] is illegal, topic ${h.topic} has ${queues} queues`);
    }
    if (ctx.subscriptionGroupManager.findSubscriptionGroupConfig(h.consumerGroup) === undefined) {
      throw reject(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group [${h.consumerGroup}] does not exist`);
    }
    ctx.consumerOffsetManager.commitOffset(channel.remoteAddress, h.consumerGroup, h.topic, h.queueId, h.commitOffset);
    return ok(req);
  }
}
