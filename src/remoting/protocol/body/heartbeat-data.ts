// HeartbeatData, the HEART_BEAT (34) body (PROTOCOL.md §4.3): the client writes it as fastjson would (compact, keys
// sorted, null fields omitted); the broker reads what Java/Go/ali-ons/C++ clients send (enums by name or by Java
// ordinal, missing fields defaulted). SubscriptionData also appears in ConsumerConnection (§4.7).
import { ERROR_CODES, RocketMQError, errorMessage } from '../../../common/errors.ts';
import { parseLenientJson } from '../../../common/lenient-json.ts';

// Enum tables are in Java declaration order: fastjson accepts an ordinal for an enum field.
export const ConsumeType = {
  CONSUME_ACTIVELY: 'CONSUME_ACTIVELY',
  CONSUME_PASSIVELY: 'CONSUME_PASSIVELY',
  CONSUME_POP: 'CONSUME_POP',
} as const;
export type ConsumeType = (typeof ConsumeType)[keyof typeof ConsumeType];

export const MessageModel = { BROADCASTING: 'BROADCASTING', CLUSTERING: 'CLUSTERING' } as const;
export type MessageModel = (typeof MessageModel)[keyof typeof MessageModel];

export const ConsumeFromWhere = {
  CONSUME_FROM_LAST_OFFSET: 'CONSUME_FROM_LAST_OFFSET',
  CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST: 'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST',
  CONSUME_FROM_MIN_OFFSET: 'CONSUME_FROM_MIN_OFFSET',
  CONSUME_FROM_MAX_OFFSET: 'CONSUME_FROM_MAX_OFFSET',
  CONSUME_FROM_FIRST_OFFSET: 'CONSUME_FROM_FIRST_OFFSET',
  CONSUME_FROM_TIMESTAMP: 'CONSUME_FROM_TIMESTAMP',
} as const;
export type ConsumeFromWhere = (typeof ConsumeFromWhere)[keyof typeof ConsumeFromWhere];

export const ExpressionType = { TAG: 'TAG', SQL92: 'SQL92' } as const;
export type ExpressionType = (typeof ExpressionType)[keyof typeof ExpressionType];

export interface SubscriptionData {
  topic: string;
  /** "*" or "tagA || tagB" (or an SQL92 expression). */
  subString: string;
  tagsSet: string[];
  /** Java String.hashCode of each tag. */
  codeSet: number[];
  /** Version (ms) — a newer one replaces the stored subscription. */
  subVersion: number;
  /** "TAG" or "SQL92" (kept as sent). */
  expressionType: string;
  classFilterMode: boolean;
}

export interface ConsumerData {
  groupName: string;
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

export interface ProducerData {
  groupName: string;
}

export interface HeartbeatData {
  clientID: string;
  producerDataSet: ProducerData[];
  consumerDataSet: ConsumerData[];
  /** 5.x heartbeat V2 (0 = V1). */
  heartbeatFingerprint: number;
  withoutSub: boolean;
}

export function subscriptionDataToJson(s: SubscriptionData): Record<string, unknown> {
  return {
    classFilterMode: s.classFilterMode,
    codeSet: s.codeSet,
    expressionType: s.expressionType,
    subString: s.subString,
    subVersion: s.subVersion,
    tagsSet: s.tagsSet,
    topic: s.topic,
  };
}

function consumerDataToJson(c: ConsumerData): Record<string, unknown> {
  return {
    consumeFromWhere: c.consumeFromWhere,
    consumeType: c.consumeType,
    groupName: c.groupName,
    messageModel: c.messageModel,
    subscriptionDataSet: c.subscriptionDataSet.map(subscriptionDataToJson),
    unitMode: c.unitMode,
  };
}

export function serializeHeartbeatData(h: HeartbeatData): Buffer {
  return Buffer.from(
    JSON.stringify({
      clientID: h.clientID,
      consumerDataSet: h.consumerDataSet.map(consumerDataToJson),
      heartbeatFingerprint: h.heartbeatFingerprint,
      producerDataSet: h.producerDataSet.map((p) => ({ groupName: p.groupName })),
      withoutSub: h.withoutSub,
    }),
  );
}

// Decoding: strings must be strings; numbers may arrive as integer strings and booleans as "true"/"false". `what` is
// the path of the value, and a wrong value is a RocketMQError(PROTOCOL) naming it.
function bad(message: string): never {
  throw new RocketMQError(ERROR_CODES.PROTOCOL, message);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function arr(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) bad(`${what} is not an array`);
  return v;
}

function str(v: unknown, what: string, dflt?: string): string {
  if ((v === undefined || v === null) && dflt !== undefined) return dflt;
  if (typeof v !== 'string') bad(`${what} is not a string`);
  return v;
}

function bool(v: unknown, what: string): boolean {
  if (v === undefined || v === null) return false;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return bad(`${what} is not a boolean`);
}

function int(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) bad(`${what} is not an integer`);
  return n;
}

