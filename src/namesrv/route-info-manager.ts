// The NameServer's route tables (PROTOCOL.md §11): pure state plus an injectable clock, no I/O.
//   topicQueueTable   topic → brokerName → QueueData
//   brokerAddrTable   brokerName → BrokerData (cluster, addresses by brokerId)
//   clusterAddrTable  cluster → brokerNames
//   brokerLiveTable   (cluster, brokerAddr) → last update, timeout, DataVersion, channel, haServerAddr
//   filterServerTable (cluster, brokerAddr) → filter server addresses
import type { Logger } from '../common/logger.ts';
import { dataVersionEquals, newDataVersion } from '../remoting/protocol/body/data-version.ts';
import type { DataVersion } from '../remoting/protocol/body/data-version.ts';
import { PermName, TopicSysFlag, isWriteable } from '../remoting/protocol/body/topic-config.ts';
import type { TopicConfig } from '../remoting/protocol/body/topic-config.ts';
import type { TopicConfigSerializeWrapper } from '../remoting/protocol/body/topic-config-serialize-wrapper.ts';
import { MASTER_ID, cloneBrokerData, queueDataEquals } from '../remoting/protocol/body/topic-route-data.ts';
import type { BrokerData, QueueData, TopicRouteData } from '../remoting/protocol/body/topic-route-data.ts';
import type { ClusterInfo } from '../remoting/protocol/body/cluster-info.ts';
import type { TopicList } from '../remoting/protocol/body/topic-list.ts';

/** DEFAULT_BROKER_CHANNEL_EXPIRED_TIME: a broker silent this long is dropped (§11). */
export const DEFAULT_BROKER_CHANNEL_EXPIRED_TIME = 120_000;

/** Topics with this prefix never get an acting master (Java TopicValidator.SYNC_BROKER_MEMBER_GROUP_PREFIX). */
const SYNC_BROKER_MEMBER_GROUP_PREFIX = 'rmq_sys_SYNC_BROKER_MEMBER_';

/** What the route tables need of a broker's connection (a RemotingChannel satisfies it). */
export interface BrokerChannelRef {
  readonly id: string;
  close(reason?: string): void;
}

export interface RouteInfoManagerOptions {
  now?: () => number;
  /** NamesrvConfig.supportActingMaster: present the lowest slave as id 0 when a group has no master. */
  supportActingMaster?: boolean;
  /** NamesrvConfig.deleteTopicWithBrokerRegistration: a master registration drops its topics it no longer lists. */
  deleteTopicWithBrokerRegistration?: boolean;
  logger?: Logger;
}

export interface RegisterBrokerInput {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  zoneName?: string;
  heartbeatTimeoutMillis?: number;
  /** undefined = a broker too old to send the field. */
  enableActingMaster?: boolean;
  topicConfigWrapper: TopicConfigSerializeWrapper;
  /** undefined leaves the filter server table alone; [] clears this broker's entry. */
  filterServerList?: string[];
  channel?: BrokerChannelRef;
}

export interface RegisterBrokerResult {
  /** The live master's address, for a slave. */
  masterAddr?: string;
  /** The live master's HA address, for a slave. */
  haServerAddr?: string;
}

export interface BrokerLiveInfo {
  readonly clusterName: string;
  readonly brokerAddr: string;
  lastUpdateTimestamp: number;
  heartbeatTimeoutMillis: number;
  dataVersion: DataVersion;
  channel: BrokerChannelRef | undefined;
  haServerAddr: string;
}

export interface BrokerAddrRef {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
}

const liveKey = (clusterName: string, brokerAddr: string): string => `${clusterName}\u0000${brokerAddr}`;

