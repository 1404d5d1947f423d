// The shared client runtime (Java MQClientInstance): one per clientId, used by every producer and consumer built on the
// same config. Owns the connections, the NameServer calls with failover, the topic route cache refreshed every
// pollNameServerInterval, heartbeats to brokers every heartbeatBrokerInterval, and the handlers of server-initiated
// requests (PROTOCOL.md §11, §12.15).
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { Logger } from '../../common/logger.ts';
import { decodeRecord } from '../../common/message/message-record.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';
import { parseTopicRouteData } from '../../remoting/protocol/body/topic-route-data.ts';
import type { TopicRouteData } from '../../remoting/protocol/body/topic-route-data.ts';
import { GetRouteInfoRequestHeader } from '../../remoting/protocol/headers/namesrv-headers.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { RemotingClient } from '../../remoting/transport/remoting-client.ts';
import type { RemotingClientOptions } from '../../remoting/transport/remoting-client.ts';
import type { RemotingChannel } from '../../remoting/transport/types.ts';
import { buildClientId, resolveClientConfig } from '../client-config.ts';
import type { ClientConfig, ResolvedClientConfig } from '../client-config.ts';
import { isTransportError, responseError } from '../client-errors.ts';
import { NotifyConsumerIdsChangedRequestHeader, UnregisterClientRequestHeader } from '../../remoting/protocol/headers/broker-headers.ts';
import { CheckTransactionStateRequestHeader } from '../../remoting/protocol/headers/transaction-headers.ts';
import type { CheckTransactionStateRequestHeader as CheckHeader } from '../../remoting/protocol/headers/transaction-headers.ts';
import { serializeHeartbeatData } from '../../remoting/protocol/body/heartbeat-data.ts';
import type { ConsumerData } from '../../remoting/protocol/body/heartbeat-data.ts';
import { MASTER_ID, routeEquals } from './topic-route.ts';
import { IntervalTimers } from '../interval-timers.ts';

/** The hidden producer group every producer-bearing client also announces (Java MixAll.CLIENT_INNER_PRODUCER_GROUP). */
const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';

/** A producer as the instance sees it. */
export interface ProducerMember {
  readonly group: string;
  /** Topics whose routes the instance keeps fresh. */
  topics(): Iterable<string>;
  /** CHECK_TRANSACTION_STATE from a broker (transactional producers). */
  checkTransactionState?(brokerAddr: string, message: DecodedMessage, header: CheckHeader): void;
}

/** A consumer as the instance sees it. */
export interface ConsumerMember {
  readonly group: string;
  topics(): Iterable<string>;
  consumerData(): ConsumerData;
  /** NOTIFY_CONSUMER_IDS_CHANGED for this group: rebalance now. */
  onConsumerIdsChanged?(): void;
}

export interface ClientInstanceOptions {
  remoting?: RemotingClientOptions;
  logger?: Logger;
}

type State = 'created' | 'running' | 'stopped';

/** Route lookups a refresh round keeps in flight. */
const ROUTE_REFRESH_CONCURRENCY = 8;

export class ClientInstance {
  readonly config: ResolvedClientConfig;
  readonly clientId: string;
  readonly #remoting: RemotingClient;
  readonly #log: Logger;
  readonly #producers = new Map<string, ProducerMember>();
  readonly #consumers = new Map<string, ConsumerMember>();
  readonly #routes = new Map<string, TopicRouteData>();
  /** brokerName → brokerId → address, from every cached route. */
  #brokerAddrs = new Map<string, Map<string, string>>();
  /** Broker address → last heartbeat reply version. */
  readonly #brokerVersions = new Map<string, number>();
  #namesrvIndex = 0;
  #state: State = 'created';
  readonly #timers = new IntervalTimers();
  #heartbeatRunning: Promise<void> | undefined;

