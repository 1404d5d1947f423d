// Public API of the rocketmq-ts client.
export { RocketMQError, ERROR_CODES, isRocketMQError } from '../common/errors.ts';
export type { ErrorCode } from '../common/errors.ts';
export { ResponseCode } from '../remoting/protocol/response-code.ts';

export { CLIENT_DEFAULTS, buildClientId, parseNamesrvAddr, resolveClientConfig } from './client-config.ts';
export type { ClientConfig, ResolvedClientConfig } from './client-config.ts';
export { DEFAULT_RETRY_RESPONSE_CODES } from './client-errors.ts';
export { SendStatus, messageQueueKey } from './message.ts';
export type { Message, MessageQueue, SendResult } from './message.ts';

export { ClientInstance } from './instance/client-instance.ts';
export type { ClientInstanceOptions, ConsumerMember, ProducerMember } from './instance/client-instance.ts';
export { acquireClientInstance, releaseClientInstance } from './instance/client-registry.ts';
export type { ConsumerData, SubscriptionData } from '../remoting/protocol/body/heartbeat-data.ts';
export { PermName, toPublishInfo, toSubscribeQueues } from './instance/topic-route.ts';
export type { TopicPublishInfo } from './instance/topic-route.ts';

export { Producer, AUTO_CREATE_TOPIC_KEY, DEFAULT_PRODUCER_GROUP } from './producer/producer.ts';
export type { ProducerOptions, SendOptions } from './producer/producer.ts';
export { DEFAULT_MAX_MESSAGE_SIZE, splitBatch, batchEntrySize } from './producer/batch.ts';
export { selectByHash, selectRandom } from './producer/queue-selectors.ts';
export type { MessageQueueSelector } from './producer/queue-selectors.ts';
export { LatencyFaultTolerance, DEFAULT_LATENCY_MAX, DEFAULT_NOT_AVAILABLE_DURATION } from './producer/latency-fault-tolerance.ts';
export type { LatencyFaultToleranceOptions } from './producer/latency-fault-tolerance.ts';

export { TransactionProducer, LocalTransactionState, commitOrRollbackOf } from './producer/transaction-producer.ts';
export type { HalfMessage, TransactionListener, TransactionProducerOptions, TransactionSendResult } from './producer/transaction-producer.ts';
export { toMessageView } from './producer/message-view.ts';
export type { MessageView } from './producer/message-view.ts';

export { AdminClient } from './admin/admin-client.ts';
export type { AdminClientOptions } from './admin/admin-client.ts';
export type { BrokerTarget, RouteBroker } from './admin/admin-context.ts';
export { ORDER_TOPIC_CONFIG_NAMESPACE, formatAttributes } from './admin/topic-admin.ts';
export type { CreateTopicOptions, CreateTopicResult, DeleteTopicResult, TopicStatusRow } from './admin/topic-admin.ts';
export type { SubscriptionGroupInput } from './admin/group-admin.ts';
export type { BrokerConfigResult, ConfigValues, WritePermResult } from './admin/cluster-admin.ts';
export { retryTopic } from './admin/consumer-admin.ts';
export type { ConsumeStatsResult, ConsumeStatsRow, ResetOffsetOptions, ResetOffsetRow } from './admin/consumer-admin.ts';
export { MAX_TIMESTAMP, QueryByOffsetStatus, TOOLS_CONSUMER_GROUP } from './admin/message-admin.ts';
export type { QueryByOffsetResult, QueryMessageOptions } from './admin/message-admin.ts';
// Wire bodies that admin results are made of.
export type { ClusterInfo } from '../remoting/protocol/body/cluster-info.ts';
export type { BrokerData, QueueData, TopicRouteData } from '../remoting/protocol/body/topic-route-data.ts';
export type { TopicConfig, TopicFilterType } from '../remoting/protocol/body/topic-config.ts';
export type { Connection, ConnectionSubscriptionData, ConsumerConnection, ProducerConnection } from '../remoting/protocol/body/connection.ts';
export type { SubscriptionGroupConfig, SubscriptionGroupWrapper } from '../remoting/protocol/body/subscription-group-config.ts';

export { PushConsumer } from './consumer/push-consumer.ts';
export type { PushConsumerOptions } from './consumer/push-consumer.ts';
export { LitePullConsumer } from './consumer/lite-pull-consumer.ts';
export type { LitePullConsumerOptions } from './consumer/lite-pull-consumer.ts';
export { ConsumeConcurrentlyStatus, ConsumeOrderlyStatus } from './consumer/listener.ts';
export type {
  ConsumeConcurrentlyContext,
  ConsumeOrderlyContext,
  MessageListenerConcurrently,
  MessageListenerOrderly,
} from './consumer/listener.ts';
export { MessageModel } from './consumer/rebalance.ts';
export { ConsumeFromWhere, CONSUMER_DEFAULTS } from './consumer/consumer-options.ts';
export { ExpressionType, SUB_ALL, buildSubscriptionData } from './consumer/subscription.ts';
export {
  allocateAveragely,
  allocateAveragelyByCircle,
  allocateConsistentHash,
  allocateByConfig,
  allocateByMachineRoom,
  sortMessageQueues,
  sortConsumerIds,
} from './consumer/allocate-strategy.ts';
export type { AllocateStrategy } from './consumer/allocate-strategy.ts';
export { retryTopicOf, dlqTopicOf } from './consumer/message-ext.ts';
export type { MessageExt } from './consumer/message-ext.ts';
export { LocalFileOffsetStore, RemoteBrokerOffsetStore, ReadOffsetType, defaultOffsetFile } from './consumer/offset-store.ts';
export type { OffsetStore } from './consumer/offset-store.ts';
