// Custom headers of the client ↔ broker data-path requests (PROTOCOL.md §2.2; Java package protocol.header).
// `required: true` mirrors Java's @CFNotNull. Shared by the broker (decoding) and the client (encoding).
import { defineHeader } from '../header.ts';
import type { HeaderOf } from '../header.ts';

/** SEND_MESSAGE (10): long field names. */
export const SendMessageRequestHeader = defineHeader('SendMessageRequestHeader', {
  producerGroup: { kind: 'string', required: true },
  topic: { kind: 'string', required: true },
  defaultTopic: { kind: 'string', required: true },
  defaultTopicQueueNums: { kind: 'int', required: true },
  queueId: { kind: 'int', required: true },
  sysFlag: { kind: 'int', required: true },
  bornTimestamp: { kind: 'long', required: true },
  flag: { kind: 'int', required: true },
  properties: { kind: 'string' },
  reconsumeTimes: { kind: 'int' },
  unitMode: { kind: 'bool' },
  batch: { kind: 'bool' },
  maxReconsumeTimes: { kind: 'int' },
  bname: { kind: 'string' },
});
export type SendMessageRequestHeader = HeaderOf<typeof SendMessageRequestHeader.spec>;

/** SEND_MESSAGE_V2 (310) / SEND_BATCH_MESSAGE (320): single-letter names a..n standing for the V1 fields in order. */
export const SendMessageRequestHeaderV2 = defineHeader('SendMessageRequestHeaderV2', {
  a: { kind: 'string', required: true },
  b: { kind: 'string', required: true },
  c: { kind: 'string', required: true },
  d: { kind: 'int', required: true },
  e: { kind: 'int', required: true },
  f: { kind: 'int', required: true },
  g: { kind: 'long', required: true },
  h: { kind: 'int', required: true },
  i: { kind: 'string' },
  j: { kind: 'int' },
  k: { kind: 'bool' },
  l: { kind: 'int' },
  m: { kind: 'bool' },
  n: { kind: 'string' },
});
export type SendMessageRequestHeaderV2 = HeaderOf<typeof SendMessageRequestHeaderV2.spec>;

/** V2 → V1 field names (Java SendMessageRequestHeaderV2.createSendMessageRequestHeaderV1). */
export function sendHeaderV2ToV1(h: SendMessageRequestHeaderV2): SendMessageRequestHeader {
  return {
    producerGroup: h.a,
    topic: h.b,
    defaultTopic: h.c,
    defaultTopicQueueNums: h.d,
    queueId: h.e,
    sysFlag: h.f,
    bornTimestamp: h.g,
    flag: h.h,
    properties: h.i,
    reconsumeTimes: h.j,
    unitMode: h.k,
    maxReconsumeTimes: h.l,
    batch: h.m,
    bname: h.n,
  };
}

/** V1 → V2 field names (what Java/ali-ons clients put on the wire for 310/320). */
export function sendHeaderV1ToV2(h: SendMessageRequestHeader): SendMessageRequestHeaderV2 {
  return {
    a: h.producerGroup,
    b: h.topic,
    c: h.defaultTopic,
    d: h.defaultTopicQueueNums,
    e: h.queueId,
    f: h.sysFlag,
    g: h.bornTimestamp,
    h: h.flag,
    i: h.properties,
    j: h.reconsumeTimes,
    k: h.unitMode,
    l: h.maxReconsumeTimes,
    m: h.batch,
    n: h.bname,
  };
}

export const SendMessageResponseHeader = defineHeader('SendMessageResponseHeader', {
  msgId: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
  queueOffset: { kind: 'long', required: true },
  transactionId: { kind: 'string' },
  batchUniqId: { kind: 'string' },
  /** Extra extFields the Java broker adds to every send response (§2.2). */
  MSG_REGION: { kind: 'string' },
  TRACE_ON: { kind: 'string' },
});
export type SendMessageResponseHeader = HeaderOf<typeof SendMessageResponseHeader.spec>;

