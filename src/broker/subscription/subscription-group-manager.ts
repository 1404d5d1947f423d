// subscriptionGroup.json owner (PROTOCOL.md §4.10, §7.7): group configs, auto-create, system groups, DataVersion.
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { BrokerConfig } from '../config/broker-config.ts';
import { loadConfigFile, toConfigJson, writeConfigFileAtomic } from '../config/config-file.ts';
import { dataVersionFromJson, dataVersionToJson, newDataVersion, nextDataVersion } from '../../remoting/protocol/body/data-version.ts';
import type { DataVersion } from '../../remoting/protocol/body/data-version.ts';
import { validateGroup } from '../topic/topic-validator.ts';
import { newSubscriptionGroupConfig, subscriptionGroupConfigToJson } from '../../remoting/protocol/body/subscription-group-config.ts';
import type { SubscriptionGroupConfig } from '../../remoting/protocol/body/subscription-group-config.ts';
import { cloneSubscriptionGroupConfig, subscriptionGroupConfigFromJson } from './subscription-group-config.ts';

/** Fixed group names (Java MixAll). */
export const SystemGroup = {
  TOOLS_CONSUMER: 'TOOLS_CONSUMER',
  FILTERSRV_CONSUMER: 'FILTERSRV_CONSUMER',
  SELF_TEST_CONSUMER: 'SELF_TEST_C_GROUP',
  ONS_HTTP_PROXY: 'CID_ONS-HTTP-PROXY',
  ONSAPI_PULL: 'CID_ONSAPI_PULL',
  ONSAPI_PERMISSION: 'CID_ONSAPI_PERMISSION',
  ONSAPI_OWNER: 'CID_ONSAPI_OWNER',
  /** Internal group for transaction half/op offsets. */
  SYS_RMQ_TRANS: 'CID_RMQ_SYS_TRANS',
  DEFAULT_CONSUMER: 'DEFAULT_CONSUMER',
  SCHEDULE_CONSUMER: 'SCHEDULE_CONSUMER',
  MONITOR_CONSUMER: '__MONITOR_CONSUMER',
  /** Producer group every client lists in its heartbeat. */
  CLIENT_INNER_PRODUCER: 'CLIENT_INNER_PRODUCER',
  SELF_TEST_PRODUCER: 'SELF_TEST_P_GROUP',
  DEFAULT_PRODUCER: 'DEFAULT_PRODUCER',
} as const;

export const CID_RMQ_SYS_PREFIX = 'CID_RMQ_SYS_';

const BUILT_IN_GROUPS: readonly string[] = [
  SystemGroup.TOOLS_CONSUMER,
  SystemGroup.FILTERSRV_CONSUMER,
  SystemGroup.SELF_TEST_CONSUMER,
  SystemGroup.ONS_HTTP_PROXY,
  SystemGroup.ONSAPI_PULL,
  SystemGroup.ONSAPI_PERMISSION,
  SystemGroup.ONSAPI_OWNER,
  SystemGroup.SYS_RMQ_TRANS,
];

/** Groups created at start, or named `CID_RMQ_SYS_*`. */
export function isSystemConsumerGroup(group: string): boolean {
  return BUILT_IN_GROUPS.includes(group) || group.startsWith(CID_RMQ_SYS_PREFIX);
}

export interface SubscriptionGroupManagerOptions {
  brokerConfig: BrokerConfig;
  /** Full path of subscriptionGroup.json. */
  configPath: string;
  now?: () => number;
  logger?: Logger;
}

/** SubscriptionGroupWrapper JSON (file and GET_ALL_SUBSCRIPTIONGROUP_CONFIG body). */
export interface SubscriptionGroupWrapper {
  dataVersion: Record<string, number>;
  forbiddenTable: Record<string, Record<string, number>>;
  subscriptionGroupTable: Record<string, Record<string, unknown>>;
}

