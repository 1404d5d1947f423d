// Subscription-group admin calls (mqadmin updateSubGroup / deleteSubGroup): UPDATE_AND_CREATE_SUBSCRIPTIONGROUP 200,
// DELETE_SUBSCRIPTIONGROUP 207, GET_SUBSCRIPTIONGROUP_CONFIG 352 (falling back to GET_ALL_SUBSCRIPTIONGROUP_CONFIG 201
// on brokers that do not serve 352).
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import {
  newSubscriptionGroupConfig, parseSubscriptionGroupConfig, parseSubscriptionGroupWrapper, serializeSubscriptionGroupConfig,
} from '../../remoting/protocol/body/subscription-group-config.ts';
import type { SubscriptionGroupConfig, SubscriptionGroupWrapper } from '../../remoting/protocol/body/subscription-group-config.ts';
import { DeleteSubscriptionGroupRequestHeader, GetSubscriptionGroupConfigRequestHeader } from '../../remoting/protocol/headers/admin-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { AdminContext, BrokerTarget } from './admin-context.ts';

export type SubscriptionGroupInput = Partial<SubscriptionGroupConfig> & { groupName: string };

/** Body of UPDATE_AND_CREATE_SUBSCRIPTIONGROUP to every target broker; missing fields take Java's defaults. */
export async function createOrUpdateSubscriptionGroup(ctx: AdminContext, config: SubscriptionGroupInput, target: BrokerTarget): Promise<string[]> {
  if (typeof config.groupName !== 'string' || config.groupName === '') throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'groupName is empty');
  const { groupName, ...rest } = config;
  const body = serializeSubscriptionGroupConfig(newSubscriptionGroupConfig(groupName, rest));
  const addrs = await ctx.targetAddrs(target);
  for (const addr of addrs) await ctx.call(addr, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, body);
  return addrs;
}

/** DELETE_SUBSCRIPTIONGROUP on every target broker; cleanOffset also drops the group's offsets. */
export async function deleteSubscriptionGroup(ctx: AdminContext, groupName: string, target: BrokerTarget, cleanOffset = false): Promise<string[]> {
  const addrs = await ctx.targetAddrs(target);
  const ext = DeleteSubscriptionGroupRequestHeader.encode({ groupName, cleanOffset });
  for (const addr of addrs) await ctx.call(addr, RequestCode.DELETE_SUBSCRIPTIONGROUP, { ...ext });
  return addrs;
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) from one broker. */
export async function getAllSubscriptionGroups(ctx: AdminContext, brokerAddr: string): Promise<SubscriptionGroupWrapper> {
  const res = await ctx.call(brokerAddr, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG);
  return parseSubscriptionGroupWrapper(res.body);
}

/**
 * One group's config from one broker: GET_SUBSCRIPTIONGROUP_CONFIG (352); if the broker answers 3
 * REQUEST_CODE_NOT_SUPPORTED (older brokers), the group is picked out of GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201).
 * undefined when the broker has no such group (26 SUBSCRIPTION_GROUP_NOT_EXIST or an empty reply).
 */
export async function getSubscriptionGroup(ctx: AdminContext, brokerAddr: string, group: string): Promise<SubscriptionGroupConfig | undefined> {
  const res = await ctx.call(brokerAddr, RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, GetSubscriptionGroupConfigRequestHeader.encode({ group }), undefined, [
    ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
    ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
  ]);
  if (res.code === ResponseCode.REQUEST_CODE_NOT_SUPPORTED) {
    const all = await getAllSubscriptionGroups(ctx, brokerAddr);
    return Object.hasOwn(all.subscriptionGroupTable, group) ? all.subscriptionGroupTable[group] : undefined;
  }
  if (res.code !== ResponseCode.SUCCESS || res.body === undefined || res.body.length === 0 || res.body.toString() === 'null') return undefined;
  return parseSubscriptionGroupConfig(res.body);
}
