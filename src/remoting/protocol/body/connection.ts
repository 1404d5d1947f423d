// Connection bodies (PROTOCOL.md §4.7): ConsumerConnection (GET_CONSUMER_CONNECTION_LIST 203) and ProducerConnection
// (GET_PRODUCER_CONNECTION_LIST 204). Connection = {clientAddr, clientId, language (LanguageCode name), version}.
// SubscriptionData as in HeartbeatData (§4.3).
import { subscriptionDataFromJson, subscriptionDataToJson } from './heartbeat-data.ts';
import type { SubscriptionData } from './heartbeat-data.ts';
import { asObject, isObject, optNumber, optString, parseBodyJson, setOwn, sortedKeys } from './json-fields.ts';

export interface Connection {
  clientId: string;
  /** "ip:port" of the client's socket as the broker sees it. */
  clientAddr: string;
  /** LanguageCode name, e.g. "JAVA", "NODE_JS". */
  language: string;
  /** Client's MQVersion ordinal. */
  version: number;
}

/** SubscriptionData as in HeartbeatData (§4.3). */
export type ConnectionSubscriptionData = SubscriptionData;

export interface ConsumerConnection {
  connectionSet: Connection[];
  /** topic → subscription. */
  subscriptionTable: Record<string, ConnectionSubscriptionData>;
  /** "CONSUME_ACTIVELY" / "CONSUME_PASSIVELY" / "CONSUME_POP"; absent when the group has no consumer. */
  consumeType?: string;
  /** "CLUSTERING" / "BROADCASTING". */
  messageModel?: string;
  /** e.g. "CONSUME_FROM_LAST_OFFSET". */
  consumeFromWhere?: string;
}

export interface ProducerConnection {
  connectionSet: Connection[];
}

export function connectionToJson(c: Connection): Record<string, unknown> {
  return { clientAddr: c.clientAddr, clientId: c.clientId, language: c.language, version: c.version };
}

export function connectionFromJson(v: unknown, what = 'Connection'): Connection {
  const o = asObject(v, what);
  return {
    clientId: optString(o, 'clientId', what) ?? '',
    clientAddr: optString(o, 'clientAddr', what) ?? '',
    language: optString(o, 'language', what) ?? '',
    version: optNumber(o, 'version', what, 0),
  };
}

function connectionsFromJson(o: Record<string, unknown>, what: string): Connection[] {
  const set = o.connectionSet;
  if (!Array.isArray(set)) return [];
  return set.map((c, i) => connectionFromJson(c, `${what}.connectionSet[${i}]`));
}

export function serializeConsumerConnection(c: ConsumerConnection): Buffer {
  const subs: Record<string, unknown> = {};
  for (const [topic, s] of Object.entries(sortedKeys(c.subscriptionTable))) setOwn(subs, topic, subscriptionDataToJson(s));
  const o: Record<string, unknown> = { connectionSet: c.connectionSet.map(connectionToJson) };
  if (c.consumeFromWhere !== undefined) o.consumeFromWhere = c.consumeFromWhere;
  if (c.consumeType !== undefined) o.consumeType = c.consumeType;
  if (c.messageModel !== undefined) o.messageModel = c.messageModel;
  o.subscriptionTable = subs;
  return Buffer.from(JSON.stringify(o));
}

export function consumerConnectionFromJson(v: unknown, what = 'ConsumerConnection'): ConsumerConnection {
  const o = asObject(v, what);
  const out: ConsumerConnection = { connectionSet: connectionsFromJson(o, what), subscriptionTable: {} };
  if (isObject(o.subscriptionTable)) {
    for (const [topic, s] of Object.entries(o.subscriptionTable)) {
      setOwn(out.subscriptionTable, topic, subscriptionDataFromJson(s, `${what}.subscriptionTable.${topic}`));
    }
  }
  const consumeType = optString(o, 'consumeType', what);
  if (consumeType !== undefined) out.consumeType = consumeType;
  const messageModel = optString(o, 'messageModel', what);
  if (messageModel !== undefined) out.messageModel = messageModel;
  const consumeFromWhere = optString(o, 'consumeFromWhere', what);
  if (consumeFromWhere !== undefined) out.consumeFromWhere = consumeFromWhere;
  return out;
}

export function parseConsumerConnection(body: Buffer | string | undefined): ConsumerConnection {
  return consumerConnectionFromJson(parseBodyJson(body, 'ConsumerConnection'));
}

export function serializeProducerConnection(p: ProducerConnection): Buffer {
  return Buffer.from(JSON.stringify({ connectionSet: p.connectionSet.map(connectionToJson) }));
}

export function producerConnectionFromJson(v: unknown, what = 'ProducerConnection'): ProducerConnection {
  return { connectionSet: connectionsFromJson(asObject(v, what), what) };
}

export function parseProducerConnection(body: Buffer | string | undefined): ProducerConnection {
  return producerConnectionFromJson(parseBodyJson(body, 'ProducerConnection'));
}