/** Enum by name or by Java ordinal; missing → `dflt`. */
function enumValue<T extends string>(v: unknown, values: Readonly<Record<string, T>>, what: string, dflt: T): T {
  if (v === undefined || v === null) return dflt;
  const list = Object.values(values);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < list.length) return list[v] as T;
  if (typeof v === 'string' && (list as string[]).includes(v)) return v as T;
  return bad(`${what} has unknown value ${JSON.stringify(v)}`);
}

export function subscriptionDataFromJson(v: unknown, what = 'SubscriptionData'): SubscriptionData {
  const o = obj(v, what);
  return {
    topic: str(o.topic, `${what}.topic`),
    subString: str(o.subString, `${what}.subString`, '*'),
    tagsSet: arr(o.tagsSet, `${what}.tagsSet`).map((t, i) => str(t, `${what}.tagsSet[${i}]`)),
    codeSet: arr(o.codeSet, `${what}.codeSet`).map((c, i) => int(c, `${what}.codeSet[${i}]`)),
    subVersion: int(o.subVersion, `${what}.subVersion`),
    expressionType: str(o.expressionType, `${what}.expressionType`, ExpressionType.TAG),
    classFilterMode: bool(o.classFilterMode, `${what}.classFilterMode`),
  };
}

function consumerDataFromJson(v: unknown, what: string): ConsumerData {
  const o = obj(v, what);
  return {
    groupName: str(o.groupName, `${what}.groupName`),
    consumeType: enumValue(o.consumeType, ConsumeType, `${what}.consumeType`, ConsumeType.CONSUME_PASSIVELY),
    messageModel: enumValue(o.messageModel, MessageModel, `${what}.messageModel`, MessageModel.CLUSTERING),
    consumeFromWhere: enumValue(o.consumeFromWhere, ConsumeFromWhere, `${what}.consumeFromWhere`, ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET),
    subscriptionDataSet: arr(o.subscriptionDataSet, `${what}.subscriptionDataSet`).map((s, j) =>
      subscriptionDataFromJson(s, `${what}.subscriptionDataSet[${j}]`),
    ),
    unitMode: bool(o.unitMode, `${what}.unitMode`),
  };
}

/** Decodes a HEART_BEAT body; a wrong type is a RocketMQError(PROTOCOL) naming the field. */
export function parseHeartbeatData(body: Buffer | string | undefined | null): HeartbeatData {
  const what = 'HeartbeatData: ';
  if (body === undefined || body === null || body.length === 0) bad(`${what}empty body`);
  let json: unknown;
  try {
    json = parseLenientJson(body);
  } catch (e) {
    return bad(`${what}bad JSON: ${errorMessage(e)}`);
  }
  const o = obj(json, `${what}body`);
  return {
    clientID: str(o.clientID, `${what}clientID`),
    producerDataSet: arr(o.producerDataSet, `${what}producerDataSet`).map((p, i) => ({
      groupName: str(obj(p, `${what}producerDataSet[${i}]`).groupName, `${what}producerDataSet[${i}].groupName`),
    })),
    consumerDataSet: arr(o.consumerDataSet, `${what}consumerDataSet`).map((c, i) => consumerDataFromJson(c, `${what}consumerDataSet[${i}]`)),
    heartbeatFingerprint: int(o.heartbeatFingerprint, `${what}heartbeatFingerprint`),
    withoutSub: bool(o.withoutSub, `${what}withoutSub`),
  };
}
