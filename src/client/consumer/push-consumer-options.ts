// Options of the push consumer with Java's defaults (FEATURES.md §1.2), resolved and validated once at construction.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { ClientConfig } from '../client-config.ts';
import type { ClientInstance } from '../instance/client-instance.ts';
import { allocateAveragely } from './allocate-strategy.ts';
import type { AllocateStrategy } from './allocate-strategy.ts';
import { CONSUMER_DEFAULTS, ConsumeFromWhere } from './consumer-options.ts';
import { MessageModel } from './rebalance.ts';

export interface PushConsumerOptions extends ClientConfig {
  /** Consumer group (required). */
  group: string;
  /** Default CLUSTERING. */
  messageModel?: MessageModel;
  /** Start position of a group that has no committed offset; default CONSUME_FROM_LAST_OFFSET. */
  consumeFromWhere?: ConsumeFromWhere;
  /** Epoch ms for CONSUME_FROM_TIMESTAMP; default 30 minutes before start. */
  consumeTimestamp?: number;
  /** Default AllocateMessageQueueAveragely. */
  allocateStrategy?: AllocateStrategy;
  /** Messages per listener call; default 1. */
  consumeMessageBatchMaxSize?: number;
  /** Messages asked per pull; default 32. */
  pullBatchSize?: number;
  /** Pause pulling a queue with this many cached messages; default 1000. */
  pullThresholdForQueue?: number;
  /** Pause pulling a queue with this many MiB cached; default 100. */
  pullThresholdSizeForQueue?: number;
  /** Pause pulling a queue whose cached offsets span more than this (concurrent only); default 2000. */
  consumeConcurrentlyMaxSpan?: number;
  /** Listener calls in flight at once (Java consumeThreadMax); default 20. */
  consumeConcurrency?: number;
  /** Attempts before the DLQ; -1 (default) = 16 for concurrent, unlimited for orderly. */
  maxReconsumeTimes?: number;
  /** A concurrent listener call running longer than this is sent back for retry; default 15 min (ms). */
  consumeTimeout?: number;
  /** Orderly: pause before retrying a failed batch; default 1000 ms. */
  suspendCurrentQueueTimeMillis?: number;
  /** Pause between pulls of one queue; default 0. */
  pullInterval?: number;
  /** Default 20 s. */
  rebalanceInterval?: number;
  /** Back-off after a pull error; default 3 s. */
  pullTimeDelayMillsWhenException?: number;
  /** Wait before re-reading a queue whose offset the broker moved (code 21); default 10 s. */
  offsetMovedDelay?: number;
  /** Long-polling hold time asked of the broker; default 15 s. */
  brokerSuspendMaxTimeMillis?: number;
  /** Client timeout of a long-polling pull; default 30 s. */
  consumerTimeoutMillisWhenSuspend?: number;
  /** Broadcasting: offsets file; default ~/.rocketmq_offsets/<clientId>/<group>/offsets.json. */
  offsetStoreFile?: string;
  /** How long shutdown waits for listener calls in flight; default 10 s. */
  shutdownAwaitTime?: number;
  /** Use this instance instead of the shared one (tests, custom wiring). Not shut down by the consumer. */
  clientInstance?: ClientInstance;
  logger?: Logger;
}

export type ResolvedPushConsumerOptions = Required<Omit<PushConsumerOptions, keyof ClientConfig | 'clientInstance' | 'logger' | 'offsetStoreFile' | 'allocateStrategy'>> & {
  offsetStoreFile: string | undefined;
  allocateStrategy: AllocateStrategy;
};

function positiveInt(name: string, v: number, min = 1): number {
  if (!Number.isFinite(v) || v < min) throw new RocketMQError(ERROR_CODES.CONFIG, `${name} must be ≥ ${min}, got ${v}`);
  return v;
}

export function resolvePushConsumerOptions(o: PushConsumerOptions): ResolvedPushConsumerOptions {
  if (!o.group) throw new RocketMQError(ERROR_CODES.CONFIG, 'consumer group is required');
  const d = CONSUMER_DEFAULTS;
  return {
    group: o.group,
    messageModel: o.messageModel ?? MessageModel.CLUSTERING,
    consumeFromWhere: o.consumeFromWhere ?? ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET,
    consumeTimestamp: o.consumeTimestamp ?? Date.now() - d.consumeTimestampBack,
    allocateStrategy: o.allocateStrategy ?? allocateAveragely,
    consumeMessageBatchMaxSize: positiveInt('consumeMessageBatchMaxSize', o.consumeMessageBatchMaxSize ?? d.consumeMessageBatchMaxSize),
    pullBatchSize: positiveInt('pullBatchSize', o.pullBatchSize ?? d.pullBatchSize),
    pullThresholdForQueue: positiveInt('pullThresholdForQueue', o.pullThresholdForQueue ?? d.pullThresholdForQueue),
    pullThresholdSizeForQueue: positiveInt('pullThresholdSizeForQueue', o.pullThresholdSizeForQueue ?? d.pullThresholdSizeForQueue),
    consumeConcurrentlyMaxSpan: positiveInt('consumeConcurrentlyMaxSpan', o.consumeConcurrentlyMaxSpan ?? d.consumeConcurrentlyMaxSpan),
    consumeConcurrency: positiveInt('consumeConcurrency', o.consumeConcurrency ?? d.consumeConcurrency),
    maxReconsumeTimes: o.maxReconsumeTimes ?? -1,
    consumeTimeout: positiveInt('consumeTimeout', o.consumeTimeout ?? d.consumeTimeout),
    suspendCurrentQueueTimeMillis: positiveInt('suspendCurrentQueueTimeMillis', o.suspendCurrentQueueTimeMillis ?? d.suspendCurrentQueueTimeMillis, 0),
    pullInterval: positiveInt('pullInterval', o.pullInterval ?? d.pullInterval, 0),
    rebalanceInterval: positiveInt('rebalanceInterval', o.rebalanceInterval ?? d.rebalanceInterval),
    pullTimeDelayMillsWhenException: positiveInt('pullTimeDelayMillsWhenException', o.pullTimeDelayMillsWhenException ?? d.pullTimeDelayMillsWhenException, 0),
    offsetMovedDelay: positiveInt('offsetMovedDelay', o.offsetMovedDelay ?? d.offsetMovedDelay, 0),
    brokerSuspendMaxTimeMillis: positiveInt('brokerSuspendMaxTimeMillis', o.brokerSuspendMaxTimeMillis ?? d.brokerSuspendMaxTimeMillis, 0),
    consumerTimeoutMillisWhenSuspend: positiveInt('consumerTimeoutMillisWhenSuspend', o.consumerTimeoutMillisWhenSuspend ?? d.consumerTimeoutMillisWhenSuspend),
    offsetStoreFile: o.offsetStoreFile,
    shutdownAwaitTime: positiveInt('shutdownAwaitTime', o.shutdownAwaitTime ?? d.shutdownAwaitTime, 0),
  };
}
