// The lite pull consumer (Java DefaultLitePullConsumer): background pulls per assigned queue fill a local cache that
// poll() drains. Queues come from subscribe() (rebalanced like a push consumer) or assign(). Offsets: seek() moves a
// queue; polled messages count as consumed and are committed every autoCommitIntervalMillis (autoCommit) or by commitSync().
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { Logger } from '../../common/logger.ts';
import { buildPullSysFlag } from '../../common/message/message-const.ts';
import type { ClientConfig } from '../client-config.ts';
import type { ClientInstance, ConsumerMember } from '../instance/client-instance.ts';
import { attachClientInstance, releaseClientInstance } from '../instance/client-registry.ts';
import type { ConsumerData, SubscriptionData } from '../../remoting/protocol/body/heartbeat-data.ts';
import { toSubscribeQueues } from '../instance/topic-route.ts';
import { messageQueueKey } from '../message.ts';
import type { MessageQueue } from '../message.ts';
import { allocateAveragely, sortMessageQueues } from './allocate-strategy.ts';
import type { AllocateStrategy } from './allocate-strategy.ts';
import { PullStatus, getMaxOffset, getMinOffset, pullMessage, resolveBrokerAddr } from './consumer-api.ts';
import { CONSUMER_DEFAULTS, ConsumeFromWhere, computePullFromWhere, lookUpRoutesAtStart, sleep } from './consumer-options.ts';
import { toMessageExt } from './message-ext.ts';
import type { MessageExt } from './message-ext.ts';
import { ReadOffsetType, createOffsetStore } from './offset-store.ts';
import type { OffsetStore } from './offset-store.ts';
import { ProcessQueue } from './process-queue.ts';
import { MessageModel, RebalanceImpl } from './rebalance.ts';
import { ExpressionType, SUB_ALL, buildSubscriptionData, matchesSubscription } from './subscription.ts';
import { IntervalTimers } from '../interval-timers.ts';

export interface LitePullConsumerOptions extends ClientConfig {
  group: string;
  /** Default CLUSTERING. */
  messageModel?: MessageModel;
  /** Default CONSUME_FROM_LAST_OFFSET. */
  consumeFromWhere?: ConsumeFromWhere;
  /** Epoch ms for CONSUME_FROM_TIMESTAMP; default 30 minutes before start. */
  consumeTimestamp?: number;
  allocateStrategy?: AllocateStrategy;
  /** Commit polled offsets every autoCommitIntervalMillis; default true. */
  autoCommit?: boolean;
  /** Default 5000 ms. */
  autoCommitIntervalMillis?: number;
  /** Messages per pull; default 10. */
  pullBatchSize?: number;
  /** Default timeout of poll(); default 5000 ms. */
  pollTimeoutMillis?: number;
  /** Pause pulling a queue with this many cached messages; default 1000. */
  pullThresholdForQueue?: number;
  /** Pause all pulling with this many cached messages; default 10000. */
  pullThresholdForAll?: number;
  /** Long-polling hold asked of the broker; default 20 s. */
  brokerSuspendMaxTimeMillis?: number;
  /** Client timeout of a pull; default 30 s. */
  consumerTimeoutMillisWhenSuspend?: number;
  /** Back-off after a pull error; default 1000 ms. */
  pullTimeDelayMillsWhenException?: number;
  /** Default 20 s. */
  rebalanceInterval?: number;
  /** Broadcasting: offsets file (default under ~/.rocketmq_offsets). */
  offsetStoreFile?: string;
  clientInstance?: ClientInstance;
  logger?: Logger;
}

interface LiteQueue {
  mq: MessageQueue;
  pq: ProcessQueue;
  /** Next offset to pull. */
  pullOffset: number;
  /** Offset after the last polled message (what a commit stores); -1 until something is known. */
  consumeOffset: number;
  /** Bumped by seek(): cached batches and pulls of an older generation are discarded. */
  generation: number;
  paused: boolean;
}

