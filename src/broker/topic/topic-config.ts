// TopicConfig (PROTOCOL.md §4.4) and perm bits (§4.1: 8 priority, 4 read, 2 write, 1 inherit).
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

export const PermName = { PERM_PRIORITY: 8, PERM_READ: 4, PERM_WRITE: 2, PERM_INHERIT: 1 } as const;
export type PermName = (typeof PermName)[keyof typeof PermName];

export function isReadable(perm: number): boolean {
  return (perm & PermName.PERM_READ) === PermName.PERM_READ;
}
export function isWriteable(perm: number): boolean {
  return (perm & PermName.PERM_WRITE) === PermName.PERM_WRITE;
}
export function isInherited(perm: number): boolean {
  return (perm & PermName.PERM_INHERIT) === PermName.PERM_INHERIT;
}
/** "RWX"-style text used by admin tools: R, W, X (inherit) or '-'. */
export function permToString(perm: number): string {
  return `${isReadable(perm) ? 'R' : '-'}${isWriteable(perm) ? 'W' : '-'}${isInherited(perm) ? 'X' : '-'}`;
}

export const TopicFilterType = { SINGLE_TAG: 'SINGLE_TAG', MULTI_TAG: 'MULTI_TAG' } as const;
export type TopicFilterType = (typeof TopicFilterType)[keyof typeof TopicFilterType];

/** topicSysFlag bits: bit0 unit, bit1 unit-sub. */
export const TopicSysFlag = { FLAG_UNIT: 0x1, FLAG_UNIT_SUB: 0x2 } as const;

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

/** Java's TopicConfig defaults: 16/16 queues, perm 6, SINGLE_TAG. */
export function newTopicConfig(topicName: string, fields: Partial<Omit<TopicConfig, 'topicName'>> = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: 16,
    writeQueueNums: 16,
    perm: PermName.PERM_READ | PermName.PERM_WRITE,
    topicFilterType: TopicFilterType.SINGLE_TAG,
    topicSysFlag: 0,
    order: false,
    attributes: {},
    ...fields,
  };
}

export function cloneTopicConfig(c: TopicConfig): TopicConfig {
  return { ...c, attributes: { ...c.attributes } };
}

/** JSON object in fastjson's field order (alphabetical), as in topics.json and REGISTER_BROKER. */
export function topicConfigToJson(c: TopicConfig): Record<string, unknown> {
  return {
    attributes: { ...c.attributes },
    order: c.order,
    perm: c.perm,
    readQueueNums: c.readQueueNums,
    topicFilterType: c.topicFilterType,
    topicName: c.topicName,
    topicSysFlag: c.topicSysFlag,
    writeQueueNums: c.writeQueueNums,
  };
}

function bad(what: string): never {
  throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `bad TopicConfig: ${what}`);
}

function intField(o: Record<string, unknown>, key: string, dflt: number): number {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) bad(`${key} is not an integer`);
  return n;
}

function boolField(o: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return bad(`${key} is not a boolean`);
}

/** Decodes a TopicConfig object (topics.json entry, REGISTER_BROKER body); missing fields take Java's defaults. */
export function topicConfigFromJson(json: unknown, nameHint?: string): TopicConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) bad('not an object');
  const o = json as Record<string, unknown>;
  const topicName = typeof o.topicName === 'string' ? o.topicName : nameHint;
  if (topicName === undefined || topicName === '') bad('topicName missing');
  const filter = o.topicFilterType ?? TopicFilterType.SINGLE_TAG;
  if (filter !== TopicFilterType.SINGLE_TAG && filter !== TopicFilterType.MULTI_TAG) bad('topicFilterType');
  const attributes: Record<string, string> = {};
  if (o.attributes !== undefined && o.attributes !== null) {
    if (typeof o.attributes !== 'object' || Array.isArray(o.attributes)) bad('attributes is not an object');
    for (const [k, v] of Object.entries(o.attributes as Record<string, unknown>)) attributes[k] = String(v);
  }
  return {
    topicName,
    readQueueNums: intField(o, 'readQueueNums', 16),
    writeQueueNums: intField(o, 'writeQueueNums', 16),
    perm: intField(o, 'perm', 6),
    topicFilterType: filter,
    topicSysFlag: intField(o, 'topicSysFlag', 0),
    order: boolField(o, 'order', false),
    attributes,
  };
}
