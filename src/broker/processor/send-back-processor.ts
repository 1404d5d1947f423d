// CONSUMER_SEND_MSG_BACK 36 (PROTOCOL.md §2.2, §8.2; Java AbstractSendMessageProcessor.consumerSendMsgBack): a
// consumer hands back a message it failed to consume. The broker re-stores a copy in %RETRY%<group> at delay level
// 3 + reconsumeTimes (through SCHEDULE_TOPIC_XXXX), or in %DLQ%<group> once reconsumeTimes reaches the max (the
// request's maxReconsumeTimes from V3_4_9 on, else the group's retryMaxTimes) or when delayLevel < 0.
import { MessageConst } from '../../common/message/message-const.ts';
import { encodeProperties } from '../../common/message/message-properties.ts';
import { decodeRecord } from '../../common/message/message-record.ts';
import { ConsumerSendMsgBackRequestHeader } from '../../remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { MQVersion } from '../../remoting/protocol/version.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import { PutMessageStatus } from '../../store/index.ts';
import { applyDelayTransform, TIMER_PROPERTIES } from '../message-transform.ts';
import { isWriteable } from '../topic/topic-config.ts';
import type { BrokerContext } from './broker-context.ts';
import { guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

const FAQ = 'See https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.';
/** First retry level: 3 (10 s with the default table), then one level more per reconsume. */
const RETRY_BASE_LEVEL = 3;

const STORED: ReadonlySet<string> = new Set([
  PutMessageStatus.PUT_OK,
  PutMessageStatus.FLUSH_DISK_TIMEOUT,
  PutMessageStatus.FLUSH_SLAVE_TIMEOUT,
  PutMessageStatus.SLAVE_NOT_AVAILABLE,
]);

function randomQueue(n: number): number {
  return n <= 1 ? 0 : Math.floor(Math.random() * n);
}

export class SendBackProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [[RequestCode.CONSUMER_SEND_MSG_BACK, (req) => this.consumerSendMsgBack(req)]]);
  }

  async consumerSendMsgBack(req: RemotingCommand): Promise<RemotingCommand> {
    const h = ConsumerSendMsgBackRequestHeader.decode(req.extFields);
    const ctx = this.#ctx;
    const bc = ctx.brokerConfig;
    if (bc.brokerId !== 0) {
      throw reject(ResponseCode.SYSTEM_ERROR, `no master available along with ${ctx.brokerAddr()}: a slave cannot take messages back`);
    }
    if (!isWriteable(bc.brokerPermission)) {
      throw reject(ResponseCode.NO_PERMISSION, `the broker[${bc.brokerIP1}] sending message is forbidden`);
    }
    const sgc = ctx.subscriptionGroupManager.findSubscriptionGroupConfig(h.group);
    if (sgc === undefined) {
      throw reject(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${h.group} ${FAQ}`);
    }
    if (sgc.retryQueueNums <= 0) return ok(req);

    const record = ctx.store.lookMessageByOffset(h.offset);
    if (record === undefined) throw reject(ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${h.offset}`);
    const msg = decodeRecord(record);
    const props: Record<string, string> = { ...msg.properties };
    props[MessageConst.RETRY_TOPIC] ??= msg.topic;

    let maxReconsumeTimes = sgc.retryMaxTimes;
    if (req.version >= MQVersion.V3_4_9 && h.maxReconsumeTimes !== undefined) maxReconsumeTimes = h.maxReconsumeTimes;
    let delayLevel = h.delayLevel;
    const toDlq = msg.reconsumeTimes >= maxReconsumeTimes || delayLevel < 0;
    const tcm = ctx.topicConfigManager;
    const tc = toDlq ? tcm.createTopicOfDLQ(h.group) : tcm.createTopicOfRetry(h.group, sgc.retryQueueNums);
    if (!isWriteable(tc.perm)) {
      throw reject(ResponseCode.NO_PERMISSION, `the topic[${tc.topicName}] sending message is forbidden (perm ${tc.perm})`);
    }
    delete props[MessageConst.DELAY];
    for (const k of TIMER_PROPERTIES) delete props[k];
    if (!toDlq) {
      if (delayLevel === 0) delayLevel = RETRY_BASE_LEVEL + msg.reconsumeTimes;
      props[MessageConst.DELAY] = String(delayLevel);
    }
    const origin = props[MessageConst.ORIGIN_MESSAGE_ID];
    props[MessageConst.ORIGIN_MESSAGE_ID] = origin === undefined || origin.trim() === '' ? msg.msgId : origin;
    props[MessageConst.WAIT] = 'false';
    const queueId = randomQueue(tc.writeQueueNums);
    const stored = applyDelayTransform(ctx, { topic: tc.topicName, queueId }, props, msg.sysFlag);
    const result = await ctx.store.putMessage({
      topic: stored.topic,
      queueId: stored.queueId,
      flag: msg.flag,
      body: msg.body,
      properties: encodeProperties(props),
      sysFlag: msg.sysFlag,
      bornTimestamp: msg.bornTimestamp,
      bornHost: msg.bornHost,
      storeHost: ctx.storeHost(),
      reconsumeTimes: msg.reconsumeTimes + 1,
      preparedTransactionOffset: 0,
    });
    if (!STORED.has(result.status)) throw reject(ResponseCode.SYSTEM_ERROR, `${result.status}: ${result.remark ?? 'put failed'}`);
    if (toDlq) {
      ctx.log.info(
        { group: h.group, msgId: msg.msgId, reconsumeTimes: msg.reconsumeTimes, maxReconsumeTimes, delayLevel: h.delayLevel },
        'message sent back past its retries: stored in the DLQ',
      );
    }
    return ok(req);
  }
}
