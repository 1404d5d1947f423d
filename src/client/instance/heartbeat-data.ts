// HEART_BEAT body (PROTOCOL.md §4.3), written as fastjson would: compact, keys sorted, null fields omitted.

export const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';

export interface SubscriptionData {
  topic: string;
  /** "*" or "tagA || tagB" or an SQL92 expression. */
  subString: string;
  tagsSet: string[];
  /** Java String.hashCode of each tag. */
  codeSet: number[];
  subVersion: number;
  /** "TAG" or "SQL92". */
  expressionType: string;
  classFilterMode: boolean;
}

export interface ConsumerData {
  groupName: string;
  /** "CONSUME_ACTIVELY" (pull) / "CONSUME_PASSIVELY" (push) / "CONSUME_POP". */
  consumeType: string;
  /** "CLUSTERING" / "BROADCASTING". */
  messageModel: string;
  consumeFromWhere: string;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

export interface HeartbeatData {
  clientID: string;
  producerGroups: string[];
  consumers: ConsumerData[];
}

function subscriptionJson(s: SubscriptionData): Record<string, unknown> {
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

function consumerJson(c: ConsumerData): Record<string, unknown> {
  return {
    consumeFromWhere: c.consumeFromWhere,
    consumeType: c.consumeType,
    groupName: c.groupName,
    messageModel: c.messageModel,
    subscriptionDataSet: c.subscriptionDataSet.map(subscriptionJson),
    unitMode: c.unitMode,
  };
}

/** V1 heartbeat (heartbeatFingerprint 0, subscriptions always included). */
export function encodeHeartbeatData(h: HeartbeatData): Buffer {
  return Buffer.from(
    JSON.stringify({
      clientID: h.clientID,
      consumerDataSet: h.consumers.map(consumerJson),
      heartbeatFingerprint: 0,
      producerDataSet: h.producerGroups.map((groupName) => ({ groupName })),
      withoutSub: false,
    }),
  );
}
