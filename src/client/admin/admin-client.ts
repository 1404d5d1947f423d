// The admin client (Java DefaultMQAdminExt): what mqadmin and the dashboard call. Every method returns plain objects
// (rows sorted, ready for a table or JSON). Non-success replies throw RocketMQError(BROKER_RESPONSE) carrying the
// broker's responseCode. The calls live in one module per family (topic-, group-, cluster-, consumer-, message-admin).
import { randomBytes } from 'node:crypto';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import type { ClusterInfo } from '../../remoting/protocol/body/cluster-info.ts';
import type { ConsumerConnection, ProducerConnection } from '../../remoting/protocol/body/connection.ts';
import type { MessageQueue } from '../../remoting/protocol/body/message-queue.ts';
import type { SubscriptionGroupConfig, SubscriptionGroupWrapper } from '../../remoting/protocol/body/subscription-group-config.ts';
import type { TopicConfig } from '../../remoting/protocol/body/topic-config.ts';
import type { TopicRouteData } from '../../remoting/protocol/body/topic-route-data.ts';
import type { ClientConfig } from '../client-config.ts';
import { ClientInstance } from '../instance/client-instance.ts';
import type { ClientInstanceOptions } from '../instance/client-instance.ts';
import type { MessageView } from '../producer/message-view.ts';
import { AdminContext } from './admin-context.ts';
import type { BrokerTarget } from './admin-context.ts';
import * as cluster from './cluster-admin.ts';
import type { BrokerConfigResult, ConfigValues, WritePermResult } from './cluster-admin.ts';
import * as consumer from './consumer-admin.ts';
import type { ConsumeStatsResult, ResetOffsetOptions, ResetOffsetRow } from './consumer-admin.ts';
import * as group from './group-admin.ts';
import type { SubscriptionGroupInput } from './group-admin.ts';
import * as message from './message-admin.ts';
import type { QueryByOffsetResult, QueryMessageOptions } from './message-admin.ts';
import * as topic from './topic-admin.ts';
import type { CreateTopicOptions, CreateTopicResult, DeleteTopicResult, TopicStatusRow } from './topic-admin.ts';

export interface AdminClientOptions extends ClientConfig {
  /** Timeout of one admin request; default 5000 ms (Java's admin default). */
  timeoutMs?: number;
  /** defaultTopic sent with UPDATE_AND_CREATE_TOPIC; default "TBW102". */
  createTopicKey?: string;
  /** Use this instance (not shut down by the admin client) instead of a private one. */
  clientInstance?: ClientInstance;
  /** Options of the private instance. */
  instanceOptions?: ClientInstanceOptions;
}

type State = 'created' | 'running' | 'stopped';

export class AdminClient {
  readonly #options: AdminClientOptions;
  #instance: ClientInstance | undefined;
  #ctx: AdminContext | undefined;
  #ownsInstance = false;
  #state: State = 'created';

  constructor(options: AdminClientOptions) {
    this.#options = options;
  }

