// topics.json owner (PROTOCOL.md §4.4, §7.7, §11): system topics, TBW102 auto-create, retry/DLQ topics, DataVersion.
import type { BrokerConfig } from '../config/broker-config.ts';
import { errorMessage, ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { newDataVersion, nextDataVersion } from '../../remoting/protocol/body/data-version.ts';
import type { DataVersion } from '../../remoting/protocol/body/data-version.ts';
import {
  topicConfigSerializeWrapperFromJson,
  topicConfigSerializeWrapperToJson,
} from '../../remoting/protocol/body/topic-config-serialize-wrapper.ts';
import type { TopicConfigSerializeWrapper } from '../../remoting/protocol/body/topic-config-serialize-wrapper.ts';
import { loadConfigFile, toConfigJson, writeConfigFileAtomic } from '../config/config-file.ts';
import {
  PERM_READ_WRITE,
  PermName,
  cloneTopicConfig,
  isInherited,
  isReadable,
  isWriteable,
  newTopicConfig,
} from './topic-config.ts';
import type { TopicConfig } from './topic-config.ts';
import {
  REPLY_TOPIC_POSTFIX,
  SCHEDULE_TOPIC_QUEUE_NUM,
  SystemTopic,
  dlqTopic,
  isBaseSystemTopic,
  isNotAllowedSendTopic,
  retryTopic,
} from './topic-validator.ts';

export interface TopicConfigManagerOptions {
  /** Live broker config (read at call time, so UPDATE_BROKER_CONFIG takes effect). */
  brokerConfig: BrokerConfig;
  /** Full path of topics.json (see brokerConfigFilePath). */
  configPath: string;
  now?: () => number;
  logger?: Logger;
  /**
   * Changes within this window share one topics.json write (default 100 ms; 0 = write on every change). Writing the
   * whole table + fsync per created topic made creating n topics O(n²) (5,000 topics took ~90 s). persist() and
   * flush() still write synchronously.
   */
  persistDelayMs?: number;
}

/** Default coalescing window of topics.json writes. */
export const DEFAULT_TOPICS_PERSIST_DELAY_MS = 100;

export type TopicChangeKind = 'create' | 'update' | 'delete';

export interface TopicChangeEvent {
  kind: TopicChangeKind;
  topic: string;
  /** The new config (undefined for delete). */
  topicConfig: Readonly<TopicConfig> | undefined;
  dataVersion: DataVersion;
}

/** Java: retry topics get 1 queue (SubscriptionGroupConfig.retryQueueNums), DLQ topics 1 queue; both perm 6. */
const DLQ_NUMS_PER_GROUP = 1;
const PERM_RW = PERM_READ_WRITE;

function invalid(remark: string): never {
  throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, remark, { responseCode: ResponseCode.INVALID_PARAMETER });
}

export class TopicConfigManager {
  readonly configPath: string;
  readonly #brokerConfig: BrokerConfig;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #table = new Map<string, TopicConfig>();
  #dataVersion: DataVersion;
  /** Per-broker system topics (cluster name, broker name, reply topic, trace topic) besides the fixed ones. */
  readonly #extraSystemTopics = new Set<string>();
  readonly #listeners = new Set<(e: TopicChangeEvent) => void>();
  readonly #persistDelayMs: number;
  #persistTimer: ReturnType<typeof setTimeout> | undefined;
  #dirty = false;

  constructor(options: TopicConfigManagerOptions) {
    this.configPath = options.configPath;
    this.#persistDelayMs = options.persistDelayMs ?? DEFAULT_TOPICS_PERSIST_DELAY_MS;
    this.#brokerConfig = options.brokerConfig;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#dataVersion = newDataVersion(this.#now());
    this.#initSystemTopics();
  }

