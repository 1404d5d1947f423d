// SubscriptionGroupConfig (PROTOCOL.md §4.10) with Java's defaults, JSON in fastjson field order.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeBroadcastEnable: boolean;
  consumeMessageOrderly: boolean;
  retryQueueNums: number;
  retryMaxTimes: number;
  /** {"type":"CUSTOMIZED"|"EXPONENTIAL", exponentialRetryPolicy?, customizedRetryPolicy?} kept as given. */
  groupRetryPolicy: Record<string, unknown>;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
  groupSysFlag: number;
  consumeTimeoutMinute: number;
  /** 5.x SimpleSubscriptionData set; kept as given (omitted when absent). */
  subscriptionDataSet: unknown[] | undefined;
  attributes: Record<string, string>;
}

export function newSubscriptionGroupConfig(
  groupName: string,
  fields: Partial<Omit<SubscriptionGroupConfig, 'groupName'>> = {},
): SubscriptionGroupConfig {
  return {
    groupName,
    consumeEnable: true,
    consumeFromMinEnable: true,
    consumeBroadcastEnable: true,
    consumeMessageOrderly: false,
    retryQueueNums: 1,
    retryMaxTimes: 16,
    groupRetryPolicy: { type: 'CUSTOMIZED' },
    brokerId: 0,
    whichBrokerWhenConsumeSlowly: 1,
    notifyConsumerIdsChangedEnable: true,
    groupSysFlag: 0,
    consumeTimeoutMinute: 15,
    subscriptionDataSet: undefined,
    attributes: {},
    ...fields,
  };
}

export function cloneSubscriptionGroupConfig(c: SubscriptionGroupConfig): SubscriptionGroupConfig {
  return {
    ...c,
    groupRetryPolicy: structuredClone(c.groupRetryPolicy),
    subscriptionDataSet: c.subscriptionDataSet === undefined ? undefined : structuredClone(c.subscriptionDataSet),
    attributes: { ...c.attributes },
  };
}

/** Fields in alphabetical order (fastjson); undefined fields omitted. */
export function subscriptionGroupConfigToJson(c: SubscriptionGroupConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { ...c.attributes },
    brokerId: c.brokerId,
    consumeBroadcastEnable: c.consumeBroadcastEnable,
    consumeEnable: c.consumeEnable,
    consumeFromMinEnable: c.consumeFromMinEnable,
    consumeMessageOrderly: c.consumeMessageOrderly,
    consumeTimeoutMinute: c.consumeTimeoutMinute,
    groupName: c.groupName,
    groupRetryPolicy: c.groupRetryPolicy,
    groupSysFlag: c.groupSysFlag,
    notifyConsumerIdsChangedEnable: c.notifyConsumerIdsChangedEnable,
    retryMaxTimes: c.retryMaxTimes,
    retryQueueNums: c.retryQueueNums,
  };
  if (c.subscriptionDataSet !== undefined) out.subscriptionDataSet = c.subscriptionDataSet;
  out.whichBrokerWhenConsumeSlowly = c.whichBrokerWhenConsumeSlowly;
  return out;
}

function bad(what: string): never {
  throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `bad SubscriptionGroupConfig: ${what}`, { responseCode: 29 });
}

/**
 * Decodes a SubscriptionGroupConfig object (subscriptionGroup.json entry or UPDATE_AND_CREATE_SUBSCRIPTIONGROUP body).
 * Missing fields take Java's defaults; wrong types throw RocketMQError INVALID_ARGUMENT (responseCode 29).
 */
export function subscriptionGroupConfigFromJson(json: unknown, nameHint?: string): SubscriptionGroupConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) bad('not an object');
  const o = json as Record<string, unknown>;
  const groupName = typeof o.groupName === 'string' && o.groupName !== '' ? o.groupName : nameHint;
  if (groupName === undefined || groupName === '') bad('groupName missing');
  const d = newSubscriptionGroupConfig(groupName);
  const int = (k: keyof SubscriptionGroupConfig): number => {
    const v = o[k];
    if (v === undefined || v === null) return d[k] as number;
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) bad(`${k} is not an integer`);
    return n;
  };
  const bool = (k: keyof SubscriptionGroupConfig): boolean => {
    const v = o[k];
    if (v === undefined || v === null) return d[k] as boolean;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    return bad(`${k} is not a boolean`);
  };
  let groupRetryPolicy = d.groupRetryPolicy;
  if (o.groupRetryPolicy !== undefined && o.groupRetryPolicy !== null) {
    if (typeof o.groupRetryPolicy !== 'object' || Array.isArray(o.groupRetryPolicy)) bad('groupRetryPolicy is not an object');
    groupRetryPolicy = { ...(o.groupRetryPolicy as Record<string, unknown>) };
  }
  let subscriptionDataSet: unknown[] | undefined;
  if (o.subscriptionDataSet !== undefined && o.subscriptionDataSet !== null) {
    if (!Array.isArray(o.subscriptionDataSet)) bad('subscriptionDataSet is not an array');
    subscriptionDataSet = [...o.subscriptionDataSet];
  }
  const attributes: Record<string, string> = {};
  if (o.attributes !== undefined && o.attributes !== null) {
    if (typeof o.attributes !== 'object' || Array.isArray(o.attributes)) bad('attributes is not an object');
    for (const [k, v] of Object.entries(o.attributes as Record<string, unknown>)) attributes[k] = String(v);
  }
  const cfg: SubscriptionGroupConfig = {
    groupName,
    consumeEnable: bool('consumeEnable'),
    consumeFromMinEnable: bool('consumeFromMinEnable'),
    consumeBroadcastEnable: bool('consumeBroadcastEnable'),
    consumeMessageOrderly: bool('consumeMessageOrderly'),
    retryQueueNums: int('retryQueueNums'),
    retryMaxTimes: int('retryMaxTimes'),
    groupRetryPolicy,
    brokerId: int('brokerId'),
    whichBrokerWhenConsumeSlowly: int('whichBrokerWhenConsumeSlowly'),
    notifyConsumerIdsChangedEnable: bool('notifyConsumerIdsChangedEnable'),
    groupSysFlag: int('groupSysFlag'),
    consumeTimeoutMinute: int('consumeTimeoutMinute'),
    subscriptionDataSet,
    attributes,
  };
  if (cfg.retryQueueNums < 0) bad('retryQueueNums is negative');
  return cfg;
}