interface CachedBatch {
  lq: LiteQueue;
  generation: number;
  msgs: MessageExt[];
}

type State = 'created' | 'running' | 'stopped';

export class LitePullConsumer {
  readonly group: string;
  readonly messageModel: MessageModel;
  readonly #options: LitePullConsumerOptions;
  readonly #log: Logger;
  readonly #subscriptions = new Map<string, SubscriptionData>();
  readonly #queues = new Map<string, LiteQueue>();
  #assigned: MessageQueue[] | undefined;
  #cache: CachedBatch[] = [];
  #cachedCount = 0;
  #wake: Array<() => void> = [];
  #instance: ClientInstance | undefined;
  #ownsInstance = false;
  #offsetStore: OffsetStore | undefined;
  #rebalance: RebalanceImpl | undefined;
  readonly #timers = new IntervalTimers();
  #state: State = 'created';
  readonly #stop = new AbortController();

  constructor(options: LitePullConsumerOptions) {
    if (!options.group) throw new RocketMQError(ERROR_CODES.CONFIG, 'consumer group is required');
    this.#options = options;
    this.group = options.group;
    this.messageModel = options.messageModel ?? MessageModel.CLUSTERING;
    this.#log = (options.logger ?? createLogger('lite-pull-consumer')).child({ group: this.group });
  }

  get clientInstance(): ClientInstance | undefined {
    return this.#instance;
  }