  /** Connects lazily; start only prepares the client runtime. Idempotent. */
  async start(): Promise<void> {
    if (this.#state === 'running') return;
    if (this.#state === 'stopped') throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'admin client was shut down');
    if (this.#options.clientInstance) {
      this.#instance = this.#options.clientInstance;
    } else {
      // A private instance (Java's admin sets instanceName to the current time) so admin calls never share
      // connections or a clientId with the application's producers and consumers.
      this.#instance = new ClientInstance(
        { ...this.#options, instanceName: this.#options.instanceName ?? `admin#${process.pid}#${randomBytes(4).toString('hex')}` },
        this.#options.instanceOptions,
      );
      this.#ownsInstance = true;
    }
    this.#instance.start();
    this.#ctx = new AdminContext(this.#instance, this.#options.timeoutMs ?? 5_000, this.#options.createTopicKey ?? 'TBW102');
    this.#state = 'running';
  }

  async shutdown(): Promise<void> {
    const wasRunning = this.#state === 'running';
    this.#state = 'stopped';
    if (wasRunning && this.#ownsInstance) await this.#instance?.shutdown();
  }

  get clientInstance(): ClientInstance | undefined {
    return this.#instance;
  }

  #c(): AdminContext {
    if (this.#state !== 'running' || this.#ctx === undefined) {
      throw new RocketMQError(ERROR_CODES.NOT_RUNNING, `admin client is ${this.#state === 'created' ? 'not started' : 'shut down'}`);
    }
    return this.#ctx;
  }

  // ---- topics ----

  /** UPDATE_AND_CREATE_TOPIC (17) on every master of `clusterName`, or on `brokerAddr` (mqadmin updateTopic). */
  createTopic(options: CreateTopicOptions): Promise<CreateTopicResult> {
    return topic.createTopic(this.#c(), options);
  }

  /** DELETE_TOPIC_IN_BROKER (215) on the cluster's masters, then DELETE_TOPIC_IN_NAMESRV (216) on every NameServer. */
  deleteTopic(topicName: string, clusterName: string): Promise<DeleteTopicResult> {
    return topic.deleteTopic(this.#c(), topicName, clusterName);
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206), sorted. */
  topicList(): Promise<string[]> {
    return topic.topicList(this.#c());
  }

  /** GET_ROUTEINFO_BY_TOPIC (105); throws (responseCode 17) for an unknown topic. */
  topicRoute(topicName: string): Promise<TopicRouteData> {
    return topic.topicRoute(this.#c(), topicName);
  }

  /** GET_TOPIC_STATS_INFO (202) from each broker of the topic: one row per queue. */
  topicStatus(topicName: string): Promise<TopicStatusRow[]> {
    return topic.topicStatus(this.#c(), topicName);
  }

  /** Clusters whose brokers serve the topic. */
  topicClusterList(topicName: string): Promise<string[]> {
    return topic.topicClusterList(this.#c(), topicName);
  }

  /** GET_TOPICS_BY_CLUSTER (224). */
  getTopicsByCluster(clusterName: string): Promise<string[]> {
    return topic.topicsByCluster(this.#c(), clusterName);
  }

  /** GET_TOPIC_CONFIG (351) from one broker; undefined if it has no such topic. */
  getTopicConfig(brokerAddr: string, topicName: string): Promise<TopicConfig | undefined> {
    return topic.getTopicConfig(this.#c(), brokerAddr, topicName);
  }

  // ---- subscription groups ----

  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200) on the target brokers; returns their addresses. */
  createOrUpdateSubscriptionGroup(config: SubscriptionGroupInput, target: BrokerTarget): Promise<string[]> {
    return group.createOrUpdateSubscriptionGroup(this.#c(), config, target);
  }

  /** DELETE_SUBSCRIPTIONGROUP (207) on the target brokers. */
  deleteSubscriptionGroup(groupName: string, target: BrokerTarget, options: { cleanOffset?: boolean } = {}): Promise<string[]> {
    return group.deleteSubscriptionGroup(this.#c(), groupName, target, options.cleanOffset ?? false);
  }

  /** GET_SUBSCRIPTIONGROUP_CONFIG (352), or 201 on brokers without 352; undefined when absent. */
  getSubscriptionGroup(brokerAddr: string, groupName: string): Promise<SubscriptionGroupConfig | undefined> {
    return group.getSubscriptionGroup(this.#c(), brokerAddr, groupName);
  }

  /** GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201). */
  getAllSubscriptionGroups(brokerAddr: string): Promise<SubscriptionGroupWrapper> {
    return group.getAllSubscriptionGroups(this.#c(), brokerAddr);
  }

  // ---- cluster, brokers, NameServers ----

  /** GET_BROKER_CLUSTER_INFO (106). */
  clusterInfo(): Promise<ClusterInfo> {
    return cluster.clusterInfo(this.#c());
  }

  /** Master addresses of every broker group of a cluster. */
  masterAddrsOfCluster(clusterName: string): Promise<string[]> {
    return this.#c().masterAddrsOfCluster(clusterName);
  }

  /** GET_BROKER_RUNTIME_INFO (28): the broker's stats table (PROTOCOL.md §4.9 keys). */
  brokerRuntimeInfo(brokerAddr: string): Promise<Record<string, string>> {
    return cluster.brokerRuntimeInfo(this.#c(), brokerAddr);
  }

  /** GET_BROKER_CONFIG (26). */
  getBrokerConfig(brokerAddr: string): Promise<BrokerConfigResult> {
    return cluster.getBrokerConfig(this.#c(), brokerAddr);
  }

  /** UPDATE_BROKER_CONFIG (25) on every master of `clusterName` or on `brokerAddr`; returns the addresses. */
  async updateBrokerConfig(values: ConfigValues, target: BrokerTarget): Promise<string[]> {
    const ctx = this.#c();
    const addrs = await ctx.targetAddrs(target);
    await cluster.updateBrokerConfig(ctx, addrs, values);
    return addrs;
  }

  /** WIPE_WRITE_PERM_OF_BROKER (205) on every NameServer. */
  wipeWritePerm(brokerName: string, namesrvAddrs?: readonly string[]): Promise<WritePermResult[]> {
    return cluster.wipeWritePerm(this.#c(), brokerName, namesrvAddrs);
  }

  /** ADD_WRITE_PERM_OF_BROKER (327) on every NameServer. */
  addWritePerm(brokerName: string, namesrvAddrs?: readonly string[]): Promise<WritePermResult[]> {
    return cluster.addWritePerm(this.#c(), brokerName, namesrvAddrs);
  }

  /** PUT_KV_CONFIG (100) on every NameServer. */
  putKvConfig(namespace: string, key: string, value: string): Promise<void> {
    return cluster.putKvConfig(this.#c(), namespace, key, value);
  }

  /** GET_KV_CONFIG (101); undefined when not set. */
  getKvConfig(namespace: string, key: string): Promise<string | undefined> {
    return cluster.getKvConfig(this.#c(), namespace, key);
  }

  /** DELETE_KV_CONFIG (102) on every NameServer. */
  deleteKvConfig(namespace: string, key: string): Promise<void> {
    return cluster.deleteKvConfig(this.#c(), namespace, key);
  }

  /** GET_KVLIST_BY_NAMESPACE (219). */
  getKvList(namespace: string): Promise<Record<string, string>> {
    return cluster.getKvList(this.#c(), namespace);
  }

  /** GET_NAMESRV_CONFIG (319) from each NameServer: address → properties. */
  getNamesrvConfig(namesrvAddrs?: readonly string[]): Promise<Record<string, Record<string, string>>> {
    return cluster.getNamesrvConfig(this.#c(), namesrvAddrs);
  }

  /** UPDATE_NAMESRV_CONFIG (318) on each NameServer. */
  updateNamesrvConfig(values: ConfigValues, namesrvAddrs?: readonly string[]): Promise<void> {
    return cluster.updateNamesrvConfig(this.#c(), values, namesrvAddrs);
  }

  // ---- consumers and producers ----

  /** GET_CONSUME_STATS (208) from every broker of the group: per-queue offsets and lag (mqadmin consumerProgress). */
  consumeStats(groupName: string, topicName?: string): Promise<ConsumeStatsResult> {
    return consumer.consumeStats(this.#c(), groupName, topicName);
  }

  /** GET_CONSUMER_CONNECTION_LIST (203); throws with responseCode 206 when no consumer is online. */
  consumerConnection(groupName: string): Promise<ConsumerConnection> {
    return consumer.consumerConnection(this.#c(), groupName);
  }

  /** GET_PRODUCER_CONNECTION_LIST (204) via the brokers of `topicName`; throws with responseCode 206 when none. */
  producerConnection(groupName: string, topicName: string): Promise<ProducerConnection> {
    return consumer.producerConnection(this.#c(), groupName, topicName);
  }

  /** INVOKE_BROKER_TO_RESET_OFFSET (222), with the offline fallback per broker (see ResetOffsetRow.via). */
  resetOffsetByTime(options: ResetOffsetOptions): Promise<ResetOffsetRow[]> {
    return consumer.resetOffsetByTime(this.#c(), options);
  }

  /** QUERY_TOPIC_CONSUME_BY_WHO (300): consumer groups of a topic. */
  queryTopicConsumeByWho(topicName: string): Promise<string[]> {
    return consumer.queryTopicConsumeByWho(this.#c(), topicName);
  }

  // ---- messages and offsets ----

  /** VIEW_MESSAGE_BY_ID (33) at the broker the offsetMsgId names. */
  viewMessage(offsetMsgId: string, topicName?: string): Promise<MessageView> {
    return message.viewMessage(this.#c(), offsetMsgId, topicName);
  }

  /** offsetMsgId first, else (with a topic) UNIQ_KEY; undefined when not found (mqadmin queryMsgById). */
  queryMessageById(id: string, topicName?: string): Promise<MessageView | undefined> {
    return message.queryMessageById(this.#c(), id, topicName);
  }

  /** QUERY_MESSAGE (12) by KEYS on every broker of the topic, filtered to exact key matches. */
  queryMessageByKey(topicName: string, key: string, options?: QueryMessageOptions): Promise<MessageView[]> {
    return message.queryMessageByKey(this.#c(), topicName, key, options);
  }

  /** QUERY_MESSAGE (12) with _UNIQUE_KEY_QUERY=true, filtered to UNIQ_KEY matches. */
  queryMessageByUniqueKey(topicName: string, uniqKey: string, options?: QueryMessageOptions): Promise<MessageView[]> {
    return message.queryMessageByUniqueKey(this.#c(), topicName, uniqKey, options);
  }

  /** PULL_MESSAGE (11) of the message at `offset` (mqadmin queryMsgByOffset). */
  queryMessageByOffset(mq: MessageQueue, offset: number): Promise<QueryByOffsetResult> {
    return message.queryMessageByOffset(this.#c(), mq, offset);
  }

  /** GET_MIN_OFFSET (31). */
  minOffset(mq: MessageQueue): Promise<number> {
    return message.minOffset(this.#c(), mq);
  }

  /** GET_MAX_OFFSET (30). */
  maxOffset(mq: MessageQueue): Promise<number> {
    return message.maxOffset(this.#c(), mq);
  }

  /** SEARCH_OFFSET_BY_TIMESTAMP (29). */
  searchOffset(mq: MessageQueue, timestamp: number, boundaryType?: 'lower' | 'upper'): Promise<number> {
    return message.searchOffset(this.#c(), mq, timestamp, boundaryType);
  }

  /** GET_EARLIEST_MSG_STORETIME (32). */
  earliestMsgStoreTime(mq: MessageQueue): Promise<number> {
    return message.earliestMsgStoreTime(this.#c(), mq);
  }
}
