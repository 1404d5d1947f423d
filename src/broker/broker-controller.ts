// The Broker role (Java BrokerController): owns the configs, the topic/group/offset managers, the client registries,
// the MessageStore, the remoting servers (listenPort and the VIP port listenPort − 2, same handlers, §1.7), the client
// to the NameServers and every timer. start()/shutdown() own all of it; anything started here can run in a test.
import { createLogger } from '../common/logger.ts';
import type { Logger } from '../common/logger.ts';
import { ERROR_CODES, RocketMQError, errorMessage } from '../common/errors.ts';
import type { HostAddress } from '../common/message/host-address.ts';
import { RemotingCommand } from '../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../remoting/protocol/request-code.ts';
import { NotifyConsumerIdsChangedRequestHeader } from '../remoting/protocol/headers/broker-headers.ts';
import { RemotingClient } from '../remoting/transport/remoting-client.ts';
import { RemotingServer } from '../remoting/transport/remoting-server.ts';
import type { RemotingChannel } from '../remoting/transport/types.ts';
import { defaultMessageStoreConfig } from '../store/config/message-store-config.ts';
import type { MessageStoreConfig } from '../store/config/message-store-config.ts';
import { MessageStore } from '../store/message-store.ts';
import type { MessageStoreOptions } from '../store/message-store.ts';
import { ConsumerManager } from './client/consumer-manager.ts';
import { ProducerManager } from './client/producer-manager.ts';
import { defaultBrokerConfig, namesrvAddrList } from './config/broker-config.ts';
import type { BrokerConfig } from './config/broker-config.ts';
import { brokerConfigFilePath } from './config/config-file.ts';
import { BrokerOuterAPI } from './namesrv/broker-outer-api.ts';
import type { BrokerIdentity, RegisterResult } from './namesrv/broker-outer-api.ts';
import { ConsumerOffsetManager } from './offset/consumer-offset-manager.ts';
import type { BrokerContext } from './processor/broker-context.ts';
import { AdminProcessor } from './processor/admin-processor.ts';
import { ClientManageProcessor } from './processor/client-manage-processor.ts';
import { ConsumerManageProcessor } from './processor/consumer-manage-processor.ts';
import { PullMessageProcessor } from './processor/pull-message-processor.ts';
import { QueryMessageProcessor } from './processor/query-message-processor.ts';
import { QueueOffsetProcessor } from './processor/queue-offset-processor.ts';
import type { BrokerProcessor } from './processor/reply.ts';
import { SendMessageProcessor } from './processor/send-message-processor.ts';
import { SendBackProcessor } from './processor/send-back-processor.ts';
import { DelayedDelivery } from './schedule/delayed-delivery.ts';
import { TopicAdminProcessor } from './processor/topic-admin-processor.ts';
import { EndTransactionProcessor } from './processor/end-transaction-processor.ts';
import { LockProcessor } from './processor/lock-processor.ts';
import { RebalanceLockManager } from './rebalance/rebalance-lock-manager.ts';
import { TransactionalMessageCheckService } from './transaction/transactional-message-check-service.ts';
import { TransactionalMessageService } from './transaction/transactional-message-service.ts';
import { SubscriptionGroupManager } from './subscription/subscription-group-manager.ts';
import { TopicConfigManager } from './topic/topic-config-manager.ts';

/** Client channels without heartbeat are looked for this often (§11). */
export const CLIENT_SCAN_INTERVAL_MS = 10_000;

export interface BrokerControllerOptions {
  /** Overrides on top of the defaults (listenPort 0 = ephemeral, handy in tests). */
  brokerConfig?: Partial<BrokerConfig>;
  messageStoreConfig?: Partial<MessageStoreConfig>;
  /** VIP port: default listenPort − 2 (an ephemeral port when listenPort is 0); `false` = no VIP listener. */
  vipListenPort?: number | false;
  /** Interface to bind (default all IPv4 interfaces). */
  bindAddress?: string;
  /** Passed to the MessageStore (disk-usage probe, clock, fault points). */
  storeOptions?: MessageStoreOptions;
  now?: () => number;
  logger?: Logger;
}

