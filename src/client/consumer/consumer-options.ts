// Consumer settings shared by the push and lite-pull consumers, with Java's defaults (FEATURES.md §1.2, PROTOCOL.md §9,
// §11), and the start-offset rule for a queue the group has never committed (Java computePullFromWhere).
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { ClientInstance } from '../instance/client-instance.ts';
import type { MessageQueue } from '../message.ts';
import { getMaxOffset, resolveBrokerAddr, searchOffset } from './consumer-api.ts';
import { isRetryTopic } from './message-ext.ts';
import { ReadOffsetType } from './offset-store.ts';
import type { OffsetStore } from './offset-store.ts';

export const ConsumeFromWhere = {
  CONSUME_FROM_LAST_OFFSET: 'CONSUME_FROM_LAST_OFFSET',
  CONSUME_FROM_FIRST_OFFSET: 'CONSUME_FROM_FIRST_OFFSET',
  CONSUME_FROM_TIMESTAMP: 'CONSUME_FROM_TIMESTAMP',
} as const;
export type ConsumeFromWhere = (typeof ConsumeFromWhere)[keyof typeof ConsumeFromWhere];

export const CONSUMER_DEFAULTS = {
  pullBatchSize: 32,
  consumeMessageBatchMaxSize: 1,
  pullThresholdForQueue: 1000,
  pullThresholdSizeForQueue: 100,
  consumeConcurrentlyMaxSpan: 2000,
  consumeConcurrency: 20,
  consumeTimeout: 15 * 60_000,
  suspendCurrentQueueTimeMillis: 1000,
  maxReconsumeTimesConcurrently: 16,
  pullInterval: 0,
  rebalanceInterval: 20_000,
  lockInterval: 20_000,
  lockMaxLiveTime: 30_000,
  pullTimeDelayMillsWhenException: 3_000,
  flowControlDelay: 50,
  offsetMovedDelay: 10_000,
  sendBackFailedRetryDelay: 5_000,
  brokerSuspendMaxTimeMillis: 15_000,
  consumerTimeoutMillisWhenSuspend: 30_000,
  consumeTimestampBack: 30 * 60_000,
  shutdownAwaitTime: 10_000,
} as const;

/** Milliseconds to wait, or until `signal` aborts; never rejects. Timers are unref'ed. */
/** Fetch the route of every topic a consumer starts with; a failure is logged, the next periodic refresh retries. */
export async function lookUpRoutesAtStart(instance: ClientInstance, topics: Iterable<string>, log: Logger): Promise<void> {
  for (const t of topics) {
    try {
      await instance.updateTopicRoute(t);
    } catch (e) {
      log.warn({ topic: t, err: errorMessage(e) }, 'route lookup failed at start');
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    t.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface StartOffsetContext {
  instance: ClientInstance;
  offsetStore: OffsetStore;
  consumeFromWhere: ConsumeFromWhere;
  /** Epoch ms for CONSUME_FROM_TIMESTAMP. */
  consumeTimestamp: number;
}

/**
 * Where to start pulling a newly assigned queue: the stored offset if there is one; otherwise LAST → the queue's max
 * offset (retry topics: 0), FIRST → 0, TIMESTAMP → the offset at consumeTimestamp (retry topics: max offset).
 */
export async function computePullFromWhere(ctx: StartOffsetContext, mq: MessageQueue): Promise<number> {
  const stored = await ctx.offsetStore.readOffset(mq, ReadOffsetType.STORE);
  if (stored >= 0) return stored;
  switch (ctx.consumeFromWhere) {
    case ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET:
      return 0;
    case ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET: {
      if (isRetryTopic(mq.topic)) return 0;
      return getMaxOffset(ctx.instance, await resolveBrokerAddr(ctx.instance, mq), mq);
    }
    case ConsumeFromWhere.CONSUME_FROM_TIMESTAMP: {
      const addr = await resolveBrokerAddr(ctx.instance, mq);
      if (isRetryTopic(mq.topic)) return getMaxOffset(ctx.instance, addr, mq);
      return searchOffset(ctx.instance, addr, mq, ctx.consumeTimestamp);
    }
    default:
      throw new RocketMQError(ERROR_CODES.CONFIG, `unknown consumeFromWhere ${String(ctx.consumeFromWhere)}`);
  }
}
