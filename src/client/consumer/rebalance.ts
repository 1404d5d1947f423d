// Client-side rebalance (Java RebalanceImpl): for each subscribed topic, list its readable queues and the group's
// members (GET_CONSUMER_LIST_BY_GROUP on one of the topic's brokers), sort both, let the allocation strategy pick this
// client's share (broadcasting: every queue), then start the new queues and stop the ones no longer owned.
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { MessageModel } from '../../remoting/protocol/body/heartbeat-data.ts';
import type { ClientInstance } from '../instance/client-instance.ts';
import { MASTER_ID, toSubscribeQueues } from '../instance/topic-route.ts';
import { messageQueueKey } from '../message.ts';
import type { MessageQueue } from '../message.ts';
import { sortConsumerIds, sortMessageQueues } from './allocate-strategy.ts';
import type { AllocateStrategy } from './allocate-strategy.ts';
import { getConsumerIdList } from './consumer-api.ts';

export { MessageModel };

export interface RebalanceHooks {
  /** A queue was assigned to us: start it. false = skip it this round (lock refused, offset unknown…). */
  addQueue(mq: MessageQueue): Promise<boolean>;
  /** A queue is no longer ours: stop it and persist its offset. false = keep it and try again next round. */
  removeQueue(mq: MessageQueue): Promise<boolean>;
}

export interface RebalanceOptions {
  instance: ClientInstance;
  group: string;
  messageModel: MessageModel;
  strategy: AllocateStrategy;
  log: Logger;
  hooks: RebalanceHooks;
  /** Topics to rebalance (subscriptions, retry topic included). */
  topics: () => Iterable<string>;
}

export class RebalanceImpl {
  readonly #o: RebalanceOptions;
  /** Queues this client currently owns. */
  readonly owned = new Map<string, MessageQueue>();
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: RebalanceOptions) {
    this.#o = options;
  }

  /** Owned queues, optionally of one topic. */
  queues(topic?: string): MessageQueue[] {
    return [...this.owned.values()].filter((q) => topic === undefined || q.topic === topic);
  }

  /** Run a rebalance now; a call while one runs makes it run once more afterwards. Never throws. */
  doRebalance(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = async (): Promise<void> => {
      do {
        this.#again = false;
        await this.#round();
      } while (this.#again && !this.#stopped);
    };
    this.#running = run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stop rebalancing and wait for a running round. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
  }

  async #round(): Promise<void> {
    const topics = new Set(this.#o.topics());
    for (const topic of topics) {
      if (this.#stopped) return;
      try {
        await this.#rebalanceTopic(topic);
      } catch (e) {
        this.#o.log.warn({ topic, err: errorMessage(e) }, 'rebalance of topic failed');
      }
    }
    // Queues of topics no longer subscribed.
    for (const [key, mq] of [...this.owned]) {
      if (topics.has(mq.topic)) continue;
      if (await this.#o.hooks.removeQueue(mq)) this.owned.delete(key);
    }
  }

  async #rebalanceTopic(topic: string): Promise<void> {
    const { instance, log } = this.#o;
    let route = instance.topicRoute(topic);
    if (route === undefined) route = await instance.updateTopicRoute(topic);
    if (route === undefined) {
      log.debug({ topic }, 'no route for subscribed topic yet');
      return;
    }
    const mqAll = sortMessageQueues(toSubscribeQueues(topic, route));
    let mine: MessageQueue[];
    if (this.#o.messageModel === MessageModel.BROADCASTING) {
      mine = mqAll;
    } else {
      const cidAll = sortConsumerIds(await this.#consumerIds(topic));
      if (cidAll.length === 0) {
        log.warn({ topic }, 'the broker knows no consumer of this group yet');
        return;
      }
      if (mqAll.length === 0) {
        log.warn({ topic }, 'topic has no readable queue');
        return;
      }
      mine = this.#o.strategy.allocate(this.#o.group, instance.clientId, mqAll, cidAll);
    }
    await this.#updateQueues(topic, mine);
  }

  /** Members of the group, asked from one broker of the topic (the master when known), picked at random. */
  async #consumerIds(topic: string): Promise<string[]> {
    const route = this.#o.instance.topicRoute(topic);
    const brokers = route?.brokerDatas ?? [];
    if (brokers.length === 0) return [];
    const start = Math.floor(Math.random() * brokers.length);
    let last: unknown;
    for (let i = 0; i < brokers.length; i++) {
      const bd = brokers[(start + i) % brokers.length];
      const addr = bd.brokerAddrs[MASTER_ID] ?? Object.values(bd.brokerAddrs)[0];
      if (addr === undefined) continue;
      try {
        return await getConsumerIdList(this.#o.instance, addr, this.#o.group);
      } catch (e) {
        last = e;
      }
    }
    if (last !== undefined) throw last;
    return [];
  }

  async #updateQueues(topic: string, mine: readonly MessageQueue[]): Promise<void> {
    const wanted = new Map(mine.map((q) => [messageQueueKey(q), q]));
    for (const [key, mq] of [...this.owned]) {
      if (mq.topic !== topic || wanted.has(key)) continue;
      if (await this.#o.hooks.removeQueue(mq)) this.owned.delete(key);
    }
    for (const [key, mq] of wanted) {
      if (this.owned.has(key) || this.#stopped) continue;
      let ok = false;
      try {
        ok = await this.#o.hooks.addQueue(mq);
      } catch (e) {
        this.#o.log.warn({ mq: key, err: errorMessage(e) }, 'could not start queue; will retry at the next rebalance');
      }
      if (ok) this.owned.set(key, mq);
    }
  }
}
