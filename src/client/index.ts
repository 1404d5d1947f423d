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
export type { ConsumerData, SubscriptionData } from './instance/heartbeat-data.ts';
export { PermName, toPublishInfo, toSubscribeQueues } from './instance/topic-route.ts';
export type { TopicPublishInfo } from './instance/topic-route.ts';

export { Producer, AUTO_CREATE_TOPIC_KEY, DEFAULT_PRODUCER_GROUP } from './producer/producer.ts';
export type { ProducerOptions, SendOptions } from './producer/producer.ts';
export { DEFAULT_MAX_MESSAGE_SIZE, splitBatch, batchEntrySize } from './producer/batch.ts';
export { selectByHash, selectRandom } from './producer/queue-selectors.ts';
export type { MessageQueueSelector } from './producer/queue-selectors.ts';
export { LatencyFaultTolerance, DEFAULT_LATENCY_MAX, DEFAULT_NOT_AVAILABLE_DURATION } from './producer/latency-fault-tolerance.ts';
export type { LatencyFaultToleranceOptions } from './producer/latency-fault-tolerance.ts';
