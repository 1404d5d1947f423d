// TopicConfig (PROTOCOL.md §4.4; Java common/TopicConfig): the broker's per-topic settings, inside
// TopicConfigSerializeWrapper (topics.json, REGISTER_BROKER, GET_ALL_TOPIC_CONFIG).
import { asObject, bodyError, optBool, optNumber, optStringMap, reqString, sortedKeys, toNumber } from './json-fields.ts';
import { parseLenientJson } from '../../../common/lenient-json.ts';

export const PermName = { PRIORITY: 8, READ: 4, WRITE: 2, INHERIT: 1 } as const;
export type PermName = (typeof PermName)[keyof typeof PermName];

/** TopicSysFlag bits. */
export const TopicSysFlag = { UNIT: 1, UNIT_SUB: 2 } as const;
export type TopicSysFlag = (typeof TopicSysFlag)[keyof typeof TopicSysFlag];

export const TOPIC_FILTER_TYPES = ['SINGLE_TAG', 'MULTI_TAG'] as const;
export type TopicFilterType = (typeof TOPIC_FILTER_TYPES)[number];

export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType;
  topicSysFlag: number;
  order: boolean;
  attributes: Record<string, string>;
}

export const DEFAULT_QUEUE_NUMS = 16;

/** A TopicConfig with Java's defaults (16/16 queues, perm READ|WRITE, SINGLE_TAG). */
export function newTopicConfig(topicName: string, init: Partial<Omit<TopicConfig, 'topicName'>> = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: init.readQueueNums ?? DEFAULT_QUEUE_NUMS,
    writeQueueNums: init.writeQueueNums ?? DEFAULT_QUEUE_NUMS,
    perm: init.perm ?? (PermName.READ | PermName.WRITE),
    topicFilterType: init.topicFilterType ?? 'SINGLE_TAG',
    topicSysFlag: init.topicSysFlag ?? 0,
    order: init.order ?? false,
    attributes: { ...(init.attributes ?? {}) },
  };
}

/** Field names as Java writes them, in fastjson's (sorted) order. */
export function topicConfigToJson(tc: TopicConfig): Record<string, unknown> {
  return {
    attributes: sortedKeys(tc.attributes),
    order: tc.order,
    perm: tc.perm,
    readQueueNums: tc.readQueueNums,
    topicFilterType: tc.topicFilterType,
    topicName: tc.topicName,
    topicSysFlag: tc.topicSysFlag,
    writeQueueNums: tc.writeQueueNums,
  };
}

export function topicConfigFromJson(v: unknown, what = 'TopicConfig', nameIfMissing?: string): TopicConfig {
  const o = asObject(v, what);
  const topicName = o.topicName === undefined && nameIfMissing !== undefined ? nameIfMissing : reqString(o, 'topicName', what);
  return newTopicConfig(topicName, {
    readQueueNums: optNumber(o, 'readQueueNums', what, DEFAULT_QUEUE_NUMS),
    writeQueueNums: optNumber(o, 'writeQueueNums', what, DEFAULT_QUEUE_NUMS),
    perm: optNumber(o, 'perm', what, PermName.READ | PermName.WRITE),
    topicFilterType: filterType(o.topicFilterType, what),
    topicSysFlag: optNumber(o, 'topicSysFlag', what, 0),
    order: optBool(o, 'order', what, false),
    attributes: optStringMap(o, 'attributes', what),
  });
}

function filterType(v: unknown, what: string): TopicFilterType {
  if (v === undefined || v === null) return 'SINGLE_TAG';
  if (v === 'SINGLE_TAG' || v === 'MULTI_TAG') return v;
  throw bodyError(what, `field 'topicFilterType' must be SINGLE_TAG or MULTI_TAG, got ${JSON.stringify(v)}`);
}

/**
 * The space-separated text form used inside compressed REGISTER_BROKER bodies (§4.4):
 * `name read write perm filterType [attributesJson]`. topicSysFlag and order are not part of it.
 */
export function encodeTopicConfigText(tc: TopicConfig): string {
  const base = `${tc.topicName} ${tc.readQueueNums} ${tc.writeQueueNums} ${tc.perm} ${tc.topicFilterType}`;
  return Object.keys(tc.attributes).length > 0 ? `${base} ${JSON.stringify(sortedKeys(tc.attributes))}` : base;
}

export function decodeTopicConfigText(text: string): TopicConfig {
  const parts = text.split(' ');
  if (parts.length < 5) throw bodyError('TopicConfig text', `expected at least 5 space-separated fields, got '${text}'`);
  const what = `TopicConfig text '${text}'`;
  const attributes = parts.length >= 6 ? optStringMap({ a: parseLenientJson(parts.slice(5).join(' ')) }, 'a', what) : {};
  return newTopicConfig(parts[0], {
    readQueueNums: toNumber(parts[1], `${what}: readQueueNums`),
    writeQueueNums: toNumber(parts[2], `${what}: writeQueueNums`),
    perm: toNumber(parts[3], `${what}: perm`),
    topicFilterType: filterType(parts[4], what),
    attributes,
  });
}

export function isWriteable(perm: number): boolean {
  return (perm & PermName.WRITE) === PermName.WRITE;
}

export function isReadable(perm: number): boolean {
  return (perm & PermName.READ) === PermName.READ;
}