/** PULL_MESSAGE (11) / LITE_PULL_MESSAGE (361). */
export const PullMessageRequestHeader = defineHeader('PullMessageRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
  topic: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
  queueOffset: { kind: 'long', required: true },
  maxMsgNums: { kind: 'int', required: true },
  sysFlag: { kind: 'int', required: true },
  commitOffset: { kind: 'long', required: true },
  suspendTimeoutMillis: { kind: 'long', required: true },
  subscription: { kind: 'string' },
  subVersion: { kind: 'long', required: true },
  expressionType: { kind: 'string' },
  maxMsgBytes: { kind: 'int' },
  requestSource: { kind: 'int' },
  proxyFrowardClientId: { kind: 'string' },
});
export type PullMessageRequestHeader = HeaderOf<typeof PullMessageRequestHeader.spec>;

export const PullMessageResponseHeader = defineHeader('PullMessageResponseHeader', {
  suggestWhichBrokerId: { kind: 'long', required: true },
  nextBeginOffset: { kind: 'long', required: true },
  minOffset: { kind: 'long', required: true },
  maxOffset: { kind: 'long', required: true },
  offsetDelta: { kind: 'long' },
  topicSysFlag: { kind: 'int' },
  groupSysFlag: { kind: 'int' },
  forbiddenType: { kind: 'int' },
});
export type PullMessageResponseHeader = HeaderOf<typeof PullMessageResponseHeader.spec>;

/** QUERY_MESSAGE (12). extField `_UNIQUE_KEY_QUERY=true` marks a query by UNIQ_KEY. */
export const QueryMessageRequestHeader = defineHeader('QueryMessageRequestHeader', {
  topic: { kind: 'string', required: true },
  key: { kind: 'string', required: true },
  maxNum: { kind: 'int', required: true },
  beginTimestamp: { kind: 'long', required: true },
  endTimestamp: { kind: 'long', required: true },
  _UNIQUE_KEY_QUERY: { kind: 'bool' },
});
export type QueryMessageRequestHeader = HeaderOf<typeof QueryMessageRequestHeader.spec>;

export const QueryMessageResponseHeader = defineHeader('QueryMessageResponseHeader', {
  indexLastUpdateTimestamp: { kind: 'long', required: true },
  indexLastUpdatePhyoffset: { kind: 'long', required: true },
});
export type QueryMessageResponseHeader = HeaderOf<typeof QueryMessageResponseHeader.spec>;

/** VIEW_MESSAGE_BY_ID (33): `offset` is the commit-log offset decoded from an offsetMsgId. */
export const ViewMessageRequestHeader = defineHeader('ViewMessageRequestHeader', {
  topic: { kind: 'string' },
  offset: { kind: 'long', required: true },
});
export type ViewMessageRequestHeader = HeaderOf<typeof ViewMessageRequestHeader.spec>;

/** UNREGISTER_CLIENT (35). */
export const UnregisterClientRequestHeader = defineHeader('UnregisterClientRequestHeader', {
  clientID: { kind: 'string', required: true },
  producerGroup: { kind: 'string' },
  consumerGroup: { kind: 'string' },
});
export type UnregisterClientRequestHeader = HeaderOf<typeof UnregisterClientRequestHeader.spec>;

/** GET_CONSUMER_LIST_BY_GROUP (38). */
export const GetConsumerListByGroupRequestHeader = defineHeader('GetConsumerListByGroupRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
});
export type GetConsumerListByGroupRequestHeader = HeaderOf<typeof GetConsumerListByGroupRequestHeader.spec>;

/**
 * CONSUMER_SEND_MSG_BACK (36). delayLevel 0 = broker decides (3 + reconsumeTimes); negative = straight to the DLQ.
 * maxReconsumeTimes is sent from V3_4_9 on.
 */
export const ConsumerSendMsgBackRequestHeader = defineHeader('ConsumerSendMsgBackRequestHeader', {
  offset: { kind: 'long', required: true },
  group: { kind: 'string', required: true },
  delayLevel: { kind: 'int', required: true },
  originMsgId: { kind: 'string' },
  originTopic: { kind: 'string' },
  unitMode: { kind: 'bool' },
  maxReconsumeTimes: { kind: 'int' },
});
export type ConsumerSendMsgBackRequestHeader = HeaderOf<typeof ConsumerSendMsgBackRequestHeader.spec>;

