// SubscriptionGroupConfig (PROTOCOL.md §4.10): body of UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200) and reply of
// GET_SUBSCRIPTIONGROUP_CONFIG (352); SubscriptionGroupWrapper is the GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) reply
// `{"dataVersion":{…},"forbiddenTable":{group:{topic:n}},"subscriptionGroupTable":{group:SubscriptionGroupConfig}}`.
import { dataVersionFromJson, dataVersionToJson } from './data-version.ts';
import type { DataVersion } from './data-version.ts';
import {
  asObject, bodyError, isObject, optBool, optNumber, optStringMap, parseBodyJson, reqString, setOwn, sortedKeys, toNumber,
} from './json-fields.ts';

export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeBroadcastEnable: boolean;
  consumeMessageOrderly: boolean;
  retryQueueNums: number;
  retryMaxTimes: number;
  /** {"type":"CUSTOMIZED"|"EXPONENTIAL", …} kept as given. */
  groupRetryPolicy: Record<string, unknown>;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
  groupSysFlag: number;
  consumeTimeoutMinute: number;
  /** 5.x SimpleSubscriptionData set, kept as given; omitted when absent. */
  subscriptionDataSet?: unknown[];
  attributes: Record<string, string>;
}

/** A config with Java's defaults (§4.10). */
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

/** Fields in alphabetical order (fastjson); subscriptionDataSet omitted when absent. */
export function subscriptionGroupConfigToJson(c: SubscriptionGroupConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: sortedKeys(c.attributes),
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

export function serializeSubscriptionGroupConfig(c: SubscriptionGroupConfig): Buffer {
  return Buffer.from(JSON.stringify(subscriptionGroupConfigToJson(c)));
}

/** Missing fields take Java's defaults; `nameHint` stands in for a missing groupName (map key). */
export function subscriptionGroupConfigFromJson(v: unknown, what = 'SubscriptionGroupConfig', nameHint?: string): SubscriptionGroupConfig {
  const o = asObject(v, what);
  const groupName = o.groupName === undefined || o.groupName === null || o.groupName === '' ? nameHint : reqString(o, 'groupName', what);
  if (groupName === undefined || groupName === '') throw bodyError(what, "field 'groupName' is missing");
  const d = newSubscriptionGroupConfig(groupName);
  const out = newSubscriptionGroupConfig(groupName, {
    consumeEnable: optBool(o, 'consumeEnable', what, d.consumeEnable),
    consumeFromMinEnable: optBool(o, 'consumeFromMinEnable', what, d.consumeFromMinEnable),
    consumeBroadcastEnable: optBool(o, 'consumeBroadcastEnable', what, d.consumeBroadcastEnable),
    consumeMessageOrderly: optBool(o, 'consumeMessageOrderly', what, d.consumeMessageOrderly),
    retryQueueNums: optNumber(o, 'retryQueueNums', what, d.retryQueueNums),
    retryMaxTimes: optNumber(o, 'retryMaxTimes', what, d.retryMaxTimes),
    groupRetryPolicy: isObject(o.groupRetryPolicy) ? { ...o.groupRetryPolicy } : d.groupRetryPolicy,
    brokerId: optNumber(o, 'brokerId', what, d.brokerId),
    whichBrokerWhenConsumeSlowly: optNumber(o, 'whichBrokerWhenConsumeSlowly', what, d.whichBrokerWhenConsumeSlowly),
    notifyConsumerIdsChangedEnable: optBool(o, 'notifyConsumerIdsChangedEnable', what, d.notifyConsumerIdsChangedEnable),
    groupSysFlag: optNumber(o, 'groupSysFlag', what, d.groupSysFlag),
    consumeTimeoutMinute: optNumber(o, 'consumeTimeoutMinute', what, d.consumeTimeoutMinute),
    attributes: optStringMap(o, 'attributes', what),
  });
  if (Array.isArray(o.subscriptionDataSet)) out.subscriptionDataSet = [...o.subscriptionDataSet];
  return out;
}

export function parseSubscriptionGroupConfig(body: Buffer | string | undefined): SubscriptionGroupConfig {
  return subscriptionGroupConfigFromJson(parseBodyJson(body, 'SubscriptionGroupConfig'));
}

export interface SubscriptionGroupWrapper {
  subscriptionGroupTable: Record<string, SubscriptionGroupConfig>;
  /** group → topic → forbidden bits (5.x). */
  forbiddenTable: Record<string, Record<string, number>>;
  dataVersion: DataVersion;
}

export function serializeSubscriptionGroupWrapper(w: SubscriptionGroupWrapper): Buffer {
  const table: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(sortedKeys(w.subscriptionGroupTable))) setOwn(table, name, subscriptionGroupConfigToJson(c));
  return Buffer.from(
    JSON.stringify({ dataVersion: dataVersionToJson(w.dataVersion), forbiddenTable: sortedKeys(w.forbiddenTable), subscriptionGroupTable: table }),
  );
}

export function subscriptionGroupWrapperFromJson(v: unknown, what = 'SubscriptionGroupWrapper'): SubscriptionGroupWrapper {
  const o = asObject(v, what);
  const out: SubscriptionGroupWrapper = {
    subscriptionGroupTable: {},
    forbiddenTable: {},
    dataVersion: isObject(o.dataVersion) ? dataVersionFromJson(o.dataVersion, `${what}.dataVersion`) : { stateVersion: 0, timestamp: 0, counter: 0 },
  };
  if (isObject(o.subscriptionGroupTable)) {
    for (const [name, c] of Object.entries(o.subscriptionGroupTable)) {
      setOwn(out.subscriptionGroupTable, name, subscriptionGroupConfigFromJson(c, `${what}.subscriptionGroupTable.${name}`, name));
    }
  }
  if (isObject(o.forbiddenTable)) {
    for (const [group, m] of Object.entries(o.forbiddenTable)) {
      const topics: Record<string, number> = {};
      for (const [topic, n] of Object.entries(asObject(m, `${what}.forbiddenTable.${group}`))) setOwn(topics, topic, toNumber(n, `${what}.forbiddenTable.${group}.${topic}`));
      setOwn(out.forbiddenTable, group, topics);
    }
  }
  return out;
}

export function parseSubscriptionGroupWrapper(body: Buffer | string | undefined): SubscriptionGroupWrapper {
  return subscriptionGroupWrapperFromJson(parseBodyJson(body, 'SubscriptionGroupWrapper'));
}