function defineKey<T>(o: Record<string, T>, k: string, v: T): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export class SubscriptionGroupManager {
  readonly configPath: string;
  readonly #brokerConfig: BrokerConfig;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #table = new Map<string, SubscriptionGroupConfig>();
  /** group → topic → forbidden bit set. */
  readonly #forbidden = new Map<string, Map<string, number>>();
  #dataVersion: DataVersion;

  constructor(options: SubscriptionGroupManagerOptions) {
    this.configPath = options.configPath;
    this.#brokerConfig = options.brokerConfig;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#dataVersion = newDataVersion(this.#now());
    for (const g of BUILT_IN_GROUPS) this.#table.set(g, newSubscriptionGroupConfig(g));
  }

  load(): 'main' | 'bak' | 'none' {
    const loaded = loadConfigFile(this.configPath, decodeSubscriptionGroupJson, this.#logger);
    if (loaded === undefined) return 'none';
    for (const c of loaded.value.groups) this.#table.set(c.groupName, c);
    for (const [g, m] of loaded.value.forbidden) this.#forbidden.set(g, m);
    if (loaded.value.dataVersion !== undefined) this.#dataVersion = loaded.value.dataVersion;
    return loaded.source;
  }

  persist(): void {
    writeConfigFileAtomic(this.configPath, this.encode(true));
  }

  /** Wrapper JSON; pretty (tabs) for the file, compact for a response body. */
  encode(pretty = false): string {
    const w = this.toWrapper();
    return pretty ? toConfigJson(w) : JSON.stringify(w);
  }

  toWrapper(): SubscriptionGroupWrapper {
    const forbiddenTable: Record<string, Record<string, number>> = {};
    for (const [g, m] of this.#forbidden) defineKey(forbiddenTable, g, Object.fromEntries(m));
    const subscriptionGroupTable: Record<string, Record<string, unknown>> = {};
    for (const [g, c] of this.#table) defineKey(subscriptionGroupTable, g, subscriptionGroupConfigToJson(c));
    return { dataVersion: dataVersionToJson(this.#dataVersion), forbiddenTable, subscriptionGroupTable };
  }

  /** Current DataVersion (a copy). */
  get dataVersion(): DataVersion {
    return { ...this.#dataVersion };
  }

  /** The group's config without creating it. */
  selectSubscriptionGroupConfig(group: string): Readonly<SubscriptionGroupConfig> | undefined {
    return this.#table.get(group);
  }

  containsSubscriptionGroup(group: string): boolean {
    return this.#table.has(group);
  }

  /**
   * The group's config, auto-created with defaults when autoCreateSubscriptionGroup is on (or for `CID_RMQ_SYS_*`
   * groups when enableCreateSysGroup is on) and the name is valid. Undefined otherwise (→ 26 SUBSCRIPTION_GROUP_NOT_EXIST).
   */
  findSubscriptionGroupConfig(group: string): Readonly<SubscriptionGroupConfig> | undefined {
    const existing = this.#table.get(group);
    if (existing !== undefined) return existing;
    const bc = this.#brokerConfig;
    const mayCreate = bc.autoCreateSubscriptionGroup || (bc.enableCreateSysGroup && group.startsWith(CID_RMQ_SYS_PREFIX));
    if (!mayCreate || !validateGroup(group).valid) return undefined;
    const created = newSubscriptionGroupConfig(group);
    this.#table.set(group, created);
    this.#logger?.info({ group }, 'auto-created subscription group');
    this.#changed();
    return created;
  }

  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: create or replace (name validated → RocketMQError responseCode 29). */
  updateSubscriptionGroupConfig(config: SubscriptionGroupConfig): Readonly<SubscriptionGroupConfig> {
    const v = validateGroup(config.groupName);
    if (!v.valid) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, v.remark, { responseCode: 29 });
    const copy = cloneSubscriptionGroupConfig(config);
    this.#table.set(copy.groupName, copy);
    this.#changed();
    return copy;
  }

  /** DELETE_SUBSCRIPTIONGROUP. Returns false if the group was unknown. */
  deleteSubscriptionGroupConfig(group: string): boolean {
    if (!this.#table.delete(group)) return false;
    this.#forbidden.delete(group);
    this.#changed();
    return true;
  }

  disableConsume(group: string): void {
    const c = this.#table.get(group);
    if (c === undefined) return;
    c.consumeEnable = false;
    this.#changed();
  }

  groupNames(): string[] {
    return [...this.#table.keys()];
  }

  allSubscriptionGroupConfigs(): Readonly<SubscriptionGroupConfig>[] {
    return [...this.#table.values()];
  }

  getForbidden(group: string, topic: string): number {
    const v = this.#forbidden.get(group)?.get(topic) ?? 0;
    return v < 0 ? 0 : v;
  }

  /** Sets or clears bit `index` of the group's forbidden mask for `topic`. */
  updateForbidden(group: string, topic: string, index: number, set: boolean): void {
    const old = this.getForbidden(group, topic);
    const next = set ? old | (1 << index) : old & ~(1 << index);
    let m = this.#forbidden.get(group);
    if (next <= 0) {
      m?.delete(topic);
      if (m !== undefined && m.size === 0) this.#forbidden.delete(group);
    } else {
      if (m === undefined) {
        m = new Map();
        this.#forbidden.set(group, m);
      }
      m.set(topic, next);
    }
    this.#changed();
  }

  #changed(): void {
    this.#dataVersion = nextDataVersion(this.#dataVersion, this.#now());
    try {
      this.persist();
    } catch (e) {
      this.#logger?.error({ err: errorMessage(e), path: this.configPath }, 'failed to persist subscriptionGroup.json');
    }
  }
}

interface DecodedGroups {
  groups: SubscriptionGroupConfig[];
  forbidden: Map<string, Map<string, number>>;
  dataVersion: DataVersion | undefined;
}

function objectOrEmpty(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `${what} is not an object`);
  }
  return v as Record<string, unknown>;
}

/** Decodes subscriptionGroup.json (SubscriptionGroupWrapper). */
export function decodeSubscriptionGroupJson(json: unknown): DecodedGroups {
  const o = objectOrEmpty(json, 'subscriptionGroup.json');
  if (json === null || json === undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'subscriptionGroup.json is empty');
  const groups = Object.entries(objectOrEmpty(o.subscriptionGroupTable, 'subscriptionGroupTable')).map(([g, v]) =>
    subscriptionGroupConfigFromJson(v, g),
  );
  const forbidden = new Map<string, Map<string, number>>();
  for (const [g, topics] of Object.entries(objectOrEmpty(o.forbiddenTable, 'forbiddenTable'))) {
    const m = new Map<string, number>();
    for (const [t, v] of Object.entries(objectOrEmpty(topics, 'forbiddenTable entry'))) {
      if (typeof v === 'number' && Number.isInteger(v) && v > 0) m.set(t, v);
    }
    if (m.size > 0) forbidden.set(g, m);
  }
  const dataVersion = o.dataVersion === undefined || o.dataVersion === null ? undefined : dataVersionFromJson(o.dataVersion);
  return { groups, forbidden, dataVersion };
}
