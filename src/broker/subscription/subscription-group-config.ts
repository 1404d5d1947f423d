// The broker's reading of a SubscriptionGroupConfig (PROTOCOL.md §4.10). The type, Java's defaults and the fastjson
// encoding are shared with the client (remoting/protocol/body/subscription-group-config.ts); the broker adds stricter
// checks, and every rejection is INVALID_ARGUMENT with responseCode 29 so a request processor can answer with it.
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { isObject } from '../../remoting/protocol/body/json-fields.ts';
import { subscriptionGroupConfigFromJson as decodeShared } from '../../remoting/protocol/body/subscription-group-config.ts';
import type { SubscriptionGroupConfig } from '../../remoting/protocol/body/subscription-group-config.ts';

const INTEGER_FIELDS = [
  'retryQueueNums', 'retryMaxTimes', 'brokerId', 'whichBrokerWhenConsumeSlowly', 'groupSysFlag', 'consumeTimeoutMinute',
] as const;

export function cloneSubscriptionGroupConfig(c: SubscriptionGroupConfig): SubscriptionGroupConfig {
  return {
    ...c,
    groupRetryPolicy: structuredClone(c.groupRetryPolicy),
    subscriptionDataSet: c.subscriptionDataSet === undefined ? undefined : structuredClone(c.subscriptionDataSet),
    attributes: { ...c.attributes },
  };
}

function bad(what: string): never {
  throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `bad SubscriptionGroupConfig: ${what}`, { responseCode: 29 });
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Decodes a SubscriptionGroupConfig object (subscriptionGroup.json entry or UPDATE_AND_CREATE_SUBSCRIPTIONGROUP body).
 * Missing fields take Java's defaults; wrong types, non-integer counts or a negative retryQueueNums throw
 * RocketMQError INVALID_ARGUMENT (responseCode 29).
 */
export function subscriptionGroupConfigFromJson(json: unknown, nameHint?: string): SubscriptionGroupConfig {
  if (!isObject(json)) bad('not an object');
  if (present(json.groupRetryPolicy) && !isObject(json.groupRetryPolicy)) bad('groupRetryPolicy is not an object');
  if (present(json.subscriptionDataSet) && !Array.isArray(json.subscriptionDataSet)) bad('subscriptionDataSet is not an array');
  let cfg: SubscriptionGroupConfig;
  try {
    cfg = decodeShared(json, 'SubscriptionGroupConfig', nameHint);
  } catch (e) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `bad ${errorMessage(e)}`, { responseCode: 29, cause: e });
  }
  for (const k of INTEGER_FIELDS) if (!Number.isInteger(cfg[k])) bad(`${k} is not an integer`);
  if (cfg.retryQueueNums < 0) bad('retryQueueNums is negative');
  return cfg;
}