type State = 'new' | 'starting' | 'running' | 'stopped';

/** Java clamps registerNameServerPeriod to [10 s, 60 s]. */
function registerPeriod(ms: number): number {
  return Math.max(10_000, Math.min(60_000, ms));
}

export class BrokerController implements BrokerContext {
  readonly brokerConfig: BrokerConfig;
  readonly messageStoreConfig: MessageStoreConfig;
  readonly store: MessageStore;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly producerManager: ProducerManager;
  readonly consumerManager: ConsumerManager;
  readonly log: Logger;
  readonly pullMessageProcessor: PullMessageProcessor;
  /** Delay-level (SCHEDULE_TOPIC_XXXX, delayOffset.json) and timer-wheel delivery. */
  readonly delayedDelivery: DelayedDelivery;
  /** Orderly-consumption queue locks (41/42); `rebalanceLockManager.isLockedByAny(group)` = the group consumes orderly. */
  readonly rebalanceLockManager: RebalanceLockManager;
  readonly transactionalMessageService: TransactionalMessageService;
  readonly transactionCheckService: TransactionalMessageCheckService;
  readonly #options: BrokerControllerOptions;
  readonly #now: () => number;
  readonly #processors: BrokerProcessor[];
  readonly #namesrvClient = new RemotingClient();
  readonly #outerApi: BrokerOuterAPI;
  #state: State = 'new';
  #server: RemotingServer | undefined;
  #vipServer: RemotingServer | undefined;
  #timers: Array<ReturnType<typeof setInterval>> = [];
  #registering: Promise<void> | undefined;
  #registerAgain = false;
  #registerScheduled = false;
  #storeHost: HostAddress | undefined;