  #initSystemTopics(): void {
    const bc = this.#brokerConfig;
    const put = (name: string, fields: Partial<Omit<TopicConfig, 'topicName'>>): void => {
      this.#table.set(name, newTopicConfig(name, fields));
    };
    const system = (name: string): string => {
      this.#extraSystemTopics.add(name);
      return name;
    };
    put(SystemTopic.SELF_TEST_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
    if (bc.autoCreateTopicEnable) {
      put(SystemTopic.AUTO_CREATE_TOPIC_KEY_TOPIC, {
        readQueueNums: bc.defaultTopicQueueNums,
        writeQueueNums: bc.defaultTopicQueueNums,
        perm: PermName.INHERIT | PERM_RW,
      });
    }
    put(SystemTopic.BENCHMARK_TOPIC, { readQueueNums: 1024, writeQueueNums: 1024 });
    put(system(bc.brokerClusterName), { perm: PermName.INHERIT | (bc.clusterTopicEnable ? PERM_RW : 0) });
    put(system(bc.brokerName), {
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: PermName.INHERIT | (bc.brokerTopicEnable ? PERM_RW : 0),
    });
    put(SystemTopic.OFFSET_MOVED_EVENT, { readQueueNums: 1, writeQueueNums: 1 });
    put(SystemTopic.SCHEDULE_TOPIC, { readQueueNums: SCHEDULE_TOPIC_QUEUE_NUM, writeQueueNums: SCHEDULE_TOPIC_QUEUE_NUM });
    if (bc.traceTopicEnable) put(system(bc.msgTraceTopicName), { readQueueNums: 1, writeQueueNums: 1 });
    put(system(`${bc.brokerClusterName}_${REPLY_TOPIC_POSTFIX}`), { readQueueNums: 1, writeQueueNums: 1 });
    put(SystemTopic.TRANS_HALF_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
    put(SystemTopic.TRANS_OP_HALF_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
  }

  /** Loads topics.json (falling back to .bak); file entries override the built-in system topics. */
  load(): 'main' | 'bak' | 'none' {
    const loaded = loadConfigFile(this.configPath, (json) => topicConfigSerializeWrapperFromJson(json, 'topics.json'), this.#logger);
    if (loaded === undefined) return 'none';
    for (const tc of Object.values(loaded.value.topicConfigTable)) this.#table.set(tc.topicName, tc);
    this.#dataVersion = { ...loaded.value.dataVersion };
    return loaded.source;
  }

  /** Writes topics.json atomically (previous copy → .bak) now, including changes waiting for the coalesced write. */
  persist(): void {
    this.#cancelPendingPersist();
    writeConfigFileAtomic(this.configPath, this.encode());
  }

  /** Changes not yet written to topics.json (a coalesced write is scheduled). */
  get persistPending(): boolean {
    return this.#dirty;
  }

  /** Writes pending changes now (no-op when nothing is pending); errors are logged, not thrown. */
  flush(): void {
    if (this.#dirty) this.#persistQuietly();
  }

  /** Writes pending changes and stops the coalescing timer (call on shutdown when not calling persist()). */
  shutdown(): void {
    this.flush();
    this.#cancelPendingPersist();
  }

  /** topics.json text: `{"dataVersion":…,"topicConfigTable":…}`, tab-indented like Java's pretty output. */
  encode(): string {
    return toConfigJson(topicConfigSerializeWrapperToJson(this.#wrapper(undefined)));
  }

  /** Current DataVersion (a copy). */
  get dataVersion(): DataVersion {
    return { ...this.#dataVersion };
  }

  /** Bumps the DataVersion so the next REGISTER_BROKER makes namesrv re-read topics (e.g. after a brokerPermission change). */
  updateDataVersion(): void {
    this.#dataVersion = nextDataVersion(this.#dataVersion, this.#now());
  }

  onChange(listener: (e: TopicChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  selectTopicConfig(topic: string): Readonly<TopicConfig> | undefined {
    return this.#table.get(topic);
  }

  containsTopic(topic: string): boolean {
    return this.#table.has(topic);
  }

  topicNames(): string[] {
    return [...this.#table.keys()];
  }

  allTopicConfigs(): Readonly<TopicConfig>[] {
    return [...this.#table.values()];
  }

  /** System topic: the fixed list, `rmq_sys_*`, and this broker's cluster/broker-name/reply/trace topics. */
  isSystemTopic(topic: string): boolean {
    return isBaseSystemTopic(topic) || this.#extraSystemTopics.has(topic);
  }

  /** Sending to this topic is refused with 16 NO_PERMISSION. */
  isNotAllowedSendTopic(topic: string): boolean {
    return isNotAllowedSendTopic(topic);
  }

  isOrderTopic(topic: string): boolean {
    return this.#table.get(topic)?.order ?? false;
  }

  /**
   * SEND to an unknown topic: create it from `defaultTopic` (normally TBW102) if that topic exists and has the inherit
   * perm; queues = min(clientDefaultTopicQueueNums, default's writeQueueNums), perm = default perm without inherit.
   * Returns the existing config if the topic exists, undefined if it cannot be created.
   */
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    remoteAddress: string,
    clientDefaultTopicQueueNums: number,
    topicSysFlag = 0,
  ): Readonly<TopicConfig> | undefined {
    const existing = this.#table.get(topic);
    if (existing !== undefined) return existing;
    const def = this.#table.get(defaultTopic);
    if (def === undefined) {
      this.#logger?.warn({ topic, defaultTopic, producer: remoteAddress }, 'cannot create topic: default topic does not exist');
      return undefined;
    }
    let defPerm = def.perm;
    if (defaultTopic === SystemTopic.AUTO_CREATE_TOPIC_KEY_TOPIC && !this.#brokerConfig.autoCreateTopicEnable) defPerm = PERM_RW;
    if (!isInherited(defPerm)) {
      this.#logger?.warn({ topic, defaultTopic, perm: defPerm, producer: remoteAddress }, 'cannot create topic: default topic has no inherit perm');
      return undefined;
    }
    const queueNums = Math.max(0, Math.min(clientDefaultTopicQueueNums, def.writeQueueNums));
    const tc = newTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: defPerm & ~PermName.INHERIT,
      topicSysFlag,
      topicFilterType: def.topicFilterType,
    });
    this.#logger?.info({ topic, defaultTopic, producer: remoteAddress, queueNums }, 'auto-created topic');
    return this.#create(tc);
  }

  /** Creates `topic` with the given queues/perm if absent (retry, DLQ and other broker-made topics). */
  createTopicInSendMessageBackMethod(
    topic: string,
    queueNums: number,
    perm: number,
    topicSysFlag = 0,
    order?: boolean,
  ): Readonly<TopicConfig> {
    const existing = this.#table.get(topic);
    if (existing !== undefined) {
      if (order !== undefined && existing.order !== order) {
        const updated = { ...cloneTopicConfig(existing), order };
        this.updateTopicConfig(updated);
        return this.#table.get(topic) ?? updated;
      }
      return existing;
    }
    return this.#create(newTopicConfig(topic, { readQueueNums: queueNums, writeQueueNums: queueNums, perm, topicSysFlag, order: order ?? false }));
  }

  /** `%RETRY%<group>` with `retryQueueNums` queues (1 by default), perm 6. */
  createTopicOfRetry(group: string, retryQueueNums = 1, order?: boolean): Readonly<TopicConfig> {
    return this.createTopicInSendMessageBackMethod(retryTopic(group), retryQueueNums, PERM_RW, 0, order);
  }

  /** `%DLQ%<group>`, 1 queue, perm 6. */
  createTopicOfDLQ(group: string): Readonly<TopicConfig> {
    return this.createTopicInSendMessageBackMethod(dlqTopic(group), DLQ_NUMS_PER_GROUP, PERM_RW, 0);
  }

  /** TRANS_CHECK_MAX_TIME_TOPIC (created on first use by the transaction checker). */
  createTopicOfTranCheckMaxTime(queueNums = 1, perm: number = PERM_RW): Readonly<TopicConfig> {
    return this.createTopicInSendMessageBackMethod(SystemTopic.TRANS_CHECK_MAX_TIME_TOPIC, queueNums, perm, 0);
  }

  /** Adds the topic unless it exists; returns whichever config is now stored. */
  createTopicIfAbsent(tc: TopicConfig): Readonly<TopicConfig> {
    return this.#table.get(tc.topicName) ?? this.#create(cloneTopicConfig(tc));
  }

  /**
   * UPDATE_AND_CREATE_TOPIC: create or replace. Queue counts must be 0…65535 and perm 0…15, else RocketMQError with
   * responseCode 29. Name rules and system-topic checks are the caller's (validateTopic / isSystemTopic).
   */
  updateTopicConfig(tc: TopicConfig): Readonly<TopicConfig> {
    for (const [k, v] of [['readQueueNums', tc.readQueueNums], ['writeQueueNums', tc.writeQueueNums]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 65535) invalid(`${k} ${v} is out of range [0, 65535]`);
    }
    if (!Number.isInteger(tc.perm) || tc.perm < 0 || tc.perm > 15) invalid(`perm ${tc.perm} is out of range [0, 15]`);
    const copy = cloneTopicConfig(tc);
    const kind: TopicChangeKind = this.#table.has(tc.topicName) ? 'update' : 'create';
    this.#table.set(tc.topicName, copy);
    this.#changed(kind, tc.topicName, copy);
    return copy;
  }

  /** Marks the listed topics as order topics (ORDER_TOPIC_CONFIG KV table from namesrv). */
  updateOrderTopicConfig(orderTopics: Iterable<string>): void {
    let changed = false;
    for (const topic of orderTopics) {
      const tc = this.#table.get(topic);
      if (tc !== undefined && !tc.order) {
        tc.order = true;
        changed = true;
      }
    }
    if (changed) {
      this.updateDataVersion();
      this.#schedulePersist();
    }
  }

  /** DELETE_TOPIC_IN_BROKER. Returns false if the topic did not exist. */
  deleteTopicConfig(topic: string): boolean {
    if (!this.#table.delete(topic)) return false;
    this.#changed('delete', topic, undefined);
    return true;
  }

  /**
   * The TopicConfigSerializeWrapper for REGISTER_BROKER / GET_ALL_TOPIC_CONFIG (copies; encode with the shared body
   * codecs, e.g. serializeTopicConfigSerializeWrapper / serializeRegisterBrokerBody). When `brokerPermission` lacks read or write, every topic is
   * advertised with that perm instead of its own (Java registerBrokerAll).
   */
  buildSerializeWrapper(options: { brokerPermission?: number } = {}): TopicConfigSerializeWrapper {
    return this.#wrapper(options.brokerPermission);
  }

  #wrapper(brokerPermission: number | undefined): TopicConfigSerializeWrapper {
    const override =
      brokerPermission !== undefined && (!isReadable(brokerPermission) || !isWriteable(brokerPermission))
        ? brokerPermission
        : undefined;
    const topicConfigTable: Record<string, TopicConfig> = {};
    for (const [name, tc] of this.#table) {
      const copy = cloneTopicConfig(tc);
      if (override !== undefined) copy.perm = override;
      Object.defineProperty(topicConfigTable, name, { value: copy, enumerable: true, writable: true, configurable: true });
    }
    return { dataVersion: { ...this.#dataVersion }, topicConfigTable };
  }

  #create(tc: TopicConfig): TopicConfig {
    this.#table.set(tc.topicName, tc);
    this.#changed('create', tc.topicName, tc);
    return tc;
  }

  #changed(kind: TopicChangeKind, topic: string, tc: TopicConfig | undefined): void {
    this.updateDataVersion();
    this.#schedulePersist();
    const event: TopicChangeEvent = { kind, topic, topicConfig: tc, dataVersion: { ...this.#dataVersion } };
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (e) {
        this.#logger?.error({ err: errorMessage(e), topic }, 'topic change listener failed');
      }
    }
  }

  /** One topics.json write per window however many changes it holds; the first change of a window starts the timer. */
  #schedulePersist(): void {
    if (this.#persistDelayMs <= 0) {
      this.#persistQuietly();
      return;
    }
    this.#dirty = true;
    if (this.#persistTimer !== undefined) return;
    this.#persistTimer = setTimeout(() => {
      this.#persistTimer = undefined;
      this.flush();
    }, this.#persistDelayMs);
    // The broker persists on shutdown; a pending write must not keep a process alive on its own.
    this.#persistTimer.unref?.();
  }

  #cancelPendingPersist(): void {
    this.#dirty = false;
    if (this.#persistTimer !== undefined) {
      clearTimeout(this.#persistTimer);
      this.#persistTimer = undefined;
    }
  }

  #persistQuietly(): void {
    try {
      this.persist();
    } catch (e) {
      this.#logger?.error({ err: errorMessage(e), path: this.configPath }, 'failed to persist topics.json');
    }
  }
}
