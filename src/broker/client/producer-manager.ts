// Producer channel registry (Java ProducerManager): group → channels, expiry after channelExpiredTimeout without a
// heartbeat, and a live channel per group for transaction check-back.
import type { Logger } from '../../common/logger.ts';
import type { RemotingChannel } from '../../remoting/transport/types.ts';
import { newClientChannelInfo } from './client-channel-info.ts';
import type { ClientChannelInfo, ClientChannelInput } from './client-channel-info.ts';

export interface ProducerManagerOptions {
  /** BrokerConfig.channelExpiredTimeout (120 000 ms). */
  channelExpiredTimeoutMs?: number;
  now?: () => number;
  logger?: Logger;
}

export interface RemovedClient {
  group: string;
  client: ClientChannelInfo;
}

export class ProducerManager {
  readonly #expiredMs: number;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  /** group → channel id → info. */
  readonly #groups = new Map<string, Map<string, ClientChannelInfo>>();
  /** clientId → channel (last registered wins). */
  readonly #byClientId = new Map<string, RemotingChannel>();
  readonly #roundRobin = new Map<string, number>();

  constructor(options: ProducerManagerOptions = {}) {
    this.#expiredMs = options.channelExpiredTimeoutMs ?? 120_000;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
  }

  /** Adds the channel to the group or refreshes its heartbeat time. Returns true if it was new to the group. */
  registerProducer(group: string, input: ClientChannelInput): boolean {
    let table = this.#groups.get(group);
    if (table === undefined) {
      table = new Map();
      this.#groups.set(group, table);
    }
    const now = this.#now();
    const old = table.get(input.channel.id);
    this.#byClientId.set(input.clientId, input.channel);
    if (old !== undefined && old.clientId === input.clientId) {
      old.lastUpdateTimestamp = now;
      return false;
    }
    table.set(input.channel.id, newClientChannelInfo(input, now));
    if (old === undefined) this.#logger?.info({ group, clientId: input.clientId, addr: input.channel.remoteAddress }, 'new producer connected');
    return old === undefined;
  }

  /** UNREGISTER_CLIENT for a producer group. Returns whether the channel was registered. */
  unregisterProducer(group: string, channel: RemotingChannel): boolean {
    const table = this.#groups.get(group);
    const info = table?.get(channel.id);
    if (table === undefined || info === undefined) return false;
    table.delete(channel.id);
    if (table.size === 0) this.#groups.delete(group);
    this.#forgetClientId(info);
    return true;
  }

  /** Channel closed: drop it from every group. Returns the removed registrations. */
  doChannelCloseEvent(channel: RemotingChannel): RemovedClient[] {
    const removed: RemovedClient[] = [];
    for (const [group, table] of this.#groups) {
      const info = table.get(channel.id);
      if (info === undefined) continue;
      table.delete(channel.id);
      if (table.size === 0) this.#groups.delete(group);
      this.#forgetClientId(info);
      removed.push({ group, client: info });
    }
    return removed;
  }

  /**
   * Drops (and closes) channels without a heartbeat for longer than channelExpiredTimeout, and closed channels.
   * Called by the controller's 10 s housekeeping timer. Returns what was removed.
   */
  scanNotActiveChannel(): RemovedClient[] {
    const now = this.#now();
    const removed: RemovedClient[] = [];
    for (const [group, table] of this.#groups) {
      for (const [id, info] of table) {
        const expired = now - info.lastUpdateTimestamp > this.#expiredMs;
        if (!expired && !info.channel.closed) continue;
        table.delete(id);
        this.#forgetClientId(info);
        removed.push({ group, client: info });
        if (expired) {
          this.#logger?.warn({ group, clientId: info.clientId, addr: info.remoteAddress }, 'producer channel expired');
          if (!info.channel.closed) info.channel.close('producer heartbeat expired');
        }
      }
      if (table.size === 0) this.#groups.delete(group);
    }
    return removed;
  }

  /** A live channel of the group (round-robin), for CHECK_TRANSACTION_STATE. */
  getAvailableChannel(group: string): RemotingChannel | undefined {
    const table = this.#groups.get(group);
    if (table === undefined) return undefined;
    const live = [...table.values()].filter((i) => !i.channel.closed);
    if (live.length === 0) return undefined;
    const n = (this.#roundRobin.get(group) ?? 0) % live.length;
    this.#roundRobin.set(group, n + 1);
    return live[n]?.channel;
  }

  /** The channel a client id registered last. */
  findChannel(clientId: string): RemotingChannel | undefined {
    return this.#byClientId.get(clientId);
  }

  /** Connections of a group (GET_PRODUCER_CONNECTION_LIST). */
  getProducerConnections(group: string): ClientChannelInfo[] {
    return [...(this.#groups.get(group)?.values() ?? [])];
  }

  groupOnline(group: string): boolean {
    const table = this.#groups.get(group);
    return table !== undefined && [...table.values()].some((i) => !i.channel.closed);
  }

  groupNames(): string[] {
    return [...this.#groups.keys()];
  }

  #forgetClientId(info: ClientChannelInfo): void {
    if (this.#byClientId.get(info.clientId) !== info.channel) return;
    for (const table of this.#groups.values()) {
      const other = table.get(info.channel.id);
      if (other !== undefined && other.clientId === info.clientId) return;
    }
    this.#byClientId.delete(info.clientId);
  }
}