  constructor(options: BrokerControllerOptions = {}) {
    this.#options = options;
    this.brokerConfig = defaultBrokerConfig(options.brokerConfig ?? {});
    this.messageStoreConfig = defaultMessageStoreConfig(options.messageStoreConfig ?? {});
    this.#now = options.now ?? Date.now;
    this.log = options.logger ?? createLogger('broker');
    const bc = this.brokerConfig;
    const root = this.messageStoreConfig.storePathRootDir;
    const common = { now: this.#now, logger: this.log };
    this.topicConfigManager = new TopicConfigManager({ brokerConfig: bc, configPath: brokerConfigFilePath(root, 'topics.json'), ...common });
    this.subscriptionGroupManager = new SubscriptionGroupManager({
      brokerConfig: bc,
      configPath: brokerConfigFilePath(root, 'subscriptionGroup.json'),
      ...common,
    });
    this.consumerOffsetManager = new ConsumerOffsetManager({
      configPath: brokerConfigFilePath(root, 'consumerOffset.json'),
      flushIntervalMs: bc.flushConsumerOffsetInterval,
      versionStep: bc.consumerOffsetUpdateVersionStep,
      useServerSideResetOffset: bc.useServerSideResetOffset,
      ...common,
    });
    this.producerManager = new ProducerManager({ channelExpiredTimeoutMs: bc.channelExpiredTimeout, ...common });
    this.consumerManager = new ConsumerManager({ channelExpiredTimeoutMs: bc.channelExpiredTimeout, ...common });
    this.store = new MessageStore(this.messageStoreConfig, { now: this.#now, ...options.storeOptions });
    this.#outerApi = new BrokerOuterAPI(this.#namesrvClient, this.log, bc.registerBrokerTimeoutMills);
    this.pullMessageProcessor = new PullMessageProcessor(this);
    this.delayedDelivery = new DelayedDelivery(this);
    this.rebalanceLockManager = new RebalanceLockManager({ now: this.#now });
    this.transactionalMessageService = new TransactionalMessageService(this);
    this.transactionCheckService = new TransactionalMessageCheckService(this, this.transactionalMessageService);
    this.#processors = [
      new SendMessageProcessor(this),
      new SendBackProcessor(this),
      this.pullMessageProcessor,
      new ClientManageProcessor(this),
      new ConsumerManageProcessor(this),
      new QueueOffsetProcessor(this),
      new QueryMessageProcessor(this),
      new TopicAdminProcessor(this),
      new EndTransactionProcessor(this, this.transactionalMessageService),
      new LockProcessor(this, this.rebalanceLockManager),
      new AdminProcessor(this),
      this.delayedDelivery,
    ];
    this.store.onMessageArrived((topic, queueId, queueOffset, tagsCode, _storeTimestamp, properties) =>
      this.pullMessageProcessor.onMessageArrived(topic, queueId, queueOffset, tagsCode, properties),
    );
    this.consumerManager.onEvent((e) => {
      if (e.type === 'change') this.#notifyConsumerIdsChanged(e.group, e.channels);
    });
    this.topicConfigManager.onChange(() => this.#scheduleRegister());
  }

  now(): number {
    return this.#now();
  }

  /** Bound main port (after start). */
  get port(): number {
    return this.#server?.port ?? this.brokerConfig.listenPort;
  }

  /** Bound VIP port, or undefined when disabled / not started. */
  get vipPort(): number | undefined {
    return this.#vipServer?.port;
  }

  brokerAddr(): string {
    return `${this.brokerConfig.brokerIP1}:${this.port}`;
  }

  storeHost(): HostAddress {
    this.#storeHost ??= { address: this.brokerConfig.brokerIP1, port: this.port };
    return this.#storeHost;
  }

  get identity(): BrokerIdentity {
    const bc = this.brokerConfig;
    return {
      clusterName: bc.brokerClusterName,
      brokerName: bc.brokerName,
      brokerId: bc.brokerId,
      brokerAddr: this.brokerAddr(),
      haServerAddr: `${bc.brokerIP2}:${this.port + 1}`,
    };
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Load configs and store, listen on both ports, register with every NameServer, start the timers. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `broker cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    const bc = this.brokerConfig;
    try {
      this.topicConfigManager.load();
      this.subscriptionGroupManager.load();
      this.consumerOffsetManager.load();
      await this.store.start();
      this.delayedDelivery.start(); // loads delayOffset.json / timercheck before anything can persist them
      this.#server = await this.#listen(bc.listenPort, 'broker');
      bc.listenPort = this.#server.port;
      this.#storeHost = undefined;
      const vip = this.#options.vipListenPort;
      if (vip !== false) {
        const vipPort = vip ?? (this.#options.brokerConfig?.listenPort === 0 ? 0 : bc.listenPort - 2);
        this.#vipServer = await this.#listen(vipPort, 'broker-vip');
      }
    } catch (e) {
      await this.#stopAll(false);
      this.#state = 'stopped';
      throw e;
    }
    this.consumerOffsetManager.start();
    this.transactionalMessageService.load();
    this.transactionCheckService.start();
    this.#every(CLIENT_SCAN_INTERVAL_MS, () => this.scanNotActiveChannels());
    this.#every(registerPeriod(bc.registerNameServerPeriod), () => void this.#periodicRegister());
    this.#state = 'running';
    await this.registerBrokerAll();
    this.log.info({ addr: this.brokerAddr(), vipPort: this.vipPort, namesrv: bc.namesrvAddr }, 'broker started');
  }

  /** Unregister from the NameServers, close the listeners, flush the store, persist every config file. */
  async shutdown(): Promise<void> {
    if (this.#state === 'new' || this.#state === 'stopped') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    await this.#registering?.catch(() => undefined);
    await this.#outerApi.unregisterBrokerAll(namesrvAddrList(this.brokerConfig), this.identity);
    await this.#stopAll(true);
    this.log.info({ addr: this.brokerAddr() }, 'broker shut down');
  }

  /**
   * REGISTER_BROKER with every NameServer now (also called at start, by the timer and right after a topic change).
   * Concurrent calls are coalesced: a call during a registration causes one more round after it.
   */
  wakeHeldPulls(topic: string, queueId: number, group: string): void {
    this.pullMessageProcessor.hold.wakeGroup(topic, queueId, group);
  }

  registerBrokerAll(): Promise<void> {
    if (this.#registering !== undefined) {
      this.#registerAgain = true;
      return this.#registering;
    }
    this.#registering = (async () => {
      try {
        do {
          this.#registerAgain = false;
          await this.#registerOnce();
        } while (this.#registerAgain && this.#state === 'running');
      } finally {
        this.#registering = undefined;
      }
    })();
    return this.#registering;
  }

  /** Drops producers/consumers without a heartbeat for channelExpiredTimeout (run every 10 s). */
  scanNotActiveChannels(): void {
    try {
      this.producerManager.scanNotActiveChannel();
      this.consumerManager.scanNotActiveChannel();
    } catch (e) {
      this.log.error({ err: errorMessage(e) }, 'client channel scan failed');
    }
  }

  async #registerOnce(): Promise<RegisterResult[]> {
    const addrs = namesrvAddrList(this.brokerConfig);
    if (addrs.length === 0 || this.#state !== 'running') return [];
    const wrapper = this.topicConfigManager.buildSerializeWrapper({ brokerPermission: this.brokerConfig.brokerPermission });
    const results = await this.#outerApi.registerBrokerAll(addrs, this.identity, wrapper);
    for (const r of results) {
      if (r.ok && r.orderTopics !== undefined && r.orderTopics.length > 0) this.topicConfigManager.updateOrderTopicConfig(r.orderTopics);
    }
    return results;
  }

  async #periodicRegister(): Promise<void> {
    if (this.#state !== 'running') return;
    const bc = this.brokerConfig;
    const needed =
      bc.forceRegister ||
      (await this.#outerApi.needRegister(namesrvAddrList(bc), this.identity, this.topicConfigManager.dataVersion));
    if (needed) await this.registerBrokerAll();
  }

  #scheduleRegister(): void {
    if (this.#state !== 'running' || this.#registerScheduled) return;
    this.#registerScheduled = true;
    setImmediate(() => {
      this.#registerScheduled = false;
      void this.registerBrokerAll();
    });
  }

  #notifyConsumerIdsChanged(group: string, channels: RemotingChannel[]): void {
    for (const ch of channels) {
      if (ch.closed) continue;
      try {
        const req = RemotingCommand.request(
          RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
          NotifyConsumerIdsChangedRequestHeader.encode({ consumerGroup: group }),
        ).markOneway();
        ch.invokeOneway(req);
      } catch (e) {
        this.log.warn({ group, addr: ch.remoteAddress, err: errorMessage(e) }, 'notify consumer ids changed failed');
      }
    }
  }

  #every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref?.();
    this.#timers.push(t);
  }

  async #listen(port: number, name: string): Promise<RemotingServer> {
    const server = new RemotingServer({ host: this.#options.bindAddress, port, name });
    for (const p of this.#processors) for (const [code, h] of p.handlers()) server.registerHandler(code, h);
    server.onChannelClose((ch) => this.#channelClosed(ch));
    await server.start();
    return server;
  }

  #channelClosed(ch: RemotingChannel): void {
    this.pullMessageProcessor.hold.removeChannel(ch);
    this.rebalanceLockManager.releaseChannel(ch.id);
    this.producerManager.doChannelCloseEvent(ch);
    this.consumerManager.doChannelCloseEvent(ch);
  }

  async #stopAll(persist: boolean): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.pullMessageProcessor.hold.shutdown();
    await this.transactionCheckService.shutdown();
    const servers = [this.#server, this.#vipServer].filter((s): s is RemotingServer => s !== undefined);
    this.#server = undefined;
    this.#vipServer = undefined;
    await Promise.all(servers.map((s) => s.shutdown()));
    await this.#namesrvClient.shutdown();
    await this.delayedDelivery.shutdown();
    await this.store.shutdown();
    if (!persist) return;
    for (const [what, fn] of [
      ['consumerOffset.json', () => this.consumerOffsetManager.shutdown()],
      ['topics.json', () => this.topicConfigManager.persist()],
      ['subscriptionGroup.json', () => this.subscriptionGroupManager.persist()],
    ] as const) {
      try {
        fn();
      } catch (e) {
        this.log.error({ file: what, err: errorMessage(e) }, 'persist at shutdown failed');
      }
    }
  }
}