/** NOTIFY_CONSUMER_IDS_CHANGED (40), broker → client, oneway. */
export const NotifyConsumerIdsChangedRequestHeader = defineHeader('NotifyConsumerIdsChangedRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
});
export type NotifyConsumerIdsChangedRequestHeader = HeaderOf<typeof NotifyConsumerIdsChangedRequestHeader.spec>;

/** QUERY_CONSUMER_OFFSET (14). */
export const QueryConsumerOffsetRequestHeader = defineHeader('QueryConsumerOffsetRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
  topic: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
  setZeroIfNotFound: { kind: 'bool' },
});
export type QueryConsumerOffsetRequestHeader = HeaderOf<typeof QueryConsumerOffsetRequestHeader.spec>;

/** Response of QUERY_CONSUMER_OFFSET (14), GET_MAX/MIN_OFFSET (30/31), SEARCH_OFFSET_BY_TIMESTAMP (29). */
export const OffsetResponseHeader = defineHeader('OffsetResponseHeader', {
  offset: { kind: 'long', required: true },
});
export type OffsetResponseHeader = HeaderOf<typeof OffsetResponseHeader.spec>;

/** UPDATE_CONSUMER_OFFSET (15). */
export const UpdateConsumerOffsetRequestHeader = defineHeader('UpdateConsumerOffsetRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
  topic: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
  commitOffset: { kind: 'long', required: true },
});
export type UpdateConsumerOffsetRequestHeader = HeaderOf<typeof UpdateConsumerOffsetRequestHeader.spec>;

/** SEARCH_OFFSET_BY_TIMESTAMP (29). boundaryType "lower" (default) or "upper". */
export const SearchOffsetRequestHeader = defineHeader('SearchOffsetRequestHeader', {
  topic: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
  timestamp: { kind: 'long', required: true },
  boundaryType: { kind: 'string' },
});
export type SearchOffsetRequestHeader = HeaderOf<typeof SearchOffsetRequestHeader.spec>;

/** GET_MAX_OFFSET (30). */
export const GetMaxOffsetRequestHeader = defineHeader('GetMaxOffsetRequestHeader', {
  topic: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
  committed: { kind: 'bool' },
});
export type GetMaxOffsetRequestHeader = HeaderOf<typeof GetMaxOffsetRequestHeader.spec>;

/** GET_MIN_OFFSET (31). */
export const GetMinOffsetRequestHeader = defineHeader('GetMinOffsetRequestHeader', {
  topic: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
});
export type GetMinOffsetRequestHeader = HeaderOf<typeof GetMinOffsetRequestHeader.spec>;

/** GET_EARLIEST_MSG_STORETIME (32). */
export const GetEarliestMsgStoretimeRequestHeader = defineHeader('GetEarliestMsgStoretimeRequestHeader', {
  topic: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
});
export type GetEarliestMsgStoretimeRequestHeader = HeaderOf<typeof GetEarliestMsgStoretimeRequestHeader.spec>;

export const GetEarliestMsgStoretimeResponseHeader = defineHeader('GetEarliestMsgStoretimeResponseHeader', {
  timestamp: { kind: 'long', required: true },
});
export type GetEarliestMsgStoretimeResponseHeader = HeaderOf<typeof GetEarliestMsgStoretimeResponseHeader.spec>;

/** UPDATE_AND_CREATE_TOPIC (17). */
export const CreateTopicRequestHeader = defineHeader('CreateTopicRequestHeader', {
  topic: { kind: 'string', required: true },
  defaultTopic: { kind: 'string', required: true },
  readQueueNums: { kind: 'int', required: true },
  writeQueueNums: { kind: 'int', required: true },
  perm: { kind: 'int', required: true },
  topicFilterType: { kind: 'string', required: true },
  topicSysFlag: { kind: 'int' },
  order: { kind: 'bool', required: true },
  attributes: { kind: 'string' },
  force: { kind: 'bool' },
});
export type CreateTopicRequestHeader = HeaderOf<typeof CreateTopicRequestHeader.spec>;

/** DELETE_TOPIC_IN_BROKER (215), GET_TOPIC_CONFIG (351). */
export const TopicRequestHeader = defineHeader('TopicRequestHeader', {
  topic: { kind: 'string', required: true },
});
export type TopicRequestHeader = HeaderOf<typeof TopicRequestHeader.spec>;
