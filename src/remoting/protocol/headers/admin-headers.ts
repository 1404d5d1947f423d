// Custom headers of the admin requests mqadmin sends to brokers (PROTOCOL.md §2.1 "Admin/broker management"; Java
// package protocol.header). `required: true` mirrors Java's @CFNotNull. Shared by the broker's admin processors
// (decoding) and the client's AdminClient (encoding). Headers already defined elsewhere and reused by admin calls:
// CreateTopicRequestHeader / TopicRequestHeader (17, 215, 351), the offset headers (29–31, 14, 15) in
// broker-headers.ts; KV, write-perm, topic-by-cluster and delete-in-namesrv headers in namesrv-headers.ts.
import { defineHeader } from '../header.ts';
import type { HeaderOf } from '../header.ts';

/** DELETE_SUBSCRIPTIONGROUP (207). cleanOffset also drops the group's committed offsets. */
export const DeleteSubscriptionGroupRequestHeader = defineHeader('DeleteSubscriptionGroupRequestHeader', {
  groupName: { kind: 'string', required: true },
  cleanOffset: { kind: 'bool' },
});
export type DeleteSubscriptionGroupRequestHeader = HeaderOf<typeof DeleteSubscriptionGroupRequestHeader.spec>;

/** GET_SUBSCRIPTIONGROUP_CONFIG (352): reply body SubscriptionGroupConfig. */
export const GetSubscriptionGroupConfigRequestHeader = defineHeader('GetSubscriptionGroupConfigRequestHeader', {
  group: { kind: 'string', required: true },
});
export type GetSubscriptionGroupConfigRequestHeader = HeaderOf<typeof GetSubscriptionGroupConfigRequestHeader.spec>;

/** GET_TOPIC_STATS_INFO (202): reply body TopicStatsTable. */
export const GetTopicStatsInfoRequestHeader = defineHeader('GetTopicStatsInfoRequestHeader', {
  topic: { kind: 'string', required: true },
});
export type GetTopicStatsInfoRequestHeader = HeaderOf<typeof GetTopicStatsInfoRequestHeader.spec>;

/**
 * GET_CONSUME_STATS (208): reply body ConsumeStats. `topic` narrows to one topic; `topicList` (5.x) is several
 * topics joined with ";". Neither: every topic the group has offsets for.
 */
export const GetConsumeStatsRequestHeader = defineHeader('GetConsumeStatsRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
  topic: { kind: 'string' },
  topicList: { kind: 'string' },
});
export type GetConsumeStatsRequestHeader = HeaderOf<typeof GetConsumeStatsRequestHeader.spec>;

/** Separator of GetConsumeStatsRequestHeader.topicList. */
export const CONSUME_STATS_TOPIC_SEPARATOR = ';';

/** GET_CONSUMER_CONNECTION_LIST (203): reply body ConsumerConnection. */
export const GetConsumerConnectionListRequestHeader = defineHeader('GetConsumerConnectionListRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
});
export type GetConsumerConnectionListRequestHeader = HeaderOf<typeof GetConsumerConnectionListRequestHeader.spec>;

/** GET_PRODUCER_CONNECTION_LIST (204): reply body ProducerConnection. */
export const GetProducerConnectionListRequestHeader = defineHeader('GetProducerConnectionListRequestHeader', {
  producerGroup: { kind: 'string', required: true },
});
export type GetProducerConnectionListRequestHeader = HeaderOf<typeof GetProducerConnectionListRequestHeader.spec>;

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222, admin → broker; reply body ResetOffsetBody, 206 CONSUMER_NOT_ONLINE when no
 * consumer of the group is connected) and RESET_CONSUMER_CLIENT_OFFSET (220, broker → consumer, body ResetOffsetBody).
 * 5.x adds queueId (default −1 = every queue) and offset (−1 = "use timestamp"). Java names the flag `isForce`.
 */
export const ResetOffsetRequestHeader = defineHeader('ResetOffsetRequestHeader', {
  topic: { kind: 'string', required: true },
  group: { kind: 'string', required: true },
  queueId: { kind: 'int' },
  offset: { kind: 'long' },
  timestamp: { kind: 'long', required: true },
  isForce: { kind: 'bool', required: true },
});
export type ResetOffsetRequestHeader = HeaderOf<typeof ResetOffsetRequestHeader.spec>;