  constructor(config: ClientConfig, options: ClientInstanceOptions = {}) {
    this.config = resolveClientConfig(config);
    this.clientId = buildClientId(this.config);
    this.#log = (options.logger ?? createLogger('client')).child({ clientId: this.clientId });
    this.#remoting = new RemotingClient(options.remoting);
    this.#remoting.registerHandler(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (req) => this.#onNotifyConsumerIdsChanged(req));
    this.#remoting.registerHandler(RequestCode.CHECK_TRANSACTION_STATE, (req, ch) => this.#onCheckTransactionState(req, ch));
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Start the periodic tasks. Idempotent. */
  start(): void {
    if (this.#state === 'running') return;
    if (this.#state === 'stopped') throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'client instance was shut down');
    this.#state = 'running';
    this.#timers.every(this.config.pollNameServerInterval, () => void this.refreshRoutes());
    this.#timers.every(this.config.heartbeatBrokerInterval, () => void this.sendHeartbeatToAllBrokers());
    this.#log.debug('client instance started');
  }

  /** Stop timers, unregister from brokers (best effort) and close every connection. */
  async shutdown(): Promise<void> {
    if (this.#state === 'stopped') return;
    const wasRunning = this.#state === 'running';
    this.#state = 'stopped';
    this.#timers.clear();
    if (wasRunning) await this.#heartbeatRunning?.catch(() => undefined);
    await this.#remoting.shutdown();
    this.#log.debug('client instance shut down');
  }

  // ---- members ----

  registerProducer(member: ProducerMember): void {
    if (this.#producers.has(member.group)) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `producer group "${member.group}" is already registered on ${this.clientId}`);
    }
    this.#producers.set(member.group, member);
  }

  async unregisterProducer(group: string): Promise<void> {
    if (!this.#producers.delete(group)) return;
    await this.#unregisterClient({ producerGroup: group });
  }

  registerConsumer(member: ConsumerMember): void {
    if (this.#consumers.has(member.group)) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `consumer group "${member.group}" is already registered on ${this.clientId}`);
    }
    this.#consumers.set(member.group, member);
  }

  async unregisterConsumer(group: string): Promise<void> {
    if (!this.#consumers.delete(group)) return;
    await this.#unregisterClient({ consumerGroup: group });
  }

  get memberCount(): number {
    return this.#producers.size + this.#consumers.size;
  }

  // ---- remote calls ----

  invoke(addr: string, request: RemotingCommand, timeoutMs: number = this.config.requestTimeout): Promise<RemotingCommand> {
    try {
      this.#assertRunning();
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#remoting.invoke(addr, request, timeoutMs);
  }

  async invokeOneway(addr: string, request: RemotingCommand): Promise<void> {
    this.#assertRunning();
    return this.#remoting.invokeOneway(addr, request);
  }

  /**
   * Send to a NameServer, starting with the one that answered last; on a connection error or timeout try the next
   * one. Throws the last transport error when none answers.
   */
  async invokeNamesrv(build: () => RemotingCommand, timeoutMs: number = this.config.requestTimeout): Promise<RemotingCommand> {
    this.#assertRunning();
    const addrs = this.config.namesrvAddr;
    let last: unknown;
    for (let i = 0; i < addrs.length; i++) {
      const idx = (this.#namesrvIndex + i) % addrs.length;
      try {
        const res = await this.#remoting.invoke(addrs[idx], build(), timeoutMs);
        this.#namesrvIndex = idx;
        return res;
      } catch (e) {
        if (!isTransportError(e)) throw e;
        last = e;
        this.#log.warn({ namesrv: addrs[idx], err: errorMessage(e) }, 'name server unreachable, trying the next one');
      }
    }
    throw new RocketMQError(ERROR_CODES.CONNECTION, `no name server answered (${addrs.join(';')}): ${errorMessage(last)}`, {
      retriable: true,
      cause: last,
    });
  }

  /** GET_ROUTEINFO_BY_TOPIC; undefined when the NameServer answers TOPIC_NOT_EXIST. */
  async fetchTopicRoute(topic: string): Promise<TopicRouteData | undefined> {
    const res = await this.invokeNamesrv(() =>
      RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader.encode({ topic })),
    );
    if (res.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
    if (res.code !== ResponseCode.SUCCESS) throw responseError(`route of topic "${topic}"`, res);
    return parseTopicRouteData(res.body);
  }

  /**
   * Fetch the route of `topic` and cache it (under `cacheAs`, default `topic`). Keeps the cached route when the
   * NameServer no longer knows the topic; returns the route now cached, or undefined.
   */
  async updateTopicRoute(topic: string, cacheAs: string = topic): Promise<TopicRouteData | undefined> {
    const route = await this.fetchTopicRoute(topic);
    if (route === undefined) return this.#routes.get(cacheAs);
    this.setTopicRoute(cacheAs, route);
    return this.#routes.get(cacheAs);
  }

  /** Put a route into the cache (keeps the old object when nothing changed, so callers can compare by identity). */
  setTopicRoute(topic: string, route: TopicRouteData): void {
    const old = this.#routes.get(topic);
    if (old && routeEquals(old, route)) return;
    this.#routes.set(topic, route);
    const known = new Set(this.#allBrokerAddrs());
    // When every address this topic listed before is still there, merging its brokers in is enough (a full rebuild walks
    // every cached route, which made loading thousands of routes quadratic).
    if (old === undefined || keepsEveryAddr(old, route)) mergeInto(this.#brokerAddrs, route);
    else this.#rebuildBrokerAddrs();
    const added = this.#allBrokerAddrs().some((a) => !known.has(a));
    if (this.#state === 'running' && added && this.memberCount > 0) {
      void this.sendHeartbeatToAllBrokers();
    }
  }

  topicRoute(topic: string): TopicRouteData | undefined {
    return this.#routes.get(topic);
  }

  /** Address of `brokerName`'s broker `brokerId` (default the master), from the cached routes. */
  findBrokerAddr(brokerName: string, brokerId: number = 0): string | undefined {
    return this.#brokerAddrs.get(brokerName)?.get(String(brokerId));
  }

  /** Any address of `brokerName`, the master first. */
  findAnyBrokerAddr(brokerName: string): string | undefined {
    const m = this.#brokerAddrs.get(brokerName);
    if (!m) return undefined;
    return m.get(MASTER_ID) ?? [...m.entries()].sort((a, b) => Number(a[0]) - Number(b[0]))[0]?.[1];
  }

  /** Version the broker reported in its last heartbeat reply. */
  brokerVersion(addr: string): number | undefined {
    return this.#brokerVersions.get(addr);
  }

  // ---- periodic tasks ----

  /** Refresh the route of every topic a member uses. Errors are logged, not thrown. */
  async refreshRoutes(): Promise<void> {
    if (this.#state !== 'running') return;
    const topics = new Set<string>();
    try {
      for (const m of [...this.#producers.values(), ...this.#consumers.values()]) for (const t of m.topics()) topics.add(t);
    } catch (e) {
      this.#log.error({ err: errorMessage(e) }, 'a member failed to list its topics');
    }
    // A few at a time (Java asks one by one): thousands of topics must not land on the NameServer as one burst.
    const queue = [...topics];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queue.length && this.#state === 'running') {
        const t = queue[next++];
        try {
          await this.updateTopicRoute(t);
        } catch (e) {
          this.#log.warn({ topic: t, err: errorMessage(e) }, 'route refresh failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROUTE_REFRESH_CONCURRENCY, queue.length) }, worker));
  }

  /** HEART_BEAT to every known broker (masters only when there is no consumer). Errors are logged, not thrown. */
  sendHeartbeatToAllBrokers(): Promise<void> {
    if (this.#state !== 'running' || this.memberCount === 0) return Promise.resolve();
    // One heartbeat round at a time; a request during a round waits for it and then runs once more.
    const previous = this.#heartbeatRunning ?? Promise.resolve();
    const round = previous.then(() => this.#heartbeatRound());
    this.#heartbeatRunning = round;
    void round.finally(() => {
      if (this.#heartbeatRunning === round) this.#heartbeatRunning = undefined;
    });
    return round;
  }

  async #heartbeatRound(): Promise<void> {
    try {
      await this.#heartbeatRoundUnsafe();
    } catch (e) {
      this.#log.error({ err: errorMessage(e) }, 'heartbeat round failed');
    }
  }

  async #heartbeatRoundUnsafe(): Promise<void> {
    if (this.#state !== 'running' || this.memberCount === 0) return;
    const producerGroups = this.#producers.size > 0 ? [...this.#producers.keys(), CLIENT_INNER_PRODUCER_GROUP] : [];
    // V1 heartbeat: fingerprint 0, subscriptions always included.
    const body = serializeHeartbeatData({
      clientID: this.clientId,
      producerDataSet: producerGroups.map((groupName) => ({ groupName })),
      consumerDataSet: [...this.#consumers.values()].map((c) => c.consumerData()),
      heartbeatFingerprint: 0,
      withoutSub: false,
    });
    const mastersOnly = this.#consumers.size === 0;
    const targets: string[] = [];
    for (const ids of this.#brokerAddrs.values()) {
      for (const [id, addr] of ids) if (!mastersOnly || id === MASTER_ID) targets.push(addr);
    }
    await Promise.all(
      targets.map(async (addr) => {
        try {
          const res = await this.#remoting.invoke(addr, RemotingCommand.request(RequestCode.HEART_BEAT, undefined, body), this.config.requestTimeout);
          if (res.code !== ResponseCode.SUCCESS) throw responseError(`heartbeat to ${addr}`, res);
          this.#brokerVersions.set(addr, res.version);
        } catch (e) {
          this.#log.warn({ broker: addr, err: errorMessage(e) }, 'heartbeat failed');
        }
      }),
    );
  }

  // ---- server-initiated requests ----

  #onNotifyConsumerIdsChanged(req: RemotingCommand): null {
    try {
      const { consumerGroup } = NotifyConsumerIdsChangedRequestHeader.decode(req.extFields);
      this.#consumers.get(consumerGroup)?.onConsumerIdsChanged?.();
    } catch (e) {
      this.#log.warn({ err: errorMessage(e) }, 'bad NOTIFY_CONSUMER_IDS_CHANGED');
    }
    return null;
  }

  #onCheckTransactionState(req: RemotingCommand, channel: RemotingChannel): null {
    try {
      const header = CheckTransactionStateRequestHeader.decode(req.extFields);
      if (!req.body) throw new RocketMQError(ERROR_CODES.PROTOCOL, 'CHECK_TRANSACTION_STATE without a body');
      const message = decodeRecord(req.body, 0);
      const group = message.properties.PGROUP;
      const producer = group === undefined ? undefined : this.#producers.get(group);
      if (!producer?.checkTransactionState) {
        this.#log.warn({ group }, 'CHECK_TRANSACTION_STATE for a group without a transactional producer here');
        return null;
      }
      producer.checkTransactionState(channel.remoteAddress, message, header);
    } catch (e) {
      this.#log.warn({ err: errorMessage(e) }, 'bad CHECK_TRANSACTION_STATE');
    }
    return null;
  }

  // ---- internals ----

  async #unregisterClient(groups: { producerGroup?: string; consumerGroup?: string }): Promise<void> {
    if (this.#state !== 'running') return;
    const ext = UnregisterClientRequestHeader.encode({ clientID: this.clientId, ...groups });
    await Promise.all(
      this.#allBrokerAddrs().map(async (addr) => {
        try {
          await this.#remoting.invoke(addr, RemotingCommand.request(RequestCode.UNREGISTER_CLIENT, { ...ext }), this.config.requestTimeout);
        } catch (e) {
          this.#log.debug({ broker: addr, err: errorMessage(e) }, 'unregister client failed');
        }
      }),
    );
  }

  #rebuildBrokerAddrs(): void {
    const table = new Map<string, Map<string, string>>();
    for (const route of this.#routes.values()) mergeInto(table, route);
    this.#brokerAddrs = table;
  }

  #allBrokerAddrs(): string[] {
    const out = new Set<string>();
    for (const ids of this.#brokerAddrs.values()) for (const a of ids.values()) out.add(a);
    return [...out];
  }

  #assertRunning(): void {
    if (this.#state !== 'running') {
      throw new RocketMQError(ERROR_CODES.NOT_RUNNING, `client instance ${this.clientId} is ${this.#state === 'created' ? 'not started' : 'shut down'}`);
    }
  }
}

/** Adds every broker address of `route` to `table` (brokerName → brokerId → address; the route's address wins). */
function mergeInto(table: Map<string, Map<string, string>>, route: TopicRouteData): void {
  for (const bd of route.brokerDatas) {
    let ids = table.get(bd.brokerName);
    if (!ids) table.set(bd.brokerName, (ids = new Map()));
    for (const [id, addr] of Object.entries(bd.brokerAddrs)) ids.set(id, addr);
  }
}

/** Whether every broker address `before` listed is still in `after` (then merging `after` in loses nothing). */
function keepsEveryAddr(before: TopicRouteData, after: TopicRouteData): boolean {
  return before.brokerDatas.every((b) => {
    const n = after.brokerDatas.find((x) => x.brokerName === b.brokerName);
    return n !== undefined && Object.entries(b.brokerAddrs).every(([id, addr]) => n.brokerAddrs[id] === addr);
  });
}
