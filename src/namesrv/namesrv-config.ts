// NameServer configuration with Java's keys (NamesrvConfig + the NettyServerConfig keys a namesrv file may carry),
// loadable from a .properties file like `mqnamesrv -c namesrv.properties`.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES, RocketMQError } from '../common/errors.ts';
import { readPropertiesFile } from '../common/properties-file.ts';

export interface NamesrvConfig {
  rocketmqHome: string;
  kvConfigPath: string;
  configStorePath: string;
  productEnvName: string;
  clusterTest: boolean;
  orderMessageEnable: boolean;
  returnOrderTopicConfigToBroker: boolean;
  clientRequestThreadPoolNums: number;
  defaultThreadPoolNums: number;
  clientRequestThreadPoolQueueCapacity: number;
  defaultThreadPoolQueueCapacity: number;
  scanNotActiveBrokerInterval: number;
  unRegisterBrokerQueueCapacity: number;
  supportActingMaster: boolean;
  enableAllTopicList: boolean;
  enableTopicList: boolean;
  notifyMinBrokerIdChanged: boolean;
  enableControllerInNamesrv: boolean;
  needWaitForService: boolean;
  waitSecondsForService: number;
  deleteTopicWithBrokerRegistration: boolean;
  configBlackList: string;
  // NettyServerConfig keys
  listenPort: number;
  bindAddress: string;
  serverChannelMaxIdleTimeSeconds: number;
}

export function defaultNamesrvConfig(): NamesrvConfig {
  const home = homedir();
  return {
    rocketmqHome: process.env.ROCKETMQ_HOME ?? '',
    kvConfigPath: join(home, 'namesrv', 'kvConfig.json'),
    configStorePath: join(home, 'namesrv', 'namesrv.properties'),
    productEnvName: 'center',
    clusterTest: false,
    orderMessageEnable: false,
    returnOrderTopicConfigToBroker: true,
    clientRequestThreadPoolNums: 8,
    defaultThreadPoolNums: 16,
    clientRequestThreadPoolQueueCapacity: 50000,
    defaultThreadPoolQueueCapacity: 10000,
    scanNotActiveBrokerInterval: 5000,
    unRegisterBrokerQueueCapacity: 3000,
    supportActingMaster: false,
    enableAllTopicList: true,
    enableTopicList: true,
    notifyMinBrokerIdChanged: false,
    enableControllerInNamesrv: false,
    needWaitForService: false,
    waitSecondsForService: 45,
    deleteTopicWithBrokerRegistration: false,
    configBlackList: 'configBlackList;configStorePath;kvConfigPath',
    listenPort: 9876,
    bindAddress: '0.0.0.0',
    serverChannelMaxIdleTimeSeconds: 120,
  };
}

/** Keys that UPDATE_NAMESRV_CONFIG may never change (Java's fixed list plus `configBlackList` itself). */
export function configBlackList(config: NamesrvConfig): Set<string> {
  const out = new Set(['configBlackList', 'configStorePath', 'kvConfigPath', 'rocketmqHome']);
  for (const k of config.configBlackList.split(';')) if (k.trim() !== '') out.add(k.trim());
  return out;
}

export interface ApplyResult {
  /** Keys applied. */
  applied: string[];
  /** Keys that are not NameServer settings (ignored, as Java ignores them). */
  unknown: string[];
}

/**
 * Apply string properties onto `config` in place, coercing each to the type of its default. A malformed number or
 * boolean is a RocketMQError(CONFIG) naming the key; unknown keys are reported, not applied.
 */
export function applyNamesrvProperties(config: NamesrvConfig, props: Readonly<Record<string, string>>): ApplyResult {
  const res: ApplyResult = { applied: [], unknown: [] };
  const target = config as unknown as Record<string, string | number | boolean>;
  const coerced: Record<string, string | number | boolean> = {};
  for (const [key, raw] of Object.entries(props)) {
    if (!Object.prototype.hasOwnProperty.call(target, key)) {
      res.unknown.push(key);
      continue;
    }
    coerced[key] = coerce(key, raw.trim(), typeof target[key]);
  }
  for (const [key, v] of Object.entries(coerced)) {
    target[key] = v;
    res.applied.push(key);
  }
  return res;
}

function coerce(key: string, raw: string, kind: string): string | number | boolean {
  if (kind === 'number') {
    if (!/^[+-]?\d+$/.test(raw)) throw new RocketMQError(ERROR_CODES.CONFIG, `config '${key}' must be an integer, got '${raw}'`);
    return Number(raw);
  }
  if (kind === 'boolean') {
    const l = raw.toLowerCase();
    if (l !== 'true' && l !== 'false') throw new RocketMQError(ERROR_CODES.CONFIG, `config '${key}' must be true or false, got '${raw}'`);
    return l === 'true';
  }
  return raw;
}

/** Defaults, then the properties file (if any), then explicit overrides. */
export function loadNamesrvConfig(file?: string, overrides: Partial<NamesrvConfig> = {}): { config: NamesrvConfig; unknown: string[] } {
  const config = defaultNamesrvConfig();
  let unknown: string[] = [];
  if (file !== undefined) {
    let props: Record<string, string>;
    try {
      props = readPropertiesFile(file);
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.CONFIG, `cannot read config file ${file}: ${(e as Error).message}`, { cause: e });
    }
    unknown = applyNamesrvProperties(config, props).unknown;
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (config as unknown as Record<string, unknown>)[k] = v;
  validateNamesrvConfig(config);
  return { config, unknown };
}

export function validateNamesrvConfig(config: NamesrvConfig): void {
  if (!Number.isInteger(config.listenPort) || config.listenPort < 0 || config.listenPort > 65535) {
    throw new RocketMQError(ERROR_CODES.CONFIG, `listenPort must be 0..65535, got ${config.listenPort}`);
  }
  if (config.scanNotActiveBrokerInterval <= 0) {
    throw new RocketMQError(ERROR_CODES.CONFIG, `scanNotActiveBrokerInterval must be > 0, got ${config.scanNotActiveBrokerInterval}`);
  }
}

/** Every setting as strings (the GET_NAMESRV_CONFIG body and the persisted namesrv.properties). */
export function namesrvConfigToProperties(config: NamesrvConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = String(v);
  return out;
}
