// What the broker's request processors share: configs, managers, the store, the advertised address. The
// BrokerController implements it; processors never reach into the controller itself.
import type { Logger } from '../../common/logger.ts';
import type { HostAddress } from '../../common/message/host-address.ts';
import type { MessageStoreConfig } from '../../store/config/message-store-config.ts';
import type { MessageStore } from '../../store/message-store.ts';
import type { ConsumerManager } from '../client/consumer-manager.ts';
import type { ProducerManager } from '../client/producer-manager.ts';
import type { BrokerConfig } from '../config/broker-config.ts';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.ts';
import type { RebalanceLockManager } from '../rebalance/rebalance-lock-manager.ts';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.ts';
import type { TopicConfigManager } from '../topic/topic-config-manager.ts';

export interface BrokerContext {
  readonly brokerConfig: BrokerConfig;
  readonly messageStoreConfig: MessageStoreConfig;
  readonly store: MessageStore;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly producerManager: ProducerManager;
  readonly consumerManager: ConsumerManager;
  /** Orderly queue locks (LOCK_BATCH_MQ 41); `isLockedByAny(group)` tells whether a group consumes orderly now. */
  readonly rebalanceLockManager: RebalanceLockManager;
  readonly log: Logger;
  /** ms since epoch (injectable in tests). */
  now(): number;
  /** "brokerIP1:listenPort" as advertised to clients and NameServers (the bound port once started). */
  brokerAddr(): string;
  /** STOREHOST of every record this broker writes: brokerIP1 + listen port (§6.1). */
  storeHost(): HostAddress;
}
