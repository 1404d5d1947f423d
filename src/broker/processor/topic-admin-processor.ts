// The topic requests of mqadmin (PROTOCOL.md §2.1/§2.2; Java AdminBrokerProcessor): UPDATE_AND_CREATE_TOPIC 17,
// DELETE_TOPIC_IN_BROKER 215, GET_ALL_TOPIC_CONFIG 21, GET_TOPIC_CONFIG 351. Topic changes re-register the broker with
// the NameServers (the controller listens to TopicConfigManager).
import { CreateTopicRequestHeader, TopicRequestHeader } from '../../remoting/protocol/headers/broker-headers.ts';
import { serializeTopicConfigSerializeWrapper } from '../../remoting/protocol/body/topic-config-serialize-wrapper.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import { newTopicConfig, topicConfigToJson } from '../topic/topic-config.ts';
import { validateTopic } from '../topic/topic-validator.ts';
import type { BrokerContext } from './broker-context.ts';
import { fail, guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

/** "+a=1,+b=2" (mqadmin attribute syntax) → {a: "1", b: "2"}; "-a" deletions are ignored on create. */
function parseAttributes(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined || text.trim() === '') return out;
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!p.startsWith('+')) continue;
    const eq = p.indexOf('=');
    if (eq <= 1) throw reject(ResponseCode.INVALID_PARAMETER, `bad topic attribute "${p}", expected +key=value`);
    out[p.slice(1, eq)] = p.slice(eq + 1);
  }
  return out;
}

export class TopicAdminProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.UPDATE_AND_CREATE_TOPIC, (req) => this.updateAndCreateTopic(req)],
      [RequestCode.DELETE_TOPIC_IN_BROKER, (req) => this.deleteTopic(req)],
      [RequestCode.GET_ALL_TOPIC_CONFIG, (req) => this.getAllTopicConfig(req)],
      [RequestCode.GET_TOPIC_CONFIG, (req) => this.getTopicConfig(req)],
    ]);
  }

  updateAndCreateTopic(req: RemotingCommand): RemotingCommand {
    const h = CreateTopicRequestHeader.decode(req.extFields);
    const v = validateTopic(h.topic);
    if (!v.valid) throw reject(ResponseCode.INVALID_PARAMETER, v.remark);
    const tcm = this.#ctx.topicConfigManager;
    if (this.#ctx.brokerConfig.validateSystemTopicWhenUpdateTopic && tcm.isSystemTopic(h.topic)) {
      throw reject(ResponseCode.SYSTEM_ERROR, `The topic[${h.topic}] is conflict with system topic.`);
    }
    const filterType = h.topicFilterType;
    if (filterType !== 'SINGLE_TAG' && filterType !== 'MULTI_TAG') {
      throw reject(ResponseCode.INVALID_PARAMETER, `topicFilterType must be SINGLE_TAG or MULTI_TAG, got "${filterType}"`);
    }
    const tc = newTopicConfig(h.topic, {
      readQueueNums: h.readQueueNums,
      writeQueueNums: h.writeQueueNums,
      perm: h.perm,
      topicFilterType: filterType,
      topicSysFlag: h.topicSysFlag ?? 0,
      order: h.order,
      attributes: parseAttributes(h.attributes),
    });
    tcm.updateTopicConfig(tc);
    return ok(req);
  }

  deleteTopic(req: RemotingCommand): RemotingCommand {
    const h = TopicRequestHeader.decode(req.extFields);
    const tcm = this.#ctx.topicConfigManager;
    if (h.topic.trim() === '') throw reject(ResponseCode.SYSTEM_ERROR, 'The specified topic is blank.');
    if (this.#ctx.brokerConfig.validateSystemTopicWhenUpdateTopic && tcm.isSystemTopic(h.topic)) {
      throw reject(ResponseCode.SYSTEM_ERROR, `The topic[${h.topic}] is conflict with system topic.`);
    }
    tcm.deleteTopicConfig(h.topic);
    this.#ctx.consumerOffsetManager.cleanOffsetByTopic(h.topic);
    this.#ctx.store.deleteTopics([h.topic]);
    return ok(req);
  }

  getAllTopicConfig(req: RemotingCommand): RemotingCommand {
    const w = this.#ctx.topicConfigManager.buildSerializeWrapper();
    return ok(req, undefined, serializeTopicConfigSerializeWrapper(w));
  }

  getTopicConfig(req: RemotingCommand): RemotingCommand {
    const h = TopicRequestHeader.decode(req.extFields);
    const tc = this.#ctx.topicConfigManager.selectTopicConfig(h.topic);
    if (tc === undefined) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `No topic in this broker. topic: ${h.topic}`);
    return ok(req, undefined, Buffer.from(JSON.stringify(topicConfigToJson(tc))));
  }
}
