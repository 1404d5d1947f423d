// The NameServer role: owns its RemotingServer, the route tables, the KV store and the liveness timer.
// Several NameServers run side by side and never talk to each other; every broker registers with all of them.
import { createLogger } from '../common/logger.ts';
import type { Logger } from '../common/logger.ts';
import { ERROR_CODES, RocketMQError, errorMessage } from '../common/errors.ts';
import { stringifyProperties } from '../common/properties-file.ts';
import { RemotingServer } from '../remoting/transport/remoting-server.ts';
import { KVConfigManager, writeFileAtomic } from './kv-config-manager.ts';
import { defaultNamesrvConfig, namesrvConfigToProperties, validateNamesrvConfig } from './namesrv-config.ts';
import type { NamesrvConfig } from './namesrv-config.ts';
import { RateMeter } from './namesrv-stats.ts';
import type { NamesrvStats } from './namesrv-stats.ts';
import { RouteInfoManager } from './route-info-manager.ts';
import { AdminRequestProcessor } from './processor/admin-request-processor.ts';
import { BrokerRequestProcessor } from './processor/broker-request-processor.ts';
import { ClientRequestProcessor } from './processor/client-request-processor.ts';
import type { NamesrvContext, NamesrvHandler } from './processor/namesrv-context.ts';
import { guarded } from './processor/reply.ts';

export interface NamesrvControllerOptions {
  /** Overrides on top of Java's defaults (listenPort 0 = ephemeral, handy in tests). */
  config?: Partial<NamesrvConfig>;
  /** Clock for route expiry and rates; default Date.now. */
  now?: () => number;
  logger?: Logger;
}

export class NamesrvController {
  readonly config: NamesrvConfig;
  readonly routes: RouteInfoManager;
  readonly kv: KVConfigManager;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly #routeQueries: RateMeter;
  readonly #registrations: RateMeter;
  #server: RemotingServer | undefined;
  #scanTimer: NodeJS.Timeout | undefined;
  #state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  #handlers: Map<number, NamesrvHandler> | undefined;

  constructor(options: NamesrvControllerOptions = {}) {
    this.config = { ...defaultNamesrvConfig(), ...options.config };
    validateNamesrvConfig(this.config);
    this.#now = options.now ?? Date.now;
    this.#log = options.logger ?? createLogger('namesrv');
    this.routes = new RouteInfoManager({
      now: this.#now,
      supportActingMaster: this.config.supportActingMaster,
      deleteTopicWithBrokerRegistration: this.config.deleteTopicWithBrokerRegistration,
      logger: this.#log,
    });
    this.kv = new KVConfigManager(this.config.kvConfigPath, this.#log);
    this.#routeQueries = new RateMeter(this.#now);
    this.#registrations = new RateMeter(this.#now);
  }

  /** Handlers by request code, without a server: for tests and embedding. */
  handlers(): Map<number, NamesrvHandler> {
    if (this.#handlers) return this.#handlers;
    const ctx: NamesrvContext = {
      config: this.config,
      routes: this.routes,
      kv: this.kv,
      routeQueries: this.#routeQueries,
      registrations: this.#registrations,
      log: this.#log,
      now: this.#now,
      startedAt: this.#now(),
      persistConfig: () => this.#persistConfig(),
    };
    const all = new Map<number, NamesrvHandler>();
    for (const p of [new BrokerRequestProcessor(ctx), new ClientRequestProcessor(ctx), new AdminRequestProcessor(ctx)]) {
      for (const [code, h] of p.handlers()) all.set(code, guarded(h, this.#log));
    }
    this.#handlers = all;
    return all;
  }

  /** Load kvConfig.json, listen, start the liveness scan. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `NameServer cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    this.kv.load();
    const server = new RemotingServer({
      host: this.config.bindAddress,
      port: this.config.listenPort,
      idleTimeoutMs: this.config.serverChannelMaxIdleTimeSeconds * 1000,
      name: 'namesrv',
    });
    for (const [code, h] of this.handlers()) server.registerHandler(code, h);
    server.onChannelClose((ch) => {
      const removed = this.routes.onChannelDestroy(ch.id);
      if (removed.length > 0) this.#log.info({ channel: ch.remoteAddress, removed }, 'broker connection closed');
    });
    this.#server = server;
    try {
      await server.start();
    } catch (e) {
      this.#server = undefined;
      this.#state = 'stopped';
      throw e;
    }
    this.#scanTimer = setInterval(() => this.scanNotActiveBroker(), this.config.scanNotActiveBrokerInterval);
    this.#scanTimer.unref?.();
    this.#state = 'running';
    this.#log.info({ address: server.address, kvConfigPath: this.config.kvConfigPath }, 'NameServer started');
  }

  /** One liveness pass (the timer calls this every scanNotActiveBrokerInterval ms). */
  scanNotActiveBroker(): void {
    try {
      this.routes.scanNotActiveBroker();
    } catch (e) {
      this.#log.error({ err: errorMessage(e) }, 'scanNotActiveBroker failed');
    }
  }

  /** Bound port once started. */
  get port(): number {
    return this.#server?.port ?? 0;
  }

  /** "host:port" once started; for 0.0.0.0 binds, use 127.0.0.1:port to connect locally. */
  get address(): string {
    return this.#server?.address ?? '';
  }

  stats(): NamesrvStats {
    let connections = 0;
    if (this.#server) for (const _ of this.#server.channels()) connections++;
    return {
      brokers: this.routes.brokerCount,
      topics: this.routes.topicCount,
      connections,
      routeQueriesTotal: this.#routeQueries.total,
      routeQueriesPerSecond: this.#routeQueries.ratePerSecond(),
      registrationsTotal: this.#registrations.total,
      registrationsPerSecond: this.#registrations.ratePerSecond(),
    };
  }

  async shutdown(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'new') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    if (this.#scanTimer) clearInterval(this.#scanTimer);
    this.#scanTimer = undefined;
    const server = this.#server;
    this.#server = undefined;
    if (server) await server.shutdown();
    this.#log.info('NameServer shut down');
  }

  #persistConfig(): void {
    const path = this.config.configStorePath;
    if (path === '') return;
    writeFileAtomic(path, stringifyProperties(namesrvConfigToProperties(this.config)));
  }
}
