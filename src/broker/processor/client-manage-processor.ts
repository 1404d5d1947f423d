// HEART_BEAT 34, UNREGISTER_CLIENT 35, CHECK_CLIENT_CONFIG 46 (PROTOCOL.md §2.2, §4.3, §12.13; Java
// ClientManageProcessor). A consumer heartbeat auto-creates its subscription group and the `%RETRY%<group>` topic;
// the topic change makes the controller re-register with the NameServers at once.
import { TopicSysFlag } from '../../common/message/message-const.ts';
import { UnregisterClientRequestHeader } from '../../remoting/protocol/headers/broker-headers.ts';
import { parseBodyJson } from '../../remoting/protocol/body/json-fields.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RemotingChannel, RequestHandler } from '../../remoting/transport/types.ts';
import type { ClientChannelInput } from '../client/client-channel-info.ts';
import { parseHeartbeatData } from '../client/heartbeat-data.ts';
import { PERM_READ_WRITE } from '../topic/topic-config.ts';
import { retryTopic } from '../topic/topic-validator.ts';
import type { BrokerContext } from './broker-context.ts';
import { fail, guardedRoutes, ok } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

export class ClientManageProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.HEART_BEAT, (req, ch) => this.heartBeat(req, ch)],
      [RequestCode.UNREGISTER_CLIENT, (req, ch) => this.unregisterClient(req, ch)],
      [RequestCode.CHECK_CLIENT_CONFIG, (req) => this.checkClientConfig(req)],
    ]);
  }

  heartBeat(req: RemotingCommand, channel: RemotingChannel): RemotingCommand {
    const hb = parseHeartbeatData(req.body);
    const ctx = this.#ctx;
    const client: ClientChannelInput = { channel, clientId: hb.clientID, language: req.language, version: req.version };
    for (const cd of hb.consumerDataSet) {
      const sgc = ctx.subscriptionGroupManager.findSubscriptionGroupConfig(cd.groupName);
      let notify = ctx.brokerConfig.notifyConsumerIdsChangedEnable;
      if (sgc !== undefined) {
        notify = notify && sgc.notifyConsumerIdsChangedEnable;
        if (sgc.retryQueueNums > 0) {
          const sysFlag = cd.unitMode ? TopicSysFlag.UNIT_SUB : 0;
          ctx.topicConfigManager.createTopicInSendMessageBackMethod(
            retryTopic(cd.groupName),
            sgc.retryQueueNums,
            PERM_READ_WRITE,
            sysFlag,
          );
        }
      }
      const changed = ctx.consumerManager.registerFromHeartbeat(cd, client, notify);
      if (changed) ctx.log.info({ group: cd.groupName, clientId: hb.clientID, addr: channel.remoteAddress }, 'consumer group changed');
    }
    for (const pd of hb.producerDataSet) ctx.producerManager.registerProducer(pd.groupName, client);
    return ok(req);
  }

  unregisterClient(req: RemotingCommand, channel: RemotingChannel): RemotingCommand {
    const h = UnregisterClientRequestHeader.decode(req.extFields);
    const ctx = this.#ctx;
    if (h.producerGroup !== undefined && h.producerGroup !== '') ctx.producerManager.unregisterProducer(h.producerGroup, channel);
    if (h.consumerGroup !== undefined && h.consumerGroup !== '') {
      const sgc = ctx.subscriptionGroupManager.selectSubscriptionGroupConfig(h.consumerGroup);
      const notify = ctx.brokerConfig.notifyConsumerIdsChangedEnable && (sgc?.notifyConsumerIdsChangedEnable ?? true);
      ctx.consumerManager.unregisterConsumer(h.consumerGroup, channel, notify);
    }
    return ok(req);
  }

  /** Only TAG subscriptions are served; anything else needs enablePropertyFilter (and a filter this broker lacks). */
  checkClientConfig(req: RemotingCommand): RemotingCommand {
    const body = parseBodyJson(req.body, 'CheckClientRequestBody');
    const sub = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).subscriptionData : undefined;
    const type = typeof sub === 'object' && sub !== null ? (sub as Record<string, unknown>).expressionType : undefined;
    if (type === undefined || type === null || type === 'TAG') return ok(req);
    return fail(req, ResponseCode.SYSTEM_ERROR, `The broker does not support consumer to filter message by ${String(type)}`);
  }
}
