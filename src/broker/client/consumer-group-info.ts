// One consumer group as seen by the broker: its member channels and the subscriptions from their heartbeats.
import type { RemotingChannel } from '../../remoting/transport/types.ts';
import { newClientChannelInfo } from './client-channel-info.ts';
import type { ClientChannelInfo, ClientChannelInput } from './client-channel-info.ts';
import type { ConsumeFromWhere, ConsumeType, MessageModel, SubscriptionData } from '../../remoting/protocol/body/heartbeat-data.ts';

export class ConsumerGroupInfo {
  readonly groupName: string;
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  lastUpdateTimestamp: number;
  /** channel id → member. */
  readonly #channels = new Map<string, ClientChannelInfo>();
  /** topic → subscription. */
  readonly #subscriptions = new Map<string, SubscriptionData>();

  constructor(
    groupName: string,
    consumeType: ConsumeType,
    messageModel: MessageModel,
    consumeFromWhere: ConsumeFromWhere,
    now: number,
  ) {
    this.groupName = groupName;
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
    this.lastUpdateTimestamp = now;
  }

  /** Adds or refreshes a member. Returns true if the channel is new to the group. */
  updateChannel(
    input: ClientChannelInput,
    consumeType: ConsumeType,
    messageModel: MessageModel,
    consumeFromWhere: ConsumeFromWhere,
    now: number,
  ): boolean {
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
    this.lastUpdateTimestamp = now;
    const old = this.#channels.get(input.channel.id);
    if (old !== undefined && old.clientId === input.clientId) {
      old.lastUpdateTimestamp = now;
      return false;
    }
    this.#channels.set(input.channel.id, newClientChannelInfo(input, now));
    return old === undefined;
  }

  /**
   * Replaces the subscription table with `subs`: new topics added, topics not listed removed, an existing topic
   * replaced only by a higher subVersion. Returns true if the set of topics changed.
   */
  updateSubscription(subs: readonly SubscriptionData[], now: number): boolean {
    let changed = false;
    const topics = new Set<string>();
    for (const sub of subs) {
      topics.add(sub.topic);
      const old = this.#subscriptions.get(sub.topic);
      if (old === undefined) {
        this.#subscriptions.set(sub.topic, sub);
        changed = true;
      } else if (sub.subVersion > old.subVersion) {
        this.#subscriptions.set(sub.topic, sub);
      }
    }
    for (const topic of [...this.#subscriptions.keys()]) {
      if (!topics.has(topic)) {
        this.#subscriptions.delete(topic);
        changed = true;
      }
    }
    this.lastUpdateTimestamp = now;
    return changed;
  }

  removeChannel(channelId: string): ClientChannelInfo | undefined {
    const info = this.#channels.get(channelId);
    if (info !== undefined) this.#channels.delete(channelId);
    return info;
  }

  findChannel(clientId: string): ClientChannelInfo | undefined {
    for (const info of this.#channels.values()) if (info.clientId === clientId) return info;
    return undefined;
  }

  findChannelById(channelId: string): ClientChannelInfo | undefined {
    return this.#channels.get(channelId);
  }

  findSubscriptionData(topic: string): SubscriptionData | undefined {
    return this.#subscriptions.get(topic);
  }

  get memberCount(): number {
    return this.#channels.size;
  }

  members(): ClientChannelInfo[] {
    return [...this.#channels.values()];
  }

  allChannels(): RemotingChannel[] {
    return [...this.#channels.values()].map((i) => i.channel);
  }

  allClientIds(): string[] {
    return [...this.#channels.values()].map((i) => i.clientId);
  }

  subscriptions(): SubscriptionData[] {
    return [...this.#subscriptions.values()];
  }

  subscribedTopics(): string[] {
    return [...this.#subscriptions.keys()];
  }
}
