// Consumer channel registry (Java ConsumerManager): groups, members, subscriptions, expiry after
// channelExpiredTimeout without heartbeat, and events when a group's members change (→ NOTIFY_CONSUMER_IDS_CHANGED).
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { RemotingChannel } from '../../remoting/transport/types.ts';
import type { ClientChannelInfo, ClientChannelInput } from './client-channel-info.ts';
import { ConsumerGroupInfo } from './consumer-group-info.ts';
import { MessageModel } from '../../remoting/protocol/body/heartbeat-data.ts';
import type { ConsumeFromWhere, ConsumeType, ConsumerData, SubscriptionData } from '../../remoting/protocol/body/heartbeat-data.ts';

/**
 * - `change`: the group's member set (or subscribed topics) changed; `channels` are the remaining members, to be sent
 *   NOTIFY_CONSUMER_IDS_CHANGED. Not emitted for BROADCASTING groups.
 * - `register`: a heartbeat registered the group's subscriptions (for filter bookkeeping).
 * - `unregister`: the group lost its last member and was removed.
 * - `client-register` / `client-unregister`: one member joined / left.
 */
export type ConsumerGroupEvent =
  | { type: 'change'; group: string; channels: RemotingChannel[] }
  | { type: 'register'; group: string; subscriptions: SubscriptionData[]; client: ClientChannelInfo | undefined }
  | { type: 'unregister'; group: string }
  | { type: 'client-register'; group: string; client: ClientChannelInfo }
  | { type: 'client-unregister'; group: string; client: ClientChannelInfo };

export interface ConsumerManagerOptions {
  /** BrokerConfig.channelExpiredTimeout (120 000 ms). */
  channelExpiredTimeoutMs?: number;
  now?: () => number;
  logger?: Logger;
}

export class ConsumerManager {
  readonly #expiredMs: number;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #groups = new Map<string, ConsumerGroupInfo>();
  readonly #listeners = new Set<(e: ConsumerGroupEvent) => void>();

  constructor(options: ConsumerManagerOptions = {}) {
    this.#expiredMs = options.channelExpiredTimeoutMs ?? 120_000;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
  }

