// GET_ROUTEINFO_BY_TOPIC 105 (PROTOCOL.md §4.1): the one request every client sends.
import { FAQ_SUFFIX } from './faq.ts';
import { GetRouteInfoRequestHeader } from '../../remoting/protocol/headers/namesrv-headers.ts';
import { serializeTopicRouteData } from '../../remoting/protocol/body/topic-route-data.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { NAMESPACE_ORDER_TOPIC_CONFIG } from '../kv-config-manager.ts';
import type { NamesrvContext, NamesrvHandler } from './namesrv-context.ts';
import { fail, ok } from './reply.ts';

/** Java's remark for an unknown topic, minus the FAQ suffix. Clients match on this text. */
export const NO_TOPIC_ROUTE_INFO = 'No topic route info in name server for the topic: ';

export class ClientRequestProcessor {
  readonly #ctx: NamesrvContext;

  constructor(ctx: NamesrvContext) {
    this.#ctx = ctx;
  }

  handlers(): Map<number, NamesrvHandler> {
    return new Map<number, NamesrvHandler>([[RequestCode.GET_ROUTEINFO_BY_TOPIC, (r) => this.getRouteInfoByTopic(r)]]);
  }

  getRouteInfoByTopic(req: RemotingCommand): RemotingCommand {
    const h = GetRouteInfoRequestHeader.decode(req.extFields);
    const { config } = this.#ctx;
    this.#ctx.routeQueries.mark();
    if (config.needWaitForService && this.#ctx.now() - this.#ctx.startedAt < config.waitSecondsForService * 1000) {
      return fail(req, ResponseCode.SYSTEM_ERROR, 'name server not ready');
    }
    const route = this.#ctx.routes.pickupTopicRouteData(h.topic);
    if (!route) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `${NO_TOPIC_ROUTE_INFO}${h.topic}${FAQ_SUFFIX}`);
    if (config.orderMessageEnable) {
      const conf = this.#ctx.kv.get(NAMESPACE_ORDER_TOPIC_CONFIG, h.topic);
      if (conf !== undefined) route.orderTopicConf = conf;
    }
    // Java writes bare integer brokerId keys to clients older than V4_9_4; quoted keys are accepted by every client
    // (§4.1), so we always write the standard form.
    return ok(req, undefined, serializeTopicRouteData(route));
  }
}