/** GET_CONSUMER_STATUS_FROM_CLIENT (221) / INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223). */
export const GetConsumerStatusRequestHeader = defineHeader('GetConsumerStatusRequestHeader', {
  topic: { kind: 'string', required: true },
  group: { kind: 'string', required: true },
  clientAddr: { kind: 'string' },
});
export type GetConsumerStatusRequestHeader = HeaderOf<typeof GetConsumerStatusRequestHeader.spec>;

/** QUERY_TOPIC_CONSUME_BY_WHO (300): reply body GroupList. */
export const QueryTopicConsumeByWhoRequestHeader = defineHeader('QueryTopicConsumeByWhoRequestHeader', {
  topic: { kind: 'string', required: true },
});
export type QueryTopicConsumeByWhoRequestHeader = HeaderOf<typeof QueryTopicConsumeByWhoRequestHeader.spec>;

/** QUERY_TOPICS_BY_CONSUMER (343): reply body TopicList. */
export const QueryTopicsByConsumerRequestHeader = defineHeader('QueryTopicsByConsumerRequestHeader', {
  group: { kind: 'string', required: true },
});
export type QueryTopicsByConsumerRequestHeader = HeaderOf<typeof QueryTopicsByConsumerRequestHeader.spec>;

/** QUERY_SUBSCRIPTION_BY_CONSUMER (345). */
export const QuerySubscriptionByConsumerRequestHeader = defineHeader('QuerySubscriptionByConsumerRequestHeader', {
  group: { kind: 'string', required: true },
  topic: { kind: 'string' },
});
export type QuerySubscriptionByConsumerRequestHeader = HeaderOf<typeof QuerySubscriptionByConsumerRequestHeader.spec>;

/** QUERY_CONSUME_TIME_SPAN (303). */
export const QueryConsumeTimeSpanRequestHeader = defineHeader('QueryConsumeTimeSpanRequestHeader', {
  topic: { kind: 'string', required: true },
  group: { kind: 'string', required: true },
});
export type QueryConsumeTimeSpanRequestHeader = HeaderOf<typeof QueryConsumeTimeSpanRequestHeader.spec>;

/** GET_CONSUMER_RUNNING_INFO (307): admin → broker → client; reply body ConsumerRunningInfo (§4.8). */
export const GetConsumerRunningInfoRequestHeader = defineHeader('GetConsumerRunningInfoRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
  clientId: { kind: 'string', required: true },
  jstackEnable: { kind: 'bool' },
});
export type GetConsumerRunningInfoRequestHeader = HeaderOf<typeof GetConsumerRunningInfoRequestHeader.spec>;

/** CONSUME_MESSAGE_DIRECTLY (309): admin → broker → client; body = the message (§5.4). */
export const ConsumeMessageDirectlyResultRequestHeader = defineHeader('ConsumeMessageDirectlyResultRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
  clientId: { kind: 'string' },
  msgId: { kind: 'string' },
  brokerName: { kind: 'string' },
  topic: { kind: 'string' },
  topicSysFlag: { kind: 'int' },
  groupSysFlag: { kind: 'int' },
});
export type ConsumeMessageDirectlyResultRequestHeader = HeaderOf<typeof ConsumeMessageDirectlyResultRequestHeader.spec>;

/** GET_BROKER_CONFIG (26) reply: body = properties text, header `version` = the broker config's DataVersion JSON. */
export const GetBrokerConfigResponseHeader = defineHeader('GetBrokerConfigResponseHeader', {
  version: { kind: 'string', required: true },
});
export type GetBrokerConfigResponseHeader = HeaderOf<typeof GetBrokerConfigResponseHeader.spec>;

/** GET_ALL_TOPIC_CONFIG (21) reply header (5.x). */
export const GetAllTopicConfigResponseHeader = defineHeader('GetAllTopicConfigResponseHeader', {
  totalTopicNum: { kind: 'int' },
});
export type GetAllTopicConfigResponseHeader = HeaderOf<typeof GetAllTopicConfigResponseHeader.spec>;

/** UPDATE_CONSUMER_OFFSET (15) as admin tools send it (5.x adds `bname`, the target broker name). */
export const AdminUpdateConsumerOffsetRequestHeader = defineHeader('AdminUpdateConsumerOffsetRequestHeader', {
  consumerGroup: { kind: 'string', required: true },
  topic: { kind: 'string', required: true },
  queueId: { kind: 'int', required: true },
  commitOffset: { kind: 'long', required: true },
  bname: { kind: 'string' },
});
export type AdminUpdateConsumerOffsetRequestHeader = HeaderOf<typeof AdminUpdateConsumerOffsetRequestHeader.spec>;