  onEvent(listener: (e: ConsumerGroupEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Registers/refreshes a consumer (HEART_BEAT). Emits `change` when the member set or the subscribed topics changed
   * and `notifyConsumerIdsChanged` is true (the group's notifyConsumerIdsChangedEnable). Returns whether anything changed.
   */
  registerConsumer(
    group: string,
    client: ClientChannelInput,
    consumeType: ConsumeType,
    messageModel: MessageModel,
    consumeFromWhere: ConsumeFromWhere,
    subscriptions: readonly SubscriptionData[],
    notifyConsumerIdsChanged = true,
  ): boolean {
    const now = this.#now();
    let info = this.#groups.get(group);
    if (info === undefined) {
      info = new ConsumerGroupInfo(group, consumeType, messageModel, consumeFromWhere, now);
      this.#groups.set(group, info);
    }
    const newMember = info.updateChannel(client, consumeType, messageModel, consumeFromWhere, now);
    const member = info.findChannelById(client.channel.id);
    if (newMember && member !== undefined) {
      this.#logger?.info({ group, clientId: client.clientId, addr: client.channel.remoteAddress }, 'new consumer connected');
      this.#emit({ type: 'client-register', group, client: member });
    }
    const subsChanged = info.updateSubscription(subscriptions, now);
    if ((newMember || subsChanged) && notifyConsumerIdsChanged && info.messageModel !== MessageModel.BROADCASTING) {
      this.#emit({ type: 'change', group, channels: info.allChannels() });
    }
    this.#emit({ type: 'register', group, subscriptions: [...subscriptions], client: member });
    return newMember || subsChanged;
  }

  /** registerConsumer with the fields of one heartbeat ConsumerData. */
  registerFromHeartbeat(data: ConsumerData, client: ClientChannelInput, notifyConsumerIdsChanged = true): boolean {
    return this.registerConsumer(
      data.groupName,
      client,
      data.consumeType,
      data.messageModel,
      data.consumeFromWhere,
      data.subscriptionDataSet,
      notifyConsumerIdsChanged,
    );
  }

  /** UNREGISTER_CLIENT for a consumer group. Returns whether the channel was a member. */
  unregisterConsumer(group: string, channel: RemotingChannel, notifyConsumerIdsChanged = true): boolean {
    const info = this.#groups.get(group);
    if (info === undefined) return false;
    const removed = info.removeChannel(channel.id);
    if (removed !== undefined) this.#emit({ type: 'client-unregister', group, client: removed });
    this.#afterRemoval(info, removed !== undefined && notifyConsumerIdsChanged);
    return removed !== undefined;
  }

  /** Channel closed: drop it from every group, emitting `change` for groups that still have members. */
  doChannelCloseEvent(channel: RemotingChannel): boolean {
    let wasMember = false;
    for (const info of [...this.#groups.values()]) {
      const removed = info.removeChannel(channel.id);
      if (removed === undefined) continue;
      wasMember = true;
      this.#emit({ type: 'client-unregister', group: info.groupName, client: removed });
      this.#afterRemoval(info, true);
    }
    return wasMember;
  }

  /**
   * Drops (and closes) members without a heartbeat for longer than channelExpiredTimeout, emitting the same events as a
   * channel close. Called by the controller's 10 s housekeeping timer. Returns the removed members.
   */
  scanNotActiveChannel(): { group: string; client: ClientChannelInfo }[] {
    const now = this.#now();
    const out: { group: string; client: ClientChannelInfo }[] = [];
    for (const info of [...this.#groups.values()]) {
      let removedAny = false;
      for (const m of info.members()) {
        if (now - m.lastUpdateTimestamp <= this.#expiredMs) continue;
        info.removeChannel(m.channel.id);
        removedAny = true;
        out.push({ group: info.groupName, client: m });
        this.#logger?.warn({ group: info.groupName, clientId: m.clientId, addr: m.remoteAddress }, 'consumer channel expired');
        if (!m.channel.closed) m.channel.close('consumer heartbeat expired');
        this.#emit({ type: 'client-unregister', group: info.groupName, client: m });
      }
      if (removedAny) this.#afterRemoval(info, true);
    }
    return out;
  }

  #afterRemoval(info: ConsumerGroupInfo, notify: boolean): void {
    if (info.memberCount === 0 && this.#groups.get(info.groupName) === info) {
      this.#groups.delete(info.groupName);
      this.#logger?.info({ group: info.groupName }, 'consumer group has no member left; removed');
      this.#emit({ type: 'unregister', group: info.groupName });
    }
    if (notify && info.memberCount > 0 && info.messageModel !== MessageModel.BROADCASTING) {
      this.#emit({ type: 'change', group: info.groupName, channels: info.allChannels() });
    }
  }

  getConsumerGroupInfo(group: string): ConsumerGroupInfo | undefined {
    return this.#groups.get(group);
  }

  /** Client ids of the group's members (GET_CONSUMER_LIST_BY_GROUP); empty if the group is unknown. */
  getConsumerIdList(group: string): string[] {
    return this.#groups.get(group)?.allClientIds() ?? [];
  }

  findChannel(group: string, clientId: string): ClientChannelInfo | undefined {
    return this.#groups.get(group)?.findChannel(clientId);
  }

  findSubscriptionData(group: string, topic: string): SubscriptionData | undefined {
    return this.#groups.get(group)?.findSubscriptionData(topic);
  }

  /** Groups with a member subscribed to `topic` (QUERY_TOPIC_CONSUME_BY_WHO, with the offset table's groups). */
  queryTopicConsumeByWho(topic: string): Set<string> {
    const out = new Set<string>();
    for (const [g, info] of this.#groups) if (info.findSubscriptionData(topic) !== undefined) out.add(g);
    return out;
  }

  groupNames(): string[] {
    return [...this.#groups.keys()];
  }

  #emit(e: ConsumerGroupEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        this.#logger?.error({ err: errorMessage(err), group: e.group, type: e.type }, 'consumer event listener failed');
      }
    }
  }
}
