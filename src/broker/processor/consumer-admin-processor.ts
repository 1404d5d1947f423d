// Client-facing admin requests (PROTOCOL.md §2.1, §2.2, §4.7, §4.8; Java AdminBrokerProcessor / Broker2Client):
// GET_CONSUMER_CONNECTION_LIST 203, GET_PRODUCER_CONNECTION_LIST 204, INVOKE_BROKER_TO_RESET_OFFSET 222 (with the
// RESET_CONSUMER_CLIENT_OFFSET 220 push to the group's consumers) and GET_CONSUMER_RUNNING_INFO 307 (relayed to the
// client's own connection).
import { ERROR_CODES, errorMessage, isRocketMQError } from '../../common/errors.ts';
import { serializeConsumerConnection, serializeProducerConnection } from '../../remoting/protocol/body/connection.ts';
import type { Connection, ConnectionSubscriptionData } from '../../remoting/protocol/body/connection.ts';
import { messageQueueToJson } from '../../remoting/protocol/body/message-queue.ts';
import type { MessageQueue, MessageQueueEntries } from '../../remoting/protocol/body/message-queue.ts';
import { serializeResetOffsetBody } from '../../remoting/protocol/body/reset-offset-body.ts';
import {
  GetConsumerConnectionListRequestHeader,
  GetConsumerRunningInfoRequestHeader,
  GetProducerConnectionListRequestHeader,
  ResetOffsetRequestHeader,
} from '../../remoting/protocol/headers/admin-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import type { ClientChannelInfo } from '../client/client-channel-info.ts';
import { BrokerRole } from '../config/broker-config.ts';
import type { BrokerAdminContext } from './broker-admin-processor.ts';
import { fail, guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

/** How long the broker waits for a client to answer a relayed request (Java Broker2Client.callClient: 10 s). */
export const CALL_CLIENT_TIMEOUT_MS = 10_000;

function toConnection(info: ClientChannelInfo): Connection {
  return { clientId: info.clientId, clientAddr: info.remoteAddress, language: info.language, version: info.version };
}

/** ResetOffsetBodyForC (C++ clients cannot parse object keys): `{"offsetTable":[{brokerName,offset,queueId,topic}]}`. */
function resetOffsetBodyForC(entries: MessageQueueEntries<number>): Buffer {
  return Buffer.from(JSON.stringify({ offsetTable: entries.map(([mq, offset]) => ({ ...messageQueueToJson(mq), offset })) }));
}

export class ConsumerAdminProcessor implements BrokerProcessor {
  readonly #ctx: BrokerAdminContext;
  readonly #callTimeoutMs: number;

  constructor(ctx: BrokerAdminContext, options: { callClientTimeoutMs?: number } = {}) {
    this.#ctx = ctx;
    this.#callTimeoutMs = options.callClientTimeoutMs ?? CALL_CLIENT_TIMEOUT_MS;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.GET_CONSUMER_CONNECTION_LIST, (req) => this.getConsumerConnectionList(req)],
      [RequestCode.GET_PRODUCER_CONNECTION_LIST, (req) => this.getProducerConnectionList(req)],
      [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, (req, ch) => this.resetOffset(req, ch.remoteAddress)],
      [RequestCode.GET_CONSUMER_RUNNING_INFO, (req) => this.getConsumerRunningInfo(req)],
    ]);
  }

  /** Members and subscriptions of an online group; no member → 206 CONSUMER_NOT_ONLINE. */
  getConsumerConnectionList(req: RemotingCommand): RemotingCommand {
    const h = GetConsumerConnectionListRequestHeader.decode(req.extFields);
    const info = this.#ctx.consumerManager.getConsumerGroupInfo(h.consumerGroup);
    if (info === undefined || info.memberCount === 0) {
      return fail(req, ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${h.consumerGroup}] not online`);
    }
    const subscriptionTable: Record<string, ConnectionSubscriptionData> = {};
    for (const s of info.subscriptions()) {
      Object.defineProperty(subscriptionTable, s.topic, { value: { ...s }, enumerable: true, writable: true, configurable: true });
    }
    const body = serializeConsumerConnection({
      connectionSet: info.members().map(toConnection),
      subscriptionTable,
      consumeType: info.consumeType,
      messageModel: info.messageModel,
      consumeFromWhere: info.consumeFromWhere,
    });
    return ok(req, undefined, body);
  }

  /** Connections of a producer group; none → 1 SYSTEM_ERROR "not exist" (Java's answer, mqadmin prints it). */
  getProducerConnectionList(req: RemotingCommand): RemotingCommand {
    const h = GetProducerConnectionListRequestHeader.decode(req.extFields);
    const conns = this.#ctx.producerManager.getProducerConnections(h.producerGroup);
    if (conns.length === 0) return fail(req, ResponseCode.SYSTEM_ERROR, `the producer group[${h.producerGroup}] not exist`);
    return ok(req, undefined, serializeProducerConnection({ connectionSet: conns.map(toConnection) }));
  }

  /**
   * Reset a group's offsets on a topic to a time (Java Broker2Client.resetOffset with 5.x's queueId/offset fields):
   * per queue the first offset stored at/after `timestamp` (−1 = the max offset); `isForce` false only moves offsets
   * back. The offsets are committed here at once, RESET_CONSUMER_CLIENT_OFFSET 220 (oneway, ResetOffsetBody) goes
   * to every online consumer of the group, and the reply carries the ResetOffsetBody. Codes: 17 unknown topic,
   * 26 unknown group, 29 bad queueId/offset, 1 on a slave.
   */
  resetOffset(req: RemotingCommand, caller: string): RemotingCommand {
    const h = ResetOffsetRequestHeader.decode(req.extFields);
    const ctx = this.#ctx;
    if (ctx.brokerConfig.brokerRole === BrokerRole.SLAVE) throw reject(ResponseCode.SYSTEM_ERROR, 'Can not reset offset in slave broker');
    const tc = ctx.topicConfigManager.selectTopicConfig(h.topic);
    if (tc === undefined) {
      throw reject(ResponseCode.TOPIC_NOT_EXIST, `[reset-offset] reset offset failed, no topic in this broker. topic=${h.topic}`);
    }
    const group = ctx.consumerManager.getConsumerGroupInfo(h.group);
    const known =
      ctx.subscriptionGroupManager.containsSubscriptionGroup(h.group) ||
      group !== undefined ||
      ctx.consumerOffsetManager.queryOffsets(h.group, h.topic) !== undefined;
    if (!known) throw reject(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `[reset-offset] group ${h.group} does not exist`);

    const queueId = h.queueId ?? -1;
    const explicit = h.offset !== undefined && h.offset !== -1 ? h.offset : undefined;
    let queues: number[];
    if (queueId >= 0) {
      if (queueId >= tc.readQueueNums) {
        throw reject(ResponseCode.INVALID_PARAMETER, `queueId ${queueId} is out of range: topic ${h.topic} has ${tc.readQueueNums} read queues`);
      }
      queues = [queueId];
    } else {
      queues = Array.from({ length: tc.readQueueNums }, (_, i) => i);
    }
    if (queues.length === 0) throw reject(ResponseCode.SYSTEM_ERROR, `No queues to reset: topic ${h.topic} has no read queue`);

    const brokerName = ctx.brokerConfig.brokerName;
    const table: MessageQueueEntries<number> = [];
    const toCommit = new Map<number, number>();
    for (const q of queues) {
      let target: number;
      if (explicit !== undefined && queueId >= 0) {
        const min = ctx.store.getMinOffsetInQueue(h.topic, q);
        const max = ctx.store.getMaxOffsetInQueue(h.topic, q);
        if (explicit < min || explicit > max) {
          throw reject(ResponseCode.INVALID_PARAMETER, `Target offset ${explicit} not in consume queue range [${min}-${max}]`);
        }
        target = explicit;
      } else {
        target = h.timestamp < 0 ? ctx.store.getMaxOffsetInQueue(h.topic, q) : ctx.store.getOffsetInQueueByTime(h.topic, q, h.timestamp);
        target = Math.max(0, target);
      }
      const committed = ctx.consumerOffsetManager.queryOffset(h.group, h.topic, q);
      const offset = h.isForce || committed < 0 || target < committed ? target : committed;
      toCommit.set(q, offset);
      const mq: MessageQueue = { topic: h.topic, brokerName, queueId: q };
      table.push([mq, offset]);
    }
    if (ctx.brokerConfig.useServerSideResetOffset) {
      // Also pending for the next pull of each queue, so a consumer that ignores 220 (ali-ons) still moves.
      for (const [q, o] of toCommit) {
        ctx.consumerOffsetManager.assignResetOffset(h.topic, h.group, q, o);
        ctx.wakeHeldPulls(h.topic, q, h.group);
      }
    } else {
      ctx.consumerOffsetManager.resetOffset(h.group, h.topic, toCommit);
    }
    const pushed = this.#pushResetToClients(h.topic, h.group, h.timestamp, table);
    ctx.log.info({ caller, topic: h.topic, group: h.group, timestamp: h.timestamp, isForce: h.isForce, queues: table.length, pushed }, 'consumer offsets reset');
    return ok(req, undefined, serializeResetOffsetBody({ offsetTable: table }));
  }

  #pushResetToClients(topic: string, group: string, timestamp: number, table: MessageQueueEntries<number>): number {
    const info = this.#ctx.consumerManager.getConsumerGroupInfo(group);
    if (info === undefined) return 0;
    const ext = ResetOffsetRequestHeader.encode({ topic, group, timestamp, isForce: false });
    let standard: Buffer | undefined;
    let forC: Buffer | undefined;
    let pushed = 0;
    for (const m of info.members()) {
      if (m.channel.closed) continue;
      const body = m.language === 'CPP' ? (forC ??= resetOffsetBodyForC(table)) : (standard ??= serializeResetOffsetBody({ offsetTable: table }));
      try {
        m.channel.invokeOneway(RemotingCommand.request(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, { ...ext }, body).markOneway());
        pushed++;
      } catch (e) {
        this.#ctx.log.warn({ group, clientId: m.clientId, err: errorMessage(e) }, 'reset offset push failed');
      }
    }
    return pushed;
  }

  /**
   * Forwards the request (same code, header and body) to the consumer's connection and relays its reply as is.
   * Consumer not connected → 206 CONSUMER_NOT_ONLINE; no reply in time → 207 CONSUME_MSG_TIMEOUT; other failures → 1.
   */
  async getConsumerRunningInfo(req: RemotingCommand): Promise<RemotingCommand> {
    const h = GetConsumerRunningInfoRequestHeader.decode(req.extFields);
    const info = this.#ctx.consumerManager.findChannel(h.consumerGroup, h.clientId);
    if (info === undefined || info.channel.closed) {
      return fail(req, ResponseCode.CONSUMER_NOT_ONLINE, `The Consumer <${h.consumerGroup}> <${h.clientId}> not online`);
    }
    const forward = RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO, { ...req.extFields }, req.body);
    try {
      const r = await info.channel.invoke(forward, this.#callTimeoutMs);
      return RemotingCommand.responseTo(req, r.code, r.remark, r.extFields, r.body);
    } catch (e) {
      if (isRocketMQError(e) && e.code === ERROR_CODES.TIMEOUT) {
        return fail(req, ResponseCode.CONSUME_MSG_TIMEOUT, `consumer <${h.consumerGroup}> <${h.clientId}> Timeout: ${errorMessage(e)}`);
      }
      return fail(req, ResponseCode.SYSTEM_ERROR, `invoke consumer <${h.consumerGroup}> <${h.clientId}> Exception: ${errorMessage(e)}`);
    }
  }
}
