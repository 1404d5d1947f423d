// Broker settings under RocketMQ's own key names (BrokerConfig.java, BrokerIdentity.java; brokerRole/listenPort live in
// MessageStoreConfig/NettyServerConfig in Java) so operators can bring their broker.conf. Defaults: FEATURES.md §1.1–§1.3.
import { networkInterfaces } from 'node:os';

export const BrokerRole = { ASYNC_MASTER: 'ASYNC_MASTER', SYNC_MASTER: 'SYNC_MASTER', SLAVE: 'SLAVE' } as const;
export type BrokerRole = (typeof BrokerRole)[keyof typeof BrokerRole];

export interface BrokerConfig {
  /** $ROCKETMQ_HOME (informational). */
  rocketmqHome: string;
  /** Path of the broker.conf this config came from; UPDATE_BROKER_CONFIG rewrites it. Not updatable remotely. */
  brokerConfigPath: string;
  /** NameServer addresses, `;`-separated ("ip:port;ip:port"). */
  namesrvAddr: string;
  brokerClusterName: string;
  brokerName: string;
  /** 0 = master, > 0 = slave. */
  brokerId: number;
  /** Address advertised to clients and NameServer. */
  brokerIP1: string;
  /** Address used for HA (slave → master). */
  brokerIP2: string;
  /** Main remoting port; the VIP port is listenPort − 2. */
  listenPort: number;
  brokerRole: BrokerRole;
  /** Perm bits of the whole broker (PermName: 4 read, 2 write, 1 inherit). */
  brokerPermission: number;
  defaultTopicQueueNums: number;
  autoCreateTopicEnable: boolean;
  /** The cluster-name topic gets read/write perm (else inherit only). */
  clusterTopicEnable: boolean;
  /** The broker-name topic gets read/write perm (else inherit only). */
  brokerTopicEnable: boolean;
  autoCreateSubscriptionGroup: boolean;
  /** Create system groups (CID_RMQ_SYS_…) on demand even if autoCreateSubscriptionGroup is off. */
  enableCreateSysGroup: boolean;
  msgTraceTopicName: string;
  /** Create msgTraceTopicName at start. */
  traceTopicEnable: boolean;
  /** Refuse UPDATE_AND_CREATE_TOPIC on system topics. */
  validateSystemTopicWhenUpdateTopic: boolean;
  /** Consumer offsets → consumerOffset.json period (ms). */
  flushConsumerOffsetInterval: number;
  /** Bump the offset DataVersion every this many commits. */
  consumerOffsetUpdateVersionStep: number;
  notifyConsumerIdsChangedEnable: boolean;
  /** A producer/consumer channel without heartbeat for this long is dropped (ms). */
  channelExpiredTimeout: number;
  useServerSideResetOffset: boolean;
  longPollingEnable: boolean;
  /** Hold time of a pull without long polling (ms). */
  shortPollingTimeMills: number;
  /**
   * Allow SQL92 subscriptions (broker-side property filter on pull and long-poll wake-up). Default false like Java: a
   * consumer asking for SQL92 gets 1 "The broker does not support consumer to filter message by SQL92". We keep
   * Java's default on purpose (also when embedded) so a Java client sees the same answer; set it to true in
   * broker.conf (or brokerConfig) to enable SQL92 filtering.
   */
  enablePropertyFilter: boolean;
  enableCalcFilterBitMap: boolean;
  filterSupportRetry: boolean;
  slaveReadEnable: boolean;
  transferMsgByHeap: boolean;
  /** REGISTER_BROKER period (ms; Java clamps it to [10 s, 60 s]). */
  registerNameServerPeriod: number;
  registerBrokerTimeoutMills: number;
  forceRegister: boolean;
  compressedRegister: boolean;
  enableSlaveActingMaster: boolean;
  /** A half message is first checked back this long (ms) after its born time (or its CHECK_IMMUNITY_TIME_IN_SECONDS, if larger). */
  transactionTimeOut: number;
  /** Check-backs per half message before it is moved to TRANS_CHECK_MAX_TIME_TOPIC. */
  transactionCheckMax: number;
  /** Period (ms) of the transaction check service. */
  transactionCheckInterval: number;
  /** Java batches op records up to this size; we write one op record per decision (kept for broker.conf compatibility). */
  transactionOpMsgMaxSize: number;
  /** Java's op-record batching period (ms); unused here, see transactionOpMsgMaxSize. */
  transactionOpBatchInterval: number;
  rejectTransactionMessage: boolean;
  /** MSG_REGION in send responses. */
  regionId: string;
  /** TRACE_ON in send responses. */
  traceOn: boolean;
  storeReplyMessageEnable: boolean;
  lockInStrictMode: boolean;
  startAcceptSendRequestTimeStamp: number;
  waitTimeMillsInSendQueue: number;
  forwardTimeout: number;
  /** `;`-separated keys UPDATE_BROKER_CONFIG must refuse. */
  configBlackList: string;
}

