// The push consumer (Java DefaultMQPushConsumer): long-polling pulls per owned queue feeding a concurrent or orderly
// consume service; rebalance every rebalanceInterval and on NOTIFY_CONSUMER_IDS_CHANGED; offsets on the broker
// (clustering) or in a local file (broadcasting), committed every persistConsumerOffsetInterval and at shutdown
// (PROTOCOL.md §2.2, §9, §11). Consumption as a callback listener or as an async iterator (messages()).
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { Logger } from '../../common/logger.ts';
import { buildPullSysFlag } from '../../common/message/message-const.ts';
import type { ClientInstance, ConsumerMember } from '../instance/client-instance.ts';
import { attachClientInstance, releaseClientInstance } from '../instance/client-registry.ts';
import type { ConsumerData, SubscriptionData } from '../../remoting/protocol/body/heartbeat-data.ts';
import { messageQueueKey } from '../message.ts';
import type { MessageQueue } from '../message.ts';
import { ConsumeConcurrentlyService } from './consume-concurrently.ts';
import { ConsumeOrderlyService } from './consume-orderly.ts';
import { PullStatus, brokerAddrOf, consumerSendMessageBack, lockBatchMQ, pullMessage, resolveBrokerAddr, unlockBatchMQ } from './consumer-api.ts';
import type { PullResult } from './consumer-api.ts';
import { CONSUMER_DEFAULTS, computePullFromWhere, lookUpRoutesAtStart, sleep } from './consumer-options.ts';
import type { ConsumeService, ConsumerCore, MessageListenerConcurrently, MessageListenerOrderly } from './listener.ts';
import { MessageMailbox } from './message-iterator.ts';
import { retryTopicOf, toMessageExt } from './message-ext.ts';
import type { MessageExt } from './message-ext.ts';
import { ReadOffsetType, createOffsetStore } from './offset-store.ts';
import type { OffsetStore } from './offset-store.ts';
import { ProcessQueue } from './process-queue.ts';
import { resolvePushConsumerOptions } from './push-consumer-options.ts';
import type { PushConsumerOptions, ResolvedPushConsumerOptions } from './push-consumer-options.ts';
import { MessageModel, RebalanceImpl } from './rebalance.ts';
import { ExpressionType, buildSubscriptionData, matchesSubscription } from './subscription.ts';
import { IntervalTimers } from '../interval-timers.ts';

interface QueueState {
  mq: MessageQueue;
  pq: ProcessQueue;
  nextOffset: number;
  /** Broker id the last pull reply suggested (0 = master). */
  brokerId: number;
}

type State = 'created' | 'running' | 'stopping' | 'stopped';

type ListenerChoice =
  | { kind: 'concurrently'; fn: MessageListenerConcurrently }
  | { kind: 'orderly'; fn: MessageListenerOrderly }
  | { kind: 'iterator'; mailbox: MessageMailbox };

export type { PushConsumerOptions } from './push-consumer-options.ts';

export class PushConsumer {
  readonly group: string;
  readonly messageModel: MessageModel;
  readonly #options: PushConsumerOptions;
  readonly #o: ResolvedPushConsumerOptions;
  readonly #log: Logger;
  readonly #subscriptions = new Map<string, SubscriptionData>();
  readonly #queues = new Map<string, QueueState>();
  #listener: ListenerChoice | undefined;
  #service: ConsumeService | undefined;
  #instance: ClientInstance | undefined;
  #ownsInstance = false;
  #offsetStore: OffsetStore | undefined;
  #rebalance: RebalanceImpl | undefined;
  readonly #timers = new IntervalTimers();
  #state: State = 'created';
  readonly #pullLoops = new Set<Promise<void>>();

  constructor(options: PushConsumerOptions) {
    this.#options = options;
    this.#o = resolvePushConsumerOptions(options);
    this.group = this.#o.group;
    this.messageModel = this.#o.messageModel;
    this.#log = (options.logger ?? createLogger('push-consumer')).child({ group: this.group });
  }

