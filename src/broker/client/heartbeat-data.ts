// HeartbeatData (HEART_BEAT 34 body, PROTOCOL.md §4.3): parse and validate what Java/Go/ali-ons/C++ clients send.
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { parseLenientJson } from '../../common/lenient-json.ts';

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

export interface SubscriptionData {
  topic: string;
  /** "*" or "tagA || tagB" (or an SQL92 expression). */
  subString: string;
  tagsSet: string[];
  /** Java String.hashCode of each tag. */
  codeSet: number[];
  /** Version (ms) — a newer one replaces the stored subscription. */
  subVersion: number;
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

function bad(what: string): never {
  throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `bad heartbeat: ${what}`, { responseCode: ResponseCode.SYSTEM_ERROR });
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

/** Enum by name, or by Java ordinal (tables above are in Java declaration order; fastjson accepts both); missing → `dflt`. */
function enumValue<T extends string>(v: unknown, values: Readonly<Record<string, T>>, what: string, dflt: T): T {
  if (v === undefined || v === null) return dflt;
  const list = Object.values(values);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < list.length) return list[v] as T;
  if (typeof v === 'string' && (list as string[]).includes(v)) return v as T;
  return bad(`${what} has unknown value ${JSON.stringify(v)}`);
}

export function parseSubscriptionData(v: unknown, what = 'subscription'): SubscriptionData {
  const o = obj(v, what);
  const topic = str(o.topic, `${what}.topic`);
  if (topic === '') bad(`${what}.topic is empty`);
  return {
    topic,
    subString: str(o.subString, `${what}.subString`, '*'),
    tagsSet: arr(o.tagsSet, `${what}.tagsSet`).map((t, i) => str(t, `${what}.tagsSet[${i}]`)),
    codeSet: arr(o.codeSet, `${what}.codeSet`).map((c, i) => int(c, `${what}.codeSet[${i}]`)),
    subVersion: int(o.subVersion, `${what}.subVersion`),
    expressionType: str(o.expressionType, `${what}.expressionType`, ExpressionType.TAG),
    classFilterMode: bool(o.classFilterMode, `${what}.classFilterMode`),
  };
}

function parseConsumerData(v: unknown, i: number): ConsumerData {
  const what = `consumerDataSet[${i}]`;
  const o = obj(v, what);
  const groupName = str(o.groupName, `${what}.groupName`);
  if (groupName === '') bad(`${what}.groupName is empty`);
  return {
    groupName,
    consumeType: enumValue(o.consumeType, ConsumeType, `${what}.consumeType`, ConsumeType.CONSUME_PASSIVELY),
    messageModel: enumValue(o.messageModel, MessageModel, `${what}.messageModel`, MessageModel.CLUSTERING),
    consumeFromWhere: enumValue(
      o.consumeFromWhere,
      ConsumeFromWhere,
      `${what}.consumeFromWhere`,
      ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET,
    ),
    subscriptionDataSet: arr(o.subscriptionDataSet, `${what}.subscriptionDataSet`).map((s, j) =>
      parseSubscriptionData(s, `${what}.subscriptionDataSet[${j}]`),
    ),
    unitMode: bool(o.unitMode, `${what}.unitMode`),
  };
}

/**
 * Parses a HEART_BEAT body. Throws RocketMQError INVALID_ARGUMENT (responseCode 1 SYSTEM_ERROR, as a Java broker
 * answers an undecodable heartbeat) naming the bad field.
 */
export function parseHeartbeatData(body: Buffer | string | undefined | null): HeartbeatData {
  if (body === undefined || body === null || body.length === 0) bad('empty body');
  let json: unknown;
  try {
    json = parseLenientJson(body);
  } catch (e) {
    return bad(`bad JSON: ${errorMessage(e)}`);
  }
  const o = obj(json, 'body');
  const clientID = str(o.clientID, 'clientID');
  if (clientID === '') bad('clientID is empty');
  return {
    clientID,
    producerDataSet: arr(o.producerDataSet, 'producerDataSet').map((p, i) => {
      const po = obj(p, `producerDataSet[${i}]`);
      const groupName = str(po.groupName, `producerDataSet[${i}].groupName`);
      if (groupName === '') bad(`producerDataSet[${i}].groupName is empty`);
      return { groupName };
    }),
    consumerDataSet: arr(o.consumerDataSet, 'consumerDataSet').map(parseConsumerData),
    heartbeatFingerprint: int(o.heartbeatFingerprint, 'heartbeatFingerprint'),
    withoutSub: bool(o.withoutSub, 'withoutSub'),
  };
}