export class RouteInfoManager {
  readonly #now: () => number;
  readonly #supportActingMaster: boolean;
  readonly #deleteTopicWithBrokerRegistration: boolean;
  readonly #log: Logger | undefined;
  readonly #topicQueueTable = new Map<string, Map<string, QueueData>>();
  readonly #brokerAddrTable = new Map<string, BrokerData>();
  readonly #clusterAddrTable = new Map<string, Set<string>>();
  readonly #brokerLiveTable = new Map<string, BrokerLiveInfo>();
  readonly #filterServerTable = new Map<string, string[]>();
  readonly #topicQueueMappingInfoTable = new Map<string, Map<string, unknown>>();

  constructor(options: RouteInfoManagerOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#supportActingMaster = options.supportActingMaster ?? false;
    this.#deleteTopicWithBrokerRegistration = options.deleteTopicWithBrokerRegistration ?? false;
    this.#log = options.logger;
  }

  /**
   * REGISTER_BROKER. Returns null when Java would answer "register broker failed": the first registration of a
   * brokerId whose topic table holds exactly one topic (an incremental single-topic registration must follow a full one).
   */
  registerBroker(input: RegisterBrokerInput): RegisterBrokerResult | null {
    const { clusterName, brokerAddr, brokerName, brokerId, topicConfigWrapper } = input;
    const result: RegisterBrokerResult = {};

    let names = this.#clusterAddrTable.get(clusterName);
    if (!names) this.#clusterAddrTable.set(clusterName, (names = new Set()));
    names.add(brokerName);

    let registerFirst = false;
    let brokerData = this.#brokerAddrTable.get(brokerName);
    if (!brokerData) {
      registerFirst = true;
      brokerData = { cluster: clusterName, brokerName, brokerAddrs: {}, enableActingMaster: false };
      this.#brokerAddrTable.set(brokerName, brokerData);
    }
    const isOldVersionBroker = input.enableActingMaster === undefined;
    brokerData.enableActingMaster = !isOldVersionBroker && input.enableActingMaster === true;
    if (input.zoneName !== undefined) brokerData.zoneName = input.zoneName;
    else delete brokerData.zoneName;

    const addrs = brokerData.brokerAddrs;
    const idKey = String(brokerId);
    // One address has one id: a slave promoted to master re-registers the same address with id 0.
    for (const [id, addr] of Object.entries(addrs)) if (addr === brokerAddr && id !== idKey) delete addrs[id];

    // A different address already holds this id with a newer stateVersion: reject the newcomer.
    const oldAddr = addrs[idKey];
    if (oldAddr !== undefined && oldAddr !== brokerAddr) {
      const old = this.#brokerLiveTable.get(liveKey(clusterName, oldAddr));
      if (old && old.dataVersion.stateVersion > topicConfigWrapper.dataVersion.stateVersion) {
        this.#log?.warn({ clusterName, brokerName, brokerId, oldAddr, brokerAddr }, 'registration rejected: older stateVersion');
        this.#brokerLiveTable.delete(liveKey(clusterName, brokerAddr));
        return result;
      }
    }

    if (!(idKey in addrs) && Object.keys(topicConfigWrapper.topicConfigTable).length === 1) {
      this.#log?.warn({ clusterName, brokerName, brokerId, brokerAddr }, 'single-topic registration before a full one');
      return null;
    }

    addrs[idKey] = brokerAddr;
    registerFirst = registerFirst || oldAddr === undefined || oldAddr === '';

    const isMaster = brokerId === MASTER_ID;
    const isPrimeSlave = !isOldVersionBroker && !isMaster && brokerId === minId(addrs);
    if (isMaster || isPrimeSlave) {
      const table = topicConfigWrapper.topicConfigTable;
      const mappingInfos = topicConfigWrapper.topicQueueMappingInfoMap ?? {};
      if (this.#deleteTopicWithBrokerRegistration && Object.keys(mappingInfos).length === 0) {
        for (const [topic, qdm] of this.#topicQueueTable) {
          if (qdm.has(brokerName) && !(topic in table)) {
            qdm.delete(brokerName);
            if (qdm.size === 0) this.#topicQueueTable.delete(topic);
          }
        }
      }
      const brokerChanged = this.isBrokerTopicConfigChanged(clusterName, brokerAddr, topicConfigWrapper.dataVersion);
      for (const tc of Object.values(table)) {
        if (registerFirst || brokerChanged || !this.#topicHasBroker(tc.topicName, brokerName)) {
          // Acting-master mode: the prime slave serves reads only.
          const perm = isPrimeSlave && brokerData.enableActingMaster ? tc.perm & ~PermName.WRITE : tc.perm;
          this.#createAndUpdateQueueData(brokerName, { ...tc, perm });
        }
      }
      if (brokerChanged || registerFirst) {
        for (const [topic, info] of Object.entries(mappingInfos)) {
          let m = this.#topicQueueMappingInfoTable.get(topic);
          if (!m) this.#topicQueueMappingInfoTable.set(topic, (m = new Map()));
          const bname = typeof info === 'object' && info !== null && 'bname' in info && typeof info.bname === 'string' ? info.bname : brokerName;
          m.set(bname, info);
        }
      }
    }

    const key = liveKey(clusterName, brokerAddr);
    const prev = this.#brokerLiveTable.get(key);
    this.#brokerLiveTable.set(key, {
      clusterName,
      brokerAddr,
      lastUpdateTimestamp: this.#now(),
      heartbeatTimeoutMillis: input.heartbeatTimeoutMillis ?? DEFAULT_BROKER_CHANNEL_EXPIRED_TIME,
      dataVersion: { ...topicConfigWrapper.dataVersion },
      channel: input.channel,
      haServerAddr: input.haServerAddr,
    });
    if (!prev) this.#log?.info({ clusterName, brokerName, brokerId, brokerAddr, haServerAddr: input.haServerAddr }, 'new broker registered');

    if (input.filterServerList !== undefined) {
      if (input.filterServerList.length === 0) this.#filterServerTable.delete(key);
      else this.#filterServerTable.set(key, [...input.filterServerList]);
    }

    if (!isMaster) {
      const masterAddr = addrs[String(MASTER_ID)];
      if (masterAddr !== undefined) {
        const masterLive = this.#brokerLiveTable.get(liveKey(clusterName, masterAddr));
        if (masterLive) {
          result.haServerAddr = masterLive.haServerAddr;
          result.masterAddr = masterAddr;
        }
      }
    }
    return result;
  }

  /** UNREGISTER_BROKER, channel close and expiry all end here. Returns true if the broker was known. */
  unregisterBroker(ref: BrokerAddrRef): boolean {
    const { clusterName, brokerAddr, brokerName } = ref;
    const key = liveKey(clusterName, brokerAddr);
    const wasLive = this.#brokerLiveTable.delete(key);
    this.#filterServerTable.delete(key);

    let removeBrokerName = false;
    const bd = this.#brokerAddrTable.get(brokerName);
    if (bd) {
      for (const [id, addr] of Object.entries(bd.brokerAddrs)) if (addr === brokerAddr) delete bd.brokerAddrs[id];
      if (Object.keys(bd.brokerAddrs).length === 0) {
        this.#brokerAddrTable.delete(brokerName);
        removeBrokerName = true;
      }
    }
    if (removeBrokerName) {
      const names = this.#clusterAddrTable.get(clusterName);
      if (names) {
        names.delete(brokerName);
        if (names.size === 0) this.#clusterAddrTable.delete(clusterName);
      }
    }

    for (const [topic, qdm] of this.#topicQueueTable) {
      if (removeBrokerName) qdm.delete(brokerName);
      if (qdm.size === 0) {
        this.#topicQueueTable.delete(topic);
        continue;
      }
      // Acting-master mode: with the master gone, the remaining group stops taking writes.
      const qd = qdm.get(brokerName);
      const rest = this.#brokerAddrTable.get(brokerName);
      if (!removeBrokerName && qd && rest?.enableActingMaster && this.#noMasterExists(brokerName)) {
        qd.perm &= ~PermName.WRITE;
      }
    }
    if (wasLive || bd) this.#log?.info({ clusterName, brokerName, brokerAddr, removeBrokerName }, 'broker unregistered');
    return wasLive || bd !== undefined;
  }

  /** BROKER_HEARTBEAT / QUERY_DATA_VERSION: refresh the live timestamp. Returns false for an unknown broker. */
  updateBrokerInfoUpdateTimestamp(clusterName: string, brokerAddr: string): boolean {
    const live = this.#brokerLiveTable.get(liveKey(clusterName, brokerAddr));
    if (!live) return false;
    live.lastUpdateTimestamp = this.#now();
    return true;
  }

  queryBrokerTopicConfig(clusterName: string, brokerAddr: string): DataVersion | undefined {
    return this.#brokerLiveTable.get(liveKey(clusterName, brokerAddr))?.dataVersion;
  }

  isBrokerTopicConfigChanged(clusterName: string, brokerAddr: string, dataVersion: DataVersion): boolean {
    const prev = this.queryBrokerTopicConfig(clusterName, brokerAddr);
    return prev === undefined || !dataVersionEquals(prev, dataVersion);
  }

  /** Route for one topic, or undefined when it has no queue data or none of its brokers is known. */
  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const qdm = this.#topicQueueTable.get(topic);
    if (!qdm || qdm.size === 0) return undefined;
    const route: TopicRouteData = {
      queueDatas: [...qdm.values()].map((q) => ({ ...q })),
      brokerDatas: [],
      filterServerTable: {},
    };
    for (const brokerName of qdm.keys()) {
      const bd = this.#brokerAddrTable.get(brokerName);
      if (!bd) continue;
      const clone = cloneBrokerData(bd);
      route.brokerDatas.push(clone);
      if (this.#filterServerTable.size === 0) continue;
      for (const addr of Object.values(clone.brokerAddrs)) {
        const list = this.#filterServerTable.get(liveKey(clone.cluster, addr));
        if (list) route.filterServerTable[addr] = [...list];
      }
    }
    if (route.brokerDatas.length === 0) return undefined;

    const mapping = this.#topicQueueMappingInfoTable.get(topic);
    if (mapping) route.topicQueueMappingByBroker = Object.fromEntries(mapping);

    if (this.#supportActingMaster && !topic.startsWith(SYNC_BROKER_MEMBER_GROUP_PREFIX)) this.#applyActingMaster(route);
    return route;
  }

  getAllClusterInfo(): ClusterInfo {
    const ci: ClusterInfo = { brokerAddrTable: {}, clusterAddrTable: {} };
    for (const [name, bd] of this.#brokerAddrTable) ci.brokerAddrTable[name] = cloneBrokerData(bd);
    for (const [cluster, names] of this.#clusterAddrTable) ci.clusterAddrTable[cluster] = [...names];
    return ci;
  }

  /** REGISTER_TOPIC_IN_NAMESRV: ignored unless every QueueData names a known broker (Java stops at the first unknown). */
  registerTopic(topic: string, queueDatas: readonly QueueData[]): boolean {
    if (queueDatas.length === 0) return false;
    if (!queueDatas.every((q) => this.#brokerAddrTable.has(q.brokerName))) return false;
    let qdm = this.#topicQueueTable.get(topic);
    if (!qdm) this.#topicQueueTable.set(topic, (qdm = new Map()));
    for (const q of queueDatas) qdm.set(q.brokerName, { ...q });
    return true;
  }

  /** DELETE_TOPIC_IN_NAMESRV: from every broker, or only from the brokers of `clusterName`. */
  deleteTopic(topic: string, clusterName?: string): void {
    if (clusterName === undefined || clusterName === '') {
      this.#topicQueueTable.delete(topic);
      return;
    }
    const names = this.#clusterAddrTable.get(clusterName);
    const qdm = this.#topicQueueTable.get(topic);
    if (!names || !qdm) return;
    for (const n of names) qdm.delete(n);
    if (qdm.size === 0) this.#topicQueueTable.delete(topic);
  }

  /** WIPE_WRITE_PERM_OF_BROKER: clears the write bit on every topic of the broker; returns how many topics. */
  wipeWritePermOfBroker(brokerName: string): number {
    return this.#operateWritePerm(brokerName, (perm) => perm & ~PermName.WRITE);
  }

  /** ADD_WRITE_PERM_OF_BROKER: sets perm to READ|WRITE (as Java does) on every topic of the broker. */
  addWritePermOfBroker(brokerName: string): number {
    return this.#operateWritePerm(brokerName, () => PermName.READ | PermName.WRITE);
  }

  getAllTopicList(): TopicList {
    return { topicList: [...this.#topicQueueTable.keys()] };
  }

  getTopicsByCluster(cluster: string): TopicList {
    const names = this.#clusterAddrTable.get(cluster);
    const out = new Set<string>();
    if (names) for (const [topic, qdm] of this.#topicQueueTable) for (const n of names) if (qdm.has(n)) out.add(topic);
    return { topicList: [...out] };
  }

  /** Cluster names and broker names (every broker registers them as topics) plus one broker address. */
  getSystemTopicList(): TopicList {
    const tl: TopicList = { topicList: [] };
    for (const [cluster, names] of this.#clusterAddrTable) tl.topicList.push(cluster, ...names);
    for (const bd of this.#brokerAddrTable.values()) {
      const first = Object.values(bd.brokerAddrs)[0];
      if (first !== undefined) {
        tl.brokerAddr = first;
        break;
      }
    }
    return tl;
  }

  getUnitTopics(): TopicList {
    return this.#topicsBySysFlag((f) => (f & TopicSysFlag.UNIT) !== 0);
  }

  getHasUnitSubTopicList(): TopicList {
    return this.#topicsBySysFlag((f) => (f & TopicSysFlag.UNIT_SUB) !== 0);
  }

  getHasUnitSubUnUnitTopicList(): TopicList {
    return this.#topicsBySysFlag((f) => (f & TopicSysFlag.UNIT) === 0 && (f & TopicSysFlag.UNIT_SUB) !== 0);
  }

  /**
   * Remove every broker whose last update is older than its timeout; closes its channel. Returns the removed brokers.
   */
  scanNotActiveBroker(): BrokerAddrRef[] {
    const now = this.#now();
    const removed: BrokerAddrRef[] = [];
    for (const live of [...this.#brokerLiveTable.values()]) {
      if (live.lastUpdateTimestamp + live.heartbeatTimeoutMillis >= now) continue;
      this.#log?.warn({ brokerAddr: live.brokerAddr, silentMs: now - live.lastUpdateTimestamp }, 'broker expired');
      live.channel?.close('broker expired');
      this.#dropLive(live, removed);
    }
    return removed;
  }

  /** A connection closed: unregister every broker that registered over it. */
  onChannelDestroy(channelId: string): BrokerAddrRef[] {
    const removed: BrokerAddrRef[] = [];
    for (const live of [...this.#brokerLiveTable.values()]) {
      if (live.channel?.id !== channelId) continue;
      this.#dropLive(live, removed);
    }
    return removed;
  }

  /** Forget a live entry and unregister its broker, adding the broker to `removed` if it was registered. */
  #dropLive(live: BrokerLiveInfo, removed: BrokerAddrRef[]): void {
    const ref = this.#refOf(live.clusterName, live.brokerAddr);
    this.#brokerLiveTable.delete(liveKey(live.clusterName, live.brokerAddr));
    if (ref) {
      this.unregisterBroker(ref);
      removed.push(ref);
    }
  }

  /** Live broker entries (copies), for admin views and tests. */
  liveBrokers(): BrokerLiveInfo[] {
    return [...this.#brokerLiveTable.values()].map((l) => ({ ...l, dataVersion: { ...l.dataVersion } }));
  }

  get brokerCount(): number {
    return this.#brokerLiveTable.size;
  }

  get topicCount(): number {
    return this.#topicQueueTable.size;
  }

  #refOf(clusterName: string, brokerAddr: string): BrokerAddrRef | undefined {
    for (const bd of this.#brokerAddrTable.values()) {
      if (bd.cluster !== clusterName) continue;
      for (const [id, addr] of Object.entries(bd.brokerAddrs)) {
        if (addr === brokerAddr) return { clusterName, brokerAddr, brokerName: bd.brokerName, brokerId: Number(id) };
      }
    }
    return undefined;
  }

  #topicHasBroker(topic: string, brokerName: string): boolean {
    return this.#topicQueueTable.get(topic)?.has(brokerName) ?? false;
  }

  #createAndUpdateQueueData(brokerName: string, tc: TopicConfig): void {
    const qd: QueueData = {
      brokerName,
      readQueueNums: tc.readQueueNums,
      writeQueueNums: tc.writeQueueNums,
      perm: tc.perm,
      topicSysFlag: tc.topicSysFlag,
    };
    let qdm = this.#topicQueueTable.get(tc.topicName);
    if (!qdm) this.#topicQueueTable.set(tc.topicName, (qdm = new Map()));
    const existing = qdm.get(brokerName);
    if (!existing || !queueDataEquals(existing, qd)) qdm.set(brokerName, qd);
  }

  #operateWritePerm(brokerName: string, op: (perm: number) => number): number {
    let n = 0;
    for (const qdm of this.#topicQueueTable.values()) {
      const qd = qdm.get(brokerName);
      if (!qd) continue;
      qd.perm = op(qd.perm);
      n++;
    }
    return n;
  }

  #topicsBySysFlag(pred: (flag: number) => boolean): TopicList {
    const out: string[] = [];
    for (const [topic, qdm] of this.#topicQueueTable) {
      const first = qdm.values().next();
      if (!first.done && pred(first.value.topicSysFlag)) out.push(topic);
    }
    return { topicList: out };
  }

  #noMasterExists(brokerName: string): boolean {
    const bd = this.#brokerAddrTable.get(brokerName);
    if (!bd || Object.keys(bd.brokerAddrs).length === 0) return true;
    return minId(bd.brokerAddrs) > MASTER_ID;
  }

  #applyActingMaster(route: TopicRouteData): void {
    const needed = route.brokerDatas.some((b) => Object.keys(b.brokerAddrs).length > 0 && !(String(MASTER_ID) in b.brokerAddrs));
    if (!needed) return;
    for (const bd of route.brokerDatas) {
      if (Object.keys(bd.brokerAddrs).length === 0 || String(MASTER_ID) in bd.brokerAddrs || !bd.enableActingMaster) continue;
      const qd = route.queueDatas.find((q) => q.brokerName === bd.brokerName);
      if (qd && !isWriteable(qd.perm)) {
        const id = String(minId(bd.brokerAddrs));
        const addr = bd.brokerAddrs[id];
        delete bd.brokerAddrs[id];
        bd.brokerAddrs[String(MASTER_ID)] = addr;
      }
    }
  }
}

function minId(addrs: Readonly<Record<string, string>>): number {
  let m = Infinity;
  for (const k of Object.keys(addrs)) m = Math.min(m, Number(k));
  return m;
}

/** Seed a DataVersion for a registration that came without a body (Java: counter 0, timestamp 0). */
export function emptyTopicConfigWrapper(): TopicConfigSerializeWrapper {
  return { dataVersion: { ...newDataVersion(0) }, topicConfigTable: {} };
}