  /** Subscribe (queues assigned by rebalance). Cannot be mixed with assign(). */
  subscribe(topic: string, expression = SUB_ALL, type: ExpressionType = ExpressionType.TAG): this {
    if (this.#assigned !== undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'subscribe() cannot be mixed with assign()');
    this.#subscriptions.set(topic, buildSubscriptionData(topic, expression, type));
    if (this.#state === 'running') {
      void this.#instance?.sendHeartbeatToAllBrokers();
      void this.#rebalance?.doRebalance();
    }
    return this;
  }

  /** Consume exactly these queues (no rebalance). Cannot be mixed with subscribe(). */
  assign(queues: readonly MessageQueue[]): this {
    if (this.#subscriptions.size > 0 && this.#assigned === undefined) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'assign() cannot be mixed with subscribe()');
    }
    this.#assigned = queues.map((q) => ({ ...q }));
    if (this.#state === 'running') void this.#applyAssignment();
    return this;
  }

  /** Readable queues of `topic` (from the NameServer). */
  async fetchMessageQueues(topic: string): Promise<MessageQueue[]> {
    const instance = this.#inst();
    const route = (await instance.updateTopicRoute(topic)) ?? instance.topicRoute(topic);
    if (!route) throw new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `topic "${topic}" has no route`);
    return sortMessageQueues(toSubscribeQueues(topic, route));
  }

  consumerData(): ConsumerData {
    return {
      groupName: this.group,
      consumeType: 'CONSUME_ACTIVELY',
      messageModel: this.messageModel,
      consumeFromWhere: this.#options.consumeFromWhere ?? ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET,
      subscriptionDataSet: [...this.#subscriptions.values()],
      unitMode: false,
    };
  }

  async start(): Promise<void> {
    if (this.#state === 'running') return;
    if (this.#state === 'stopped') throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'consumer was shut down');
    const member: ConsumerMember = {
      group: this.group,
      topics: () => this.#topics(),
      consumerData: () => this.consumerData(),
      onConsumerIdsChanged: () => void this.#rebalance?.doRebalance(),
    };
    const { instance, owned } = await attachClientInstance(this.#options, (i) => i.registerConsumer(member));
    this.#instance = instance;
    this.#ownsInstance = owned;
    this.#offsetStore = createOffsetStore(instance, this.group, this.messageModel, this.#options.offsetStoreFile, this.#log);
    await this.#offsetStore.load();
    this.#state = 'running';
    await lookUpRoutesAtStart(instance, this.#topics(), this.#log);
    await instance.sendHeartbeatToAllBrokers();
    const every = (ms: number, fn: () => void): void => this.#timers.every(ms, fn);
    if (this.#options.autoCommit ?? true) {
      every(this.#options.autoCommitIntervalMillis ?? 5_000, () => void this.commitSync().catch(() => undefined));
    }
    if (this.#assigned !== undefined) {
      await this.#applyAssignment();
      return;
    }
    this.#rebalance = new RebalanceImpl({
      instance,
      group: this.group,
      messageModel: this.messageModel,
      strategy: this.#options.allocateStrategy ?? allocateAveragely,
      log: this.#log,
      topics: () => this.#subscriptions.keys(),
      hooks: { addQueue: (mq) => this.#addQueue(mq), removeQueue: async (mq) => this.#removeQueue(mq) },
    });
    every(this.#options.rebalanceInterval ?? CONSUMER_DEFAULTS.rebalanceInterval, () => void this.#rebalance?.doRebalance());
    await this.#rebalance.doRebalance();
  }

  #topics(): string[] {
    if (this.#assigned !== undefined) return [...new Set(this.#assigned.map((q) => q.topic))];
    return [...this.#subscriptions.keys()];
  }

  #inst(): ClientInstance {
    if (!this.#instance || this.#state !== 'running') throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'consumer is not running');
    return this.#instance;
  }

  #store(): OffsetStore {
    if (!this.#offsetStore) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'consumer is not running');
    return this.#offsetStore;
  }

  async #applyAssignment(): Promise<void> {
    const wanted = new Map((this.#assigned ?? []).map((q) => [messageQueueKey(q), q]));
    for (const [key, lq] of [...this.#queues]) if (!wanted.has(key)) await this.#removeQueue(lq.mq);
    for (const [key, mq] of wanted) {
      if (this.#queues.has(key)) continue;
      try {
        await this.#addQueue(mq);
      } catch (e) {
        this.#log.warn({ mq: key, err: errorMessage(e) }, 'could not start assigned queue');
      }
    }
  }

  /** Queues pulled now. */
  assignment(): MessageQueue[] {
    return [...this.#queues.values()].map((q) => ({ ...q.mq }));
  }

  async #addQueue(mq: MessageQueue): Promise<boolean> {
    const store = this.#store();
    store.removeOffset(mq);
    const offset = await computePullFromWhere(
      {
        instance: this.#inst(),
        offsetStore: store,
        consumeFromWhere: this.#options.consumeFromWhere ?? ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET,
        consumeTimestamp: this.#options.consumeTimestamp ?? Date.now() - CONSUMER_DEFAULTS.consumeTimestampBack,
      },
      mq,
    );
    if (this.#state !== 'running') return false;
    const lq: LiteQueue = { mq, pq: new ProcessQueue(), pullOffset: offset, consumeOffset: offset, generation: 0, paused: false };
    this.#queues.set(messageQueueKey(mq), lq);
    void this.#pullLoop(lq, 0);
    return true;
  }

  async #removeQueue(mq: MessageQueue): Promise<boolean> {
    const key = messageQueueKey(mq);
    const lq = this.#queues.get(key);
    if (!lq) return true;
    this.#queues.delete(key);
    lq.pq.dropped = true;
    lq.pq.abort.abort();
    this.#dropCached(lq);
    const store = this.#store();
    if (lq.consumeOffset >= 0) store.updateOffset(mq, lq.consumeOffset, false);
    await store.persist(mq, true);
    store.removeOffset(mq);
    return true;
  }

  #dropCached(lq: LiteQueue): void {
    const keep: CachedBatch[] = [];
    for (const b of this.#cache) {
      if (b.lq === lq) this.#cachedCount -= b.msgs.length;
      else keep.push(b);
    }
    this.#cache = keep;
  }

  async #pullLoop(lq: LiteQueue, generation: number): Promise<void> {
    const signal = lq.pq.abort.signal;
    const threshold = this.#options.pullThresholdForQueue ?? CONSUMER_DEFAULTS.pullThresholdForQueue;
    const thresholdAll = this.#options.pullThresholdForAll ?? 10_000;
    const current = (): boolean => this.#state === 'running' && !lq.pq.dropped && lq.generation === generation;
    while (current()) {
      if (lq.paused || lq.pq.msgCount >= threshold || this.#cachedCount >= thresholdAll) {
        await sleep(CONSUMER_DEFAULTS.flowControlDelay, signal);
        continue;
      }
      const sub = this.#subscriptions.get(lq.mq.topic) ?? buildSubscriptionData(lq.mq.topic, SUB_ALL, ExpressionType.TAG, 0);
      try {
        const instance = this.#inst();
        const addr = await resolveBrokerAddr(instance, lq.mq);
        const r = await pullMessage(
          instance,
          addr,
          {
            consumerGroup: this.group,
            topic: lq.mq.topic,
            queueId: lq.mq.queueId,
            queueOffset: lq.pullOffset,
            maxMsgNums: this.#options.pullBatchSize ?? 10,
            sysFlag: buildPullSysFlag({ commitOffset: false, suspend: true, subscription: true, classFilter: false }),
            commitOffset: 0,
            suspendTimeoutMillis: this.#options.brokerSuspendMaxTimeMillis ?? 20_000,
            subscription: sub.subString,
            subVersion: sub.subVersion,
            expressionType: sub.expressionType,
          },
          this.#options.consumerTimeoutMillisWhenSuspend ?? CONSUMER_DEFAULTS.consumerTimeoutMillisWhenSuspend,
        );
        if (!current()) return;
        lq.pullOffset = r.nextBeginOffset;
        if (r.status === PullStatus.OFFSET_ILLEGAL) {
          this.#log.warn({ mq: messageQueueKey(lq.mq), next: r.nextBeginOffset }, 'offset moved by the broker');
          if (lq.pq.msgCount === 0) lq.consumeOffset = r.nextBeginOffset;
          continue;
        }
        if (r.status !== PullStatus.FOUND) continue;
        const msgs: MessageExt[] = [];
        for (const d of r.messages) {
          if (!matchesSubscription(sub, d.properties.TAGS)) continue;
          msgs.push(toMessageExt(d, { brokerName: lq.mq.brokerName, minOffset: r.minOffset, maxOffset: r.maxOffset, group: this.group }));
        }
        if (msgs.length === 0) {
          if (lq.pq.msgCount === 0) lq.consumeOffset = r.nextBeginOffset;
          continue;
        }
        const { added } = lq.pq.putMessages(msgs);
        lq.pq.advanceTo(r.nextBeginOffset);
        if (added.length === 0) continue;
        this.#cache.push({ lq, generation, msgs: added });
        this.#cachedCount += added.length;
        for (const w of this.#wake.splice(0)) w();
      } catch (e) {
        if (!current()) return;
        this.#log.warn({ mq: messageQueueKey(lq.mq), err: errorMessage(e) }, 'pull failed; backing off');
        await sleep(this.#options.pullTimeDelayMillsWhenException ?? 1000, signal);
      }
    }
  }

  /**
   * The next batch of cached messages (all from one queue), waiting up to `timeoutMs` (default pollTimeoutMillis);
   * [] on timeout or abort. Returned messages count as consumed: their offsets are committed by the next commit.
   */
  async poll(timeoutMs?: number, options: { signal?: AbortSignal } = {}): Promise<MessageExt[]> {
    if (this.#state !== 'running') throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'consumer is not running');
    const deadline = Date.now() + (timeoutMs ?? this.#options.pollTimeoutMillis ?? 5_000);
    const signal = options.signal;
    for (;;) {
      if (signal?.aborted) return [];
      const batch = this.#takeBatch();
      if (batch) return batch;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted || this.#state !== 'running') return [];
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          this.#stop.signal.removeEventListener('abort', done);
          const i = this.#wake.indexOf(done);
          if (i >= 0) this.#wake.splice(i, 1);
          resolve();
        };
        const t = setTimeout(done, left);
        signal?.addEventListener('abort', done, { once: true });
        this.#stop.signal.addEventListener('abort', done, { once: true });
        this.#wake.push(done);
      });
    }
  }

  #takeBatch(): MessageExt[] | undefined {
    while (this.#cache.length > 0) {
      const b = this.#cache.shift() as CachedBatch;
      this.#cachedCount -= b.msgs.length;
      const { lq } = b;
      if (b.generation !== lq.generation || lq.pq.dropped || this.#queues.get(messageQueueKey(lq.mq)) !== lq) continue;
      const offset = lq.pq.removeMessages(b.msgs);
      if (offset >= 0) lq.consumeOffset = offset;
      return b.msgs;
    }
    return undefined;
  }

  /** Pull `mq` from `offset` next (must be within the queue's min..max offsets); cached messages of it are dropped. */
  async seek(mq: MessageQueue, offset: number): Promise<void> {
    const lq = this.#queues.get(messageQueueKey(mq));
    if (!lq) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `queue ${messageQueueKey(mq)} is not assigned to this consumer`);
    const instance = this.#inst();
    const addr = await resolveBrokerAddr(instance, mq);
    const [min, max] = await Promise.all([getMinOffset(instance, addr, mq), getMaxOffset(instance, addr, mq)]);
    if (!Number.isInteger(offset) || offset < min || offset > max) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `seek offset ${offset} outside [${min}, ${max}] of ${messageQueueKey(mq)}`);
    }
    lq.generation++;
    lq.pq.dropped = true;
    lq.pq.abort.abort();
    this.#dropCached(lq);
    lq.pq = new ProcessQueue();
    lq.pullOffset = offset;
    lq.consumeOffset = offset;
    void this.#pullLoop(lq, lq.generation);
  }

  pause(queues: readonly MessageQueue[]): void {
    for (const q of queues) {
      const lq = this.#queues.get(messageQueueKey(q));
      if (lq) lq.paused = true;
    }
  }

  resume(queues: readonly MessageQueue[]): void {
    for (const q of queues) {
      const lq = this.#queues.get(messageQueueKey(q));
      if (lq) lq.paused = false;
    }
  }

  /** Commit the polled offsets of every assigned queue and wait for the brokers (or the file). */
  async commitSync(): Promise<void> {
    if (this.#state !== 'running' || !this.#offsetStore) return;
    const store = this.#offsetStore;
    for (const lq of this.#queues.values()) if (lq.consumeOffset >= 0) store.updateOffset(lq.mq, lq.consumeOffset, false);
    await store.persistAll(this.assignment(), true);
  }

  /** The committed offset of `mq` as the store has it (broker or file); -1 when none. */
  async committed(mq: MessageQueue): Promise<number> {
    return this.#store().readOffset(mq, ReadOffsetType.STORE);
  }

  async shutdown(): Promise<void> {
    if (this.#state !== 'running') {
      this.#state = 'stopped';
      return;
    }
    this.#timers.clear();
    await this.#rebalance?.stop();
    if (this.#options.autoCommit ?? true) {
      try {
        await this.commitSync();
      } catch (e) {
        this.#log.warn({ err: errorMessage(e) }, 'final commit failed');
      }
    }
    this.#state = 'stopped';
    this.#stop.abort();
    for (const lq of this.#queues.values()) {
      lq.pq.dropped = true;
      lq.pq.abort.abort();
    }
    const instance = this.#instance;
    if (instance) {
      await instance.unregisterConsumer(this.group);
      if (this.#ownsInstance) await releaseClientInstance(instance);
    }
  }
}
