// PULL_MESSAGE 11 / LITE_PULL_MESSAGE 361 (PROTOCOL.md §2.2, §9, §12.8; Java PullMessageProcessor). Validates the
// group/topic/queue/subscription, reads from the store with a TAG or SQL92 (enablePropertyFilter)
// filter, commits the piggy-backed offset, and parks
// the request for long polling when nothing is there yet. Everything up to the park decision is synchronous, so a
// message dispatched in between cannot be missed.
import { RocketMQError, ERROR_CODES } from '../../common/errors.ts';
import { parsePullSysFlag } from '../../common/message/message-const.ts';
import { PullMessageRequestHeader, PullMessageResponseHeader } from '../../remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RemotingChannel, RequestHandler } from '../../remoting/transport/types.ts';
import { GetMessageStatus } from '../../store/query/get-message-result.ts';
import type { GetMessageResult } from '../../store/query/get-message-result.ts';
import { MessageModel } from '../../remoting/protocol/body/heartbeat-data.ts';
import type { SubscriptionData } from '../../remoting/protocol/body/heartbeat-data.ts';
import { BrokerRole } from '../config/broker-config.ts';
import { MessageFilterCache, isTagType } from '../filter/message-filter.ts';
import { PullRequestHoldService } from '../longpolling/pull-request-hold-service.ts';
import { brokerStatsOf } from '../stats/broker-stats.ts';
import { isReadable } from '../topic/topic-config.ts';
import type { BrokerContext } from './broker-context.ts';
import { guarded, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';
import { buildSubscriptionData, filterSubscriptionOf } from './subscription-filter.ts';

const MASTER_ID = 0;
const INT_MAX = 2147483647;

/** GetMessageStatus → pull reply code (§9). */
export function pullStatusToCode(status: GetMessageResult['status'], requestOffset: number): number {
  switch (status) {
    case GetMessageStatus.FOUND:
      return ResponseCode.SUCCESS;
    case GetMessageStatus.NO_MATCHED_MESSAGE:
    case GetMessageStatus.MESSAGE_WAS_REMOVING:
      return ResponseCode.PULL_RETRY_IMMEDIATELY;
    case GetMessageStatus.NO_MESSAGE_IN_QUEUE:
    case GetMessageStatus.NO_MATCHED_LOGIC_QUEUE:
      return requestOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_FOUND_NULL:
    case GetMessageStatus.OFFSET_OVERFLOW_ONE:
      return ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_OVERFLOW_BADLY:
    case GetMessageStatus.OFFSET_TOO_SMALL:
      return ResponseCode.PULL_OFFSET_MOVED;
    default:
      return ResponseCode.SYSTEM_ERROR;
  }
}

export class PullMessageProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;
  readonly hold: PullRequestHoldService;
  /** Built TAG / SQL92 filters, shared by pulls and long-poll wake-ups. */
  readonly filters = new MessageFilterCache();
  readonly #reexecute: RequestHandler;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
    this.#reexecute = guarded((req, ch) => this.processRequest(req, ch, false), ctx.log);
    this.hold = new PullRequestHoldService({
      logger: ctx.log,
      execute: (req, ch) => this.#executeHeld(req, ch),
    });
  }

  handlers(): Array<[number, RequestHandler]> {
    const h = guarded((req, ch) => this.processRequest(req, ch, true), this.#ctx.log);
    return [
      [RequestCode.PULL_MESSAGE, h],
      [RequestCode.LITE_PULL_MESSAGE, h],
    ];
  }

  /** Wire this to MessageStore.onMessageArrived: wakes parked pulls of the queue whose filter accepts the message. */
  onMessageArrived(
    topic: string,
    queueId: number,
    queueOffset: number,
    tagsCode: number,
    properties?: Readonly<Record<string, string>>,
  ): void {
    this.hold.notifyMessageArriving(topic, queueId, queueOffset + 1, tagsCode, properties);
  }

  /** Runs one pull. Returns null when the request was parked (the reply comes later). */
  processRequest(req: RemotingCommand, channel: RemotingChannel, brokerAllowSuspend: boolean): RemotingCommand | null {
    const h = PullMessageRequestHeader.decode(req.extFields);
    const flags = parsePullSysFlag(h.sysFlag);
    const ctx = this.#ctx;
    const bc = ctx.brokerConfig;
    if (!isReadable(bc.brokerPermission)) {
      throw reject(ResponseCode.NO_PERMISSION, `the broker[${bc.brokerIP1}] pulling message is forbidden`);
    }
    const sgc = ctx.subscriptionGroupManager.findSubscriptionGroupConfig(h.consumerGroup);
    if (sgc === undefined) {
      throw reject(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group [${h.consumerGroup}] does not exist`);
    }
    if (!sgc.consumeEnable) {
      throw reject(ResponseCode.NO_PERMISSION, `subscription group no permission, ${h.consumerGroup}`);
    }
    const tc = ctx.topicConfigManager.selectTopicConfig(h.topic);
    if (tc === undefined) {
      throw reject(ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist, apply first please!`);
    }
    if (!isReadable(tc.perm)) {
      throw reject(ResponseCode.NO_PERMISSION, `the topic[${h.topic}] pulling message is forbidden`);
    }
    if (h.queueId < 0 || h.queueId >= tc.readQueueNums) {
      throw reject(
        ResponseCode.INVALID_PARAMETER,
        `queueId[${h.queueId}] is illegal, topic:[${h.topic}] topicConfig.readQueueNums:[${tc.readQueueNums}] consumer:[${channel.remoteAddress}]`,
      );
    }
    const subscription = this.#subscription(h, flags.subscription, sgc.consumeBroadcastEnable);
    // A bad SQL92 selector throws with responseCode 23 SUBSCRIPTION_PARSE_FAILED and the parse error as remark.
    const filter = this.filters.get(h.consumerGroup, h.topic, filterSubscriptionOf(subscription));

    // An admin reset-by-time (222) is handed to the consumer on its next pull as 21 with the new offset (Java 5.x
    // useServerSideResetOffset); the pull's piggy-backed commit is stale then and is not applied.
    if (bc.useServerSideResetOffset) {
      const reset = ctx.consumerOffsetManager.queryThenEraseResetOffset(h.topic, h.consumerGroup, h.queueId);
      if (reset !== undefined) {
        const ext = PullMessageResponseHeader.encode({
          suggestWhichBrokerId: MASTER_ID,
          nextBeginOffset: reset,
          minOffset: ctx.store.getMinOffsetInQueue(h.topic, h.queueId),
          maxOffset: ctx.store.getMaxOffsetInQueue(h.topic, h.queueId),
          topicSysFlag: tc.topicSysFlag,
          groupSysFlag: sgc.groupSysFlag,
        });
        return RemotingCommand.responseTo(req, ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_RESET', ext);
      }
    }

    const result = ctx.store.getMessage(
      h.consumerGroup,
      h.topic,
      h.queueId,
      h.queueOffset,
      Math.max(1, h.maxMsgNums),
      h.maxMsgBytes !== undefined && h.maxMsgBytes > 0 ? h.maxMsgBytes : INT_MAX,
      filter,
    );
    const code = pullStatusToCode(result.status, h.queueOffset);
    brokerStatsOf(ctx).recordGet(h.consumerGroup, h.topic, code === ResponseCode.SUCCESS ? result.messages.length : 0);

    if (brokerAllowSuspend && flags.commitOffset && bc.brokerRole !== BrokerRole.SLAVE) {
      ctx.consumerOffsetManager.commitOffset(channel.remoteAddress, h.consumerGroup, h.topic, h.queueId, h.commitOffset);
    }

    if (code === ResponseCode.PULL_NOT_FOUND && brokerAllowSuspend && flags.suspend) {
      const timeoutMs = bc.longPollingEnable ? h.suspendTimeoutMillis : bc.shortPollingTimeMills;
      if (timeoutMs > 0) {
        this.hold.suspend({
          request: req,
          channel,
          topic: h.topic,
          queueId: h.queueId,
          pullFromOffset: h.queueOffset,
          filter,
          timeoutMs,
        });
        return null;
      }
    }

    const ext = PullMessageResponseHeader.encode({
      suggestWhichBrokerId: bc.slaveReadEnable ? sgc.brokerId : MASTER_ID,
      nextBeginOffset: result.nextBeginOffset,
      minOffset: result.minOffset,
      maxOffset: result.maxOffset,
      topicSysFlag: tc.topicSysFlag,
      groupSysFlag: sgc.groupSysFlag,
    });
    const body = code === ResponseCode.SUCCESS && result.messages.length > 0 ? Buffer.concat(result.messages) : undefined;
    return RemotingCommand.responseTo(req, code, result.status, ext, body);
  }

  #subscription(h: PullMessageRequestHeader, fromHeader: boolean, broadcastEnable: boolean): SubscriptionData {
    const ctx = this.#ctx;
    const expressionType = h.expressionType === undefined || h.expressionType === '' ? 'TAG' : h.expressionType;
    if (fromHeader) {
      this.#checkExpressionType(expressionType);
      return buildSubscriptionData(h.topic, h.subscription, expressionType, h.subVersion);
    }
    const info = ctx.consumerManager.getConsumerGroupInfo(h.consumerGroup);
    if (info === undefined) {
      throw reject(ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's group info not exist: ${h.consumerGroup}`);
    }
    if (!broadcastEnable && info.messageModel === MessageModel.BROADCASTING) {
      throw reject(ResponseCode.NO_PERMISSION, `the consumer group[${h.consumerGroup}] can not consume by broadcast way`);
    }
    const sub = info.findSubscriptionData(h.topic);
    if (sub === undefined) {
      throw reject(ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's subscription not exist: ${h.consumerGroup} / ${h.topic}`);
    }
    if (sub.subVersion < h.subVersion) {
      throw reject(ResponseCode.SUBSCRIPTION_NOT_LATEST, `the consumer's subscription not latest: ${sub.subVersion} < ${h.subVersion}`);
    }
    this.#checkExpressionType(sub.expressionType);
    return sub;
  }

  /** Non-TAG filters need enablePropertyFilter (Java answers 1 SYSTEM_ERROR otherwise). */
  #checkExpressionType(expressionType: string | undefined): void {
    if (isTagType(expressionType) || this.#ctx.brokerConfig.enablePropertyFilter) return;
    throw reject(ResponseCode.SYSTEM_ERROR, `The broker does not support consumer to filter message by ${expressionType ?? ''}`);
  }

  #executeHeld(req: RemotingCommand, channel: RemotingChannel): void {
    const reply = this.#reexecute(req, channel);
    if (reply instanceof Promise) {
      throw new RocketMQError(ERROR_CODES.INTERNAL, 'pull re-execution must be synchronous');
    }
    if (reply === null || reply === undefined || channel.closed) return;
    channel.write(reply);
  }
}
