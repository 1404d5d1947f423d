// Subscription-group admin requests (PROTOCOL.md §2.1, §4.10; Java AdminBrokerProcessor):
// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP 200 (body SubscriptionGroupConfig JSON), GET_ALL_SUBSCRIPTIONGROUP_CONFIG 201
// (SubscriptionGroupWrapper), GET_SUBSCRIPTIONGROUP_CONFIG 352 and DELETE_SUBSCRIPTIONGROUP 207.
import { errorMessage } from '../../common/errors.ts';
import { parseLenientJson } from '../../common/lenient-json.ts';
import {
  DeleteSubscriptionGroupRequestHeader,
  GetSubscriptionGroupConfigRequestHeader,
} from '../../remoting/protocol/headers/admin-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import { brokerStatsOf } from '../stats/broker-stats.ts';
import { serializeSubscriptionGroupConfig } from '../../remoting/protocol/body/subscription-group-config.ts';
import { subscriptionGroupConfigFromJson } from '../subscription/subscription-group-config.ts';
import { validateGroup } from '../topic/topic-validator.ts';
import type { BrokerContext } from './broker-context.ts';
import { fail, guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

export class SubscriptionAdminProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, (req, ch) => this.updateAndCreate(req, ch.remoteAddress)],
      [RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, (req) => this.getAll(req)],
      [RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, (req) => this.getOne(req)],
      [RequestCode.DELETE_SUBSCRIPTIONGROUP, (req, ch) => this.delete(req, ch.remoteAddress)],
    ]);
  }

  /**
   * Creates or replaces a group from the body. No/unparsable body, a wrong field type or an invalid group name →
   * 29 INVALID_PARAMETER with a remark naming the problem. Missing fields take Java's defaults.
   */
  updateAndCreate(req: RemotingCommand, caller: string): RemotingCommand {
    if (req.body === undefined || req.body.length === 0) {
      throw reject(ResponseCode.INVALID_PARAMETER, 'UPDATE_AND_CREATE_SUBSCRIPTIONGROUP needs a SubscriptionGroupConfig JSON body');
    }
    let json: unknown;
    try {
      json = parseLenientJson(req.body);
    } catch (e) {
      throw reject(ResponseCode.INVALID_PARAMETER, `the SubscriptionGroupConfig body is not JSON: ${errorMessage(e)}`);
    }
    const config = subscriptionGroupConfigFromJson(json);
    const v = validateGroup(config.groupName);
    if (!v.valid) throw reject(ResponseCode.INVALID_PARAMETER, v.remark);
    for (const k of ['retryMaxTimes', 'consumeTimeoutMinute'] as const) {
      if (config[k] < -1) throw reject(ResponseCode.INVALID_PARAMETER, `bad SubscriptionGroupConfig: ${k} ${config[k]} is below -1`);
    }
    this.#ctx.subscriptionGroupManager.updateSubscriptionGroupConfig(config);
    this.#ctx.log.info({ caller, group: config.groupName }, 'subscription group created or updated');
    return ok(req);
  }

  /** The whole subscriptionGroup.json content, compact; header totalGroupNum (5.x). */
  getAll(req: RemotingCommand): RemotingCommand {
    const sgm = this.#ctx.subscriptionGroupManager;
    return ok(req, { totalGroupNum: String(sgm.groupNames().length) }, Buffer.from(sgm.encode(false), 'utf8'));
  }

  /** One group's config; unknown group → 26 SUBSCRIPTION_GROUP_NOT_EXIST (never auto-created by this query). */
  getOne(req: RemotingCommand): RemotingCommand {
    const h = GetSubscriptionGroupConfigRequestHeader.decode(req.extFields);
    const c = this.#ctx.subscriptionGroupManager.selectSubscriptionGroupConfig(h.group);
    if (c === undefined) return fail(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `No group in this broker: ${h.group}`);
    return ok(req, undefined, serializeSubscriptionGroupConfig(c));
  }

  /**
   * Deletes a group (an unknown group is not an error, as in Java — mqadmin deletes on every master, and the remark
   * says so); cleanOffset also drops its committed offsets. A blank name → 29 INVALID_PARAMETER.
   */
  delete(req: RemotingCommand, caller: string): RemotingCommand {
    const h = DeleteSubscriptionGroupRequestHeader.decode(req.extFields);
    if (h.groupName.trim() === '') throw reject(ResponseCode.INVALID_PARAMETER, 'The specified group is blank.');
    const ctx = this.#ctx;
    const existed = ctx.subscriptionGroupManager.deleteSubscriptionGroupConfig(h.groupName);
    if (h.cleanOffset === true) ctx.consumerOffsetManager.removeOffset(h.groupName);
    brokerStatsOf(ctx).forgetGroup(h.groupName);
    ctx.log.info({ caller, group: h.groupName, existed, cleanOffset: h.cleanOffset === true }, 'subscription group deleted');
    const reply = ok(req);
    if (!existed) reply.remark = `subscription group ${h.groupName} did not exist on this broker`;
    return reply;
  }
}