/** First non-internal IPv4 address of this host, else 127.0.0.1 (Java NetworkUtil.getLocalAddress prefers the same). */
export function localIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return '127.0.0.1';
}

export function defaultBrokerConfig(
  overrides: Partial<BrokerConfig> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): BrokerConfig {
  const ip = localIPv4();
  return {
    rocketmqHome: env.ROCKETMQ_HOME ?? '',
    brokerConfigPath: '',
    namesrvAddr: env.NAMESRV_ADDR ?? '',
    brokerClusterName: 'DefaultCluster',
    brokerName: 'broker-a',
    brokerId: 0,
    brokerIP1: ip,
    brokerIP2: ip,
    listenPort: 10911,
    brokerRole: BrokerRole.ASYNC_MASTER,
    brokerPermission: 6,
    defaultTopicQueueNums: 8,
    autoCreateTopicEnable: true,
    clusterTopicEnable: true,
    brokerTopicEnable: true,
    autoCreateSubscriptionGroup: true,
    enableCreateSysGroup: true,
    msgTraceTopicName: 'RMQ_SYS_TRACE_TOPIC',
    traceTopicEnable: false,
    validateSystemTopicWhenUpdateTopic: true,
    flushConsumerOffsetInterval: 5000,
    consumerOffsetUpdateVersionStep: 500,
    notifyConsumerIdsChangedEnable: true,
    channelExpiredTimeout: 120_000,
    useServerSideResetOffset: true,
    longPollingEnable: true,
    shortPollingTimeMills: 1000,
    enablePropertyFilter: false,
    enableCalcFilterBitMap: false,
    filterSupportRetry: false,
    slaveReadEnable: false,
    transferMsgByHeap: true,
    registerNameServerPeriod: 30_000,
    registerBrokerTimeoutMills: 24_000,
    forceRegister: true,
    compressedRegister: false,
    enableSlaveActingMaster: false,
    transactionTimeOut: 6000,
    transactionCheckMax: 15,
    transactionCheckInterval: 30_000,
    transactionOpMsgMaxSize: 4096,
    transactionOpBatchInterval: 3000,
    rejectTransactionMessage: false,
    regionId: 'DefaultRegion',
    traceOn: true,
    storeReplyMessageEnable: true,
    lockInStrictMode: false,
    startAcceptSendRequestTimeStamp: 0,
    waitTimeMillsInSendQueue: 200,
    forwardTimeout: 3000,
    configBlackList: 'configBlackList;brokerConfigPath',
    ...overrides,
  };
}

/** NameServer addresses from `namesrvAddr` ("a:9876;b:9876" → ["a:9876", "b:9876"]). */
export function namesrvAddrList(config: Pick<BrokerConfig, 'namesrvAddr'>): string[] {
  return config.namesrvAddr
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** "brokerIP1:listenPort", the address clients use. */
export function brokerAddr(config: Pick<BrokerConfig, 'brokerIP1' | 'listenPort'>): string {
  return `${config.brokerIP1}:${config.listenPort}`;
}