  get clientInstance(): ClientInstance | undefined {
    return this.#instance;
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Subscribe to `topic` with "*" / "tagA || tagB" (TAG) or an SQL92 expression. Allowed before and after start. */
  subscribe(topic: string, expression = '*', type: ExpressionType = ExpressionType.TAG): this {
    if (this.#state === 'stopping' || this.#state === 'stopped') throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'consumer was shut down');
    this.#subscriptions.set(topic, buildSubscriptionData(topic, expression, type));
    if (this.#state === 'running') {
      void this.#instance?.sendHeartbeatToAllBrokers();
      void this.#rebalance?.doRebalance();
    }
    return this;
  }

  unsubscribe(topic: string): this {
    this.#subscriptions.delete(topic);
    if (this.#state === 'running') void this.#rebalance?.doRebalance();
    return this;
  }

  /** Java registerMessageListener(MessageListenerConcurrently). */
  registerMessageListenerConcurrently(fn: MessageListenerConcurrently): this {
    this.#setListener({ kind: 'concurrently', fn });
    return this;
  }

  /** Java registerMessageListener(MessageListenerOrderly). */
  registerMessageListenerOrderly(fn: MessageListenerOrderly): this {
    this.#setListener({ kind: 'orderly', fn });
    return this;
  }

  /** Shorthand for registerMessageListenerConcurrently. */
  onMessage(fn: MessageListenerConcurrently): this {
    return this.registerMessageListenerConcurrently(fn);
  }

  /**
   * Consume with `for await (const msg of consumer.messages())` instead of a listener (call before start). A message
   * counts as consumed when the loop asks for the next one; see MessageMailbox for what leaving the loop does.
   */
  messages(options: { signal?: AbortSignal } = {}): AsyncIterableIterator<MessageExt> {
    if (this.#listener === undefined) this.#setListener({ kind: 'iterator', mailbox: new MessageMailbox() });
    const l = this.#listener;
    if (l?.kind !== 'iterator') throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'this consumer already has a listener');
    return l.mailbox.iterate(options.signal);
  }

  #setListener(l: ListenerChoice): void {
    if (this.#state !== 'created') throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'set the listener before start()');
    if (this.#listener !== undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'this consumer already has a listener');
    this.#listener = l;
  }

  get #orderly(): boolean {
    return this.#listener?.kind === 'orderly';
  }

  #allTopics(): string[] {
    const topics = [...this.#subscriptions.keys()];
    if (this.messageModel === MessageModel.CLUSTERING) topics.push(retryTopicOf(this.group));
    return topics;
  }

  #subscriptionOf(topic: string): SubscriptionData | undefined {
    const s = this.#subscriptions.get(topic);
    if (s) return s;
    if (this.messageModel === MessageModel.CLUSTERING && topic === retryTopicOf(this.group) && this.#retrySub) return this.#retrySub;
    return undefined;
  }

  #retrySub: SubscriptionData | undefined;

  consumerData(): ConsumerData {
    const subs = [...this.#subscriptions.values()];
    if (this.#retrySub) subs.push(this.#retrySub);
    return {
      groupName: this.group,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: this.messageModel,
      consumeFromWhere: this.#o.consumeFromWhere,
      subscriptionDataSet: subs,
      unitMode: false,
    };
  }

  async start(): Promise<void> {
    if (this.#state === 'running') return;
    if (this.#state !== 'created') throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'consumer was shut down');
    if (this.#listener === undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'register a listener (or call messages()) before start()');
    if (this.messageModel === MessageModel.CLUSTERING) this.#retrySub = buildSubscriptionData(retryTopicOf(this.group), '*');
    const member: ConsumerMember = {
      group: this.group,
      topics: () => this.#allTopics(),
      consumerData: () => this.consumerData(),
      onConsumerIdsChanged: () => {
        this.#log.debug('consumer ids changed: rebalancing now');
        void this.#rebalance?.doRebalance();
      },
    };
    const { instance, owned } = await attachClientInstance(this.#options, (i) => i.registerConsumer(member));
    this.#instance = instance;
    this.#ownsInstance = owned;
    this.#offsetStore = createOffsetStore(instance, this.group, this.messageModel, this.#o.offsetStoreFile, this.#log);
    await this.#offsetStore.load();
    this.#service = this.#createService();
    this.#rebalance = new RebalanceImpl({
      instance,
      group: this.group,
      messageModel: this.messageModel,
      strategy: this.#o.allocateStrategy,
      log: this.#log,
      topics: () => this.#allTopics(),
      hooks: { addQueue: (mq) => this.#addQueue(mq), removeQueue: (mq) => this.#removeQueue(mq) },
    });
    this.#state = 'running';
    await lookUpRoutesAtStart(instance, this.#allTopics(), this.#log);
    await instance.sendHeartbeatToAllBrokers();
    const every = (ms: number, fn: () => void): void => this.#timers.every(ms, fn);
    every(this.#o.rebalanceInterval, () => void this.#rebalance?.doRebalance());
    every(instance.config.persistConsumerOffsetInterval, () => void this.persistOffsets());
    if (this.#orderly && this.messageModel === MessageModel.CLUSTERING) every(CONSUMER_DEFAULTS.lockInterval, () => void this.lockAll());
    if (this.#service instanceof ConsumeConcurrentlyService) this.#service.start(() => this.#queues.values());
    await this.#rebalance.doRebalance();
  }

  #createService(): ConsumeService {
    const l = this.#listener;
    const core: ConsumerCore = {
      group: this.group,
      messageModel: this.messageModel,
      log: this.#log,
      offsetStore: () => this.#store(),
      stopping: () => this.#state !== 'running',
      sendMessageBack: (msg, delayLevel, max) => this.#sendMessageBack(msg, delayLevel, max),
      lockQueue: (mq) => this.#lockOne(mq),
    };
    if (l?.kind === 'orderly') {
      return new ConsumeOrderlyService(core, l.fn, {
        batchSize: this.#o.consumeMessageBatchMaxSize,
        maxReconsumeTimes: this.#o.maxReconsumeTimes < 0 ? 0x7fffffff : this.#o.maxReconsumeTimes,
        suspendCurrentQueueTimeMillis: this.#o.suspendCurrentQueueTimeMillis,
        lockMaxLiveTime: CONSUMER_DEFAULTS.lockMaxLiveTime,
      });
    }
    const fn = l?.kind === 'iterator' ? l.mailbox.listener : (l as { fn: MessageListenerConcurrently }).fn;
    return new ConsumeConcurrentlyService(core, fn, {
      batchSize: this.#o.consumeMessageBatchMaxSize,
      concurrency: this.#o.consumeConcurrency,
      maxReconsumeTimes: this.#o.maxReconsumeTimes < 0 ? CONSUMER_DEFAULTS.maxReconsumeTimesConcurrently : this.#o.maxReconsumeTimes,
      consumeTimeout: this.#o.consumeTimeout,
      sendBackFailedRetryDelay: CONSUMER_DEFAULTS.sendBackFailedRetryDelay,
    });
  }

  #store(): OffsetStore {
    if (!this.#offsetStore) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'consumer not started');
    return this.#offsetStore;
  }

  #inst(): ClientInstance {
    if (!this.#instance) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'consumer not started');
    return this.#instance;
  }

  /** Rebalance now (also runs every rebalanceInterval and on NOTIFY_CONSUMER_IDS_CHANGED). */
  async rebalance(): Promise<void> {
    await this.#rebalance?.doRebalance();
  }

  /** Queues this consumer owns now. */
  assignedQueues(): MessageQueue[] {
    return [...this.#queues.values()].map((q) => ({ ...q.mq }));
  }

  /** Offsets in memory (what the next commit sends), by queue key "topic@broker@queueId". */
  committedOffsets(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [k, v] of this.#offsetStore?.cloneOffsetTable() ?? []) out.set(k, v.offset);
    return out;
  }

  /** Commit the offsets of every owned queue now (oneway unless `sync`). */
  async persistOffsets(sync = false): Promise<void> {
    if (!this.#offsetStore) return;
    try {
      await this.#offsetStore.persistAll(this.assignedQueues(), sync);
    } catch (e) {
      this.#log.warn({ err: errorMessage(e) }, 'persisting offsets failed');
    }
  }

  // ---- rebalance hooks ----

  async #addQueue(mq: MessageQueue): Promise<boolean> {
    if (this.#state !== 'running') return false;
    const key = messageQueueKey(mq);
    if (this.#orderly && this.messageModel === MessageModel.CLUSTERING && !(await this.#lockOne(mq, false))) {
      this.#log.info({ mq: key }, 'queue is locked by another consumer; skipped this round');
      return false;
    }
    const store = this.#store();
    store.removeOffset(mq);
    const nextOffset = await computePullFromWhere(
      { instance: this.#inst(), offsetStore: store, consumeFromWhere: this.#o.consumeFromWhere, consumeTimestamp: this.#o.consumeTimestamp },
      mq,
    );
    if (this.#state !== 'running') return false;
    const pq = new ProcessQueue();
    if (this.#orderly) {
      pq.locked = true;
      pq.lastLockTimestamp = Date.now();
    }
    const qs: QueueState = { mq, pq, nextOffset, brokerId: 0 };
    this.#queues.set(key, qs);
    this.#log.info({ mq: key, offset: nextOffset }, 'queue assigned');
    const loop = this.#pullLoop(qs).finally(() => this.#pullLoops.delete(loop));
    this.#pullLoops.add(loop);
    return true;
  }

  async #removeQueue(mq: MessageQueue): Promise<boolean> {
    const key = messageQueueKey(mq);
    const qs = this.#queues.get(key);
    if (!qs) return true;
    qs.pq.dropped = true;
    qs.pq.abort.abort();
    this.#queues.delete(key);
    const store = this.#store();
    if (this.messageModel === MessageModel.CLUSTERING) await store.persist(mq, true);
    else await store.persist(mq);
    store.removeOffset(mq);
    if (this.#orderly && this.messageModel === MessageModel.CLUSTERING) {
      // Unlock once the queue's current listener call is over, so nobody else consumes it meanwhile.
      const loop = this.#service instanceof ConsumeOrderlyService ? this.#service.loopOf(mq) : undefined;
      const unlock = async (): Promise<void> => {
        try {
          await unlockBatchMQ(this.#inst(), await resolveBrokerAddr(this.#inst(), mq), this.group, [mq], true);
        } catch (e) {
          this.#log.debug({ mq: key, err: errorMessage(e) }, 'unlock failed');
        }
      };
      if (loop) void loop.then(unlock);
      else await unlock();
    }
    this.#log.info({ mq: key }, 'queue released');
    return true;
  }

  // ---- orderly locks ----

  /** LOCK_BATCH_MQ for one queue; updates its ProcessQueue. */
  async #lockOne(mq: MessageQueue, updatePq = true): Promise<boolean> {
    try {
      const instance = this.#inst();
      const locked = await lockBatchMQ(instance, await resolveBrokerAddr(instance, mq), this.group, [mq]);
      const ok = locked.some((q) => messageQueueKey(q) === messageQueueKey(mq));
      const pq = updatePq ? this.#queues.get(messageQueueKey(mq))?.pq : undefined;
      if (pq) {
        pq.locked = ok;
        if (ok) pq.lastLockTimestamp = Date.now();
      }
      return ok;
    } catch (e) {
      this.#log.warn({ mq: messageQueueKey(mq), err: errorMessage(e) }, 'lock failed');
      return false;
    }
  }

  /** Re-lock every owned queue, one LOCK_BATCH_MQ per broker (every 20 s for orderly clustering consumers). */
  async lockAll(): Promise<void> {
    if (this.#state !== 'running') return;
    const byBroker = new Map<string, QueueState[]>();
    for (const qs of this.#queues.values()) {
      const list = byBroker.get(qs.mq.brokerName) ?? [];
      list.push(qs);
      byBroker.set(qs.mq.brokerName, list);
    }
    await Promise.all(
      [...byBroker].map(async ([brokerName, list]) => {
        const addr = brokerAddrOf(this.#inst(), brokerName);
        if (addr === undefined) return;
        try {
          const locked = new Set((await lockBatchMQ(this.#inst(), addr, this.group, list.map((q) => q.mq))).map(messageQueueKey));
          const now = Date.now();
          for (const qs of list) {
            const ok = locked.has(messageQueueKey(qs.mq));
            if (ok) {
              const wasLocked = qs.pq.locked;
              qs.pq.locked = true;
              qs.pq.lastLockTimestamp = now;
              if (!wasLocked && qs.pq.hasCached()) this.#service?.submit(qs.mq, qs.pq, [], true);
            } else {
              qs.pq.locked = false;
            }
          }
        } catch (e) {
          this.#log.warn({ broker: brokerName, err: errorMessage(e) }, 'lock batch failed');
        }
      }),
    );
  }

  async #unlockAll(): Promise<void> {
    const byBroker = new Map<string, MessageQueue[]>();
    for (const qs of this.#queues.values()) {
      const list = byBroker.get(qs.mq.brokerName) ?? [];
      list.push(qs.mq);
      byBroker.set(qs.mq.brokerName, list);
    }
    await Promise.all(
      [...byBroker].map(async ([brokerName, mqs]) => {
        const addr = this.#instance ? brokerAddrOf(this.#instance, brokerName) : undefined;
        if (addr === undefined) return;
        try {
          await unlockBatchMQ(this.#inst(), addr, this.group, mqs, false);
        } catch (e) {
          this.#log.debug({ broker: brokerName, err: errorMessage(e) }, 'unlock at shutdown failed');
        }
      }),
    );
  }

  // ---- pulling ----

  /** ms to wait before pulling this queue again, or 0 to pull now (Java's flow control). */
  #flowControlDelay(qs: QueueState): number {
    const { pq } = qs;
    if (pq.msgCount > this.#o.pullThresholdForQueue) return CONSUMER_DEFAULTS.flowControlDelay;
    if (pq.msgSize > this.#o.pullThresholdSizeForQueue * 1024 * 1024) return CONSUMER_DEFAULTS.flowControlDelay;
    if (!this.#orderly && pq.maxSpan() > this.#o.consumeConcurrentlyMaxSpan) return CONSUMER_DEFAULTS.flowControlDelay;
    if (this.#orderly && this.messageModel === MessageModel.CLUSTERING && !pq.locked) return this.#o.pullTimeDelayMillsWhenException;
    return 0;
  }

  async #pullLoop(qs: QueueState): Promise<void> {
    const { mq, pq } = qs;
    const signal = pq.abort.signal;
    while (this.#state === 'running' && !pq.dropped) {
      const delay = this.#flowControlDelay(qs);
      if (delay > 0) {
        await sleep(delay, signal);
        continue;
      }
      const sub = this.#subscriptionOf(mq.topic);
      if (!sub) {
        await sleep(this.#o.pullTimeDelayMillsWhenException, signal);
        continue;
      }
      let result: PullResult;
      try {
        result = await this.#pullOnce(qs, sub);
      } catch (e) {
        if (this.#state !== 'running' || pq.dropped) break;
        this.#log.warn({ mq: messageQueueKey(mq), err: errorMessage(e) }, 'pull failed; backing off');
        await sleep(this.#o.pullTimeDelayMillsWhenException, signal);
        continue;
      }
      if (this.#state !== 'running' || pq.dropped) break;
      this.#onPullResult(qs, sub, result);
      if (this.#o.pullInterval > 0) await sleep(this.#o.pullInterval, signal);
    }
  }

  async #pullOnce(qs: QueueState, sub: SubscriptionData): Promise<PullResult> {
    const instance = this.#inst();
    const { mq } = qs;
    const master = brokerAddrOf(instance, mq.brokerName, 0);
    const addr = brokerAddrOf(instance, mq.brokerName, qs.brokerId) ?? (await resolveBrokerAddr(instance, mq));
    const fromMaster = master === undefined || addr === master;
    let commitOffset = -1;
    if (this.messageModel === MessageModel.CLUSTERING) commitOffset = await this.#store().readOffset(mq, ReadOffsetType.MEMORY);
    qs.pq.lastPullTimestamp = Date.now();
    return pullMessage(
      instance,
      addr,
      {
        consumerGroup: this.group,
        topic: mq.topic,
        queueId: mq.queueId,
        queueOffset: qs.nextOffset,
        maxMsgNums: this.#o.pullBatchSize,
        sysFlag: buildPullSysFlag({ commitOffset: commitOffset > 0 && fromMaster, suspend: true, subscription: true, classFilter: false }),
        commitOffset: Math.max(commitOffset, 0),
        suspendTimeoutMillis: this.#o.brokerSuspendMaxTimeMillis,
        subscription: sub.subString,
        subVersion: sub.subVersion,
        expressionType: sub.expressionType,
      },
      this.#o.consumerTimeoutMillisWhenSuspend,
    );
  }

  #onPullResult(qs: QueueState, sub: SubscriptionData, r: PullResult): void {
    const { mq, pq } = qs;
    qs.brokerId = r.suggestWhichBrokerId;
    switch (r.status) {
      case PullStatus.FOUND: {
        qs.nextOffset = r.nextBeginOffset;
        const msgs: MessageExt[] = [];
        for (const d of r.messages) {
          if (!matchesSubscription(sub, d.properties.TAGS)) continue;
          try {
            msgs.push(toMessageExt(d, { brokerName: mq.brokerName, minOffset: r.minOffset, maxOffset: r.maxOffset, group: this.group }));
          } catch (e) {
            this.#log.error({ mq: messageQueueKey(mq), offset: d.queueOffset, err: errorMessage(e) }, 'undecodable message skipped');
          }
        }
        if (msgs.length === 0) {
          if (!pq.hasCached() && pq.msgCount === 0) this.#store().updateOffset(mq, qs.nextOffset, true);
          return;
        }
        const { added, dispatch } = pq.putMessages(msgs);
        pq.advanceTo(r.nextBeginOffset);
        this.#service?.submit(mq, pq, added, dispatch);
        return;
      }
      case PullStatus.NO_NEW_MSG:
      case PullStatus.NO_MATCHED_MSG:
        qs.nextOffset = r.nextBeginOffset;
        if (pq.msgCount === 0) this.#store().updateOffset(mq, qs.nextOffset, true);
        return;
      case PullStatus.OFFSET_ILLEGAL:
        this.#log.warn({ mq: messageQueueKey(mq), offset: qs.nextOffset, next: r.nextBeginOffset }, 'offset moved by the broker');
        qs.nextOffset = r.nextBeginOffset;
        pq.dropped = true;
        void this.#offsetMoved(qs, r.nextBeginOffset);
        return;
    }
  }

  /** Code 21: after a pause, store the broker's offset, drop the queue and let the next rebalance start it again. */
  async #offsetMoved(qs: QueueState, next: number): Promise<void> {
    await sleep(this.#o.offsetMovedDelay);
    if (this.#state !== 'running') return;
    const key = messageQueueKey(qs.mq);
    const store = this.#store();
    store.updateOffset(qs.mq, next, false);
    await store.persist(qs.mq, true);
    if (this.#queues.get(key) === qs) this.#queues.delete(key);
    this.#rebalance?.owned.delete(key);
    await this.#rebalance?.doRebalance();
  }

  async #sendMessageBack(msg: MessageExt, delayLevel: number, maxReconsumeTimes: number): Promise<void> {
    const instance = this.#inst();
    const addr = brokerAddrOf(instance, msg.brokerName) ?? msg.storeHost;
    await consumerSendMessageBack(instance, addr, {
      offset: msg.commitLogOffset,
      group: this.group,
      delayLevel,
      originMsgId: msg.msgId,
      originTopic: msg.topic,
      unitMode: false,
      maxReconsumeTimes,
    });
  }

  /**
   * Stop pulling, wait (at most shutdownAwaitTime) for listener calls in flight, commit the offset of every owned queue
   * (the smallest offset not consumed), unlock orderly queues, UNREGISTER_CLIENT, release the client instance.
   */
  async shutdown(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    if (this.#state === 'created') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    this.#timers.clear();
    await this.#rebalance?.stop();
    for (const qs of this.#queues.values()) qs.pq.abort.abort();
    if (this.#listener?.kind === 'iterator') this.#listener.mailbox.close();
    await this.#service?.shutdown(this.#o.shutdownAwaitTime);
    await this.persistOffsets(true);
    if (this.#orderly && this.messageModel === MessageModel.CLUSTERING) await this.#unlockAll();
    for (const qs of this.#queues.values()) qs.pq.dropped = true;
    const instance = this.#instance;
    if (instance) {
      await instance.unregisterConsumer(this.group);
      if (this.#ownsInstance) await releaseClientInstance(instance);
    }
    this.#state = 'stopped';
    this.#log.info('consumer shut down');
  }
}
