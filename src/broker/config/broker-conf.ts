// broker.conf (Java .properties) ⇄ {BrokerConfig, MessageStoreConfig}; also the GET/UPDATE_BROKER_CONFIG (26/25)
// bodies. A key is routed to every config that defines it; its value is coerced by the type of that key's default.
import { readFileSync } from 'node:fs';
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { defaultMessageStoreConfig } from '../../store/config/message-store-config.ts';
import type { MessageStoreConfig } from '../../store/config/message-store-config.ts';
import { BrokerRole, defaultBrokerConfig } from './broker-config.ts';
import type { BrokerConfig } from './broker-config.ts';
import { parseProperties, stringifyProperties } from '../../common/properties-file.ts';

export interface BrokerConfigs {
  brokerConfig: BrokerConfig;
  messageStoreConfig: MessageStoreConfig;
}

export interface LoadedBrokerConf extends BrokerConfigs {
  /** Keys that no config knows, in file order (the caller logs a warning; they are ignored). */
  unknownKeys: string[];
}

type ConfigValue = string | number | boolean;

/** Allowed values of string keys that are enums in Java. */
const CHOICES: Readonly<Record<string, readonly string[]>> = {
  brokerRole: Object.values(BrokerRole),
  flushDiskType: ['ASYNC_FLUSH', 'SYNC_FLUSH'],
};

/** Inclusive ranges of numeric keys where a wrong value would break the broker. */
const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  listenPort: [0, 65535],
  brokerId: [0, Number.MAX_SAFE_INTEGER],
  brokerPermission: [0, 15],
  defaultTopicQueueNums: [1, 65535],
  registerNameServerPeriod: [1, Number.MAX_SAFE_INTEGER],
  flushConsumerOffsetInterval: [1, Number.MAX_SAFE_INTEGER],
  channelExpiredTimeout: [1, Number.MAX_SAFE_INTEGER],
  maxMessageSize: [1, 2 ** 31 - 1],
};

function badValue(key: string, raw: string, expected: string, where: string): never {
  throw new RocketMQError(ERROR_CODES.CONFIG, `${where}invalid value for ${key}: ${JSON.stringify(raw)} (expected ${expected})`, {
    responseCode: ResponseCode.INVALID_PARAMETER,
  });
}

/** Coerces a properties string by the type of the key's default value; throws RocketMQError CONFIG naming the key. */
export function coerceConfigValue(key: string, raw: string, defaultValue: ConfigValue, where = ''): ConfigValue {
  const v = raw.trim();
  if (typeof defaultValue === 'boolean') {
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    return badValue(key, raw, 'true or false', where);
  }
  if (typeof defaultValue === 'number') {
    const integer = Number.isInteger(defaultValue);
    const ok = integer ? /^[+-]?\d+$/.test(v) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v);
    const n = Number(v);
    if (!ok || !Number.isFinite(n) || (integer && !Number.isSafeInteger(n))) {
      return badValue(key, raw, integer ? 'an integer' : 'a number', where);
    }
    const range = RANGES[key];
    if (range !== undefined && (n < range[0] || n > range[1])) {
      return badValue(key, raw, `a number in [${range[0]}, ${range[1]}]`, where);
    }
    return n;
  }
  const choices = CHOICES[key];
  if (choices !== undefined && !choices.includes(v)) return badValue(key, raw, `one of ${choices.join(', ')}`, where);
  return v;
}

function hasKey(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

interface ParsedAssignments {
  broker: Record<string, ConfigValue>;
  store: Record<string, ConfigValue>;
  unknownKeys: string[];
}

function assign(
  text: string,
  brokerDefaults: BrokerConfig,
  storeDefaults: MessageStoreConfig,
  source: string,
): ParsedAssignments {
  const out: ParsedAssignments = { broker: {}, store: {}, unknownKeys: [] };
  const b = brokerDefaults as unknown as Record<string, ConfigValue>;
  const s = storeDefaults as unknown as Record<string, ConfigValue>;
  const where = source === '' ? '' : `${source}: `;
  for (const [key, value] of Object.entries(parseProperties(text))) {
    let known = false;
    if (hasKey(b, key)) {
      out.broker[key] = coerceConfigValue(key, value, b[key] as ConfigValue, where);
      known = true;
    }
    if (hasKey(s, key)) {
      out.store[key] = coerceConfigValue(key, value, s[key] as ConfigValue, where);
      known = true;
    }
    if (!known && !out.unknownKeys.includes(key)) out.unknownKeys.push(key);
  }
  return out;
}

/**
 * Parses broker.conf text into fresh configs (defaults + the file's values). `source` (a path) prefixes error
 * messages with "path: ". Throws RocketMQError CONFIG naming the key for a bad value.
 */
export function parseBrokerConf(
  text: string,
  source = '',
  env: Readonly<Record<string, string | undefined>> = process.env,
): LoadedBrokerConf {
  const brokerDefaults = defaultBrokerConfig({}, env);
  const a = assign(text, brokerDefaults, defaultMessageStoreConfig(), source);
  const brokerConfig = { ...brokerDefaults, ...(a.broker as Partial<BrokerConfig>) };
  // storePathCommitLog follows storePathRootDir unless given explicitly.
  const messageStoreConfig = defaultMessageStoreConfig(a.store as Partial<MessageStoreConfig>);
  return { brokerConfig, messageStoreConfig, unknownKeys: a.unknownKeys };
}

/** Reads a broker.conf file (see parseBrokerConf); `brokerConfigPath` is set to `path`. */
export function loadBrokerConf(path: string, env: Readonly<Record<string, string | undefined>> = process.env): LoadedBrokerConf {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RocketMQError(ERROR_CODES.CONFIG, `cannot read broker config ${path}: ${errorMessage(e)}`, { cause: e });
  }
  const loaded = parseBrokerConf(text, path, env);
  loaded.brokerConfig.brokerConfigPath = path;
  return loaded;
}

/**
 * Every setting as properties text (GET_BROKER_CONFIG body): `key=value` lines, keys sorted, unescaped like Java's
 * MixAll.properties2String; a key in both configs is listed once.
 */
export function configToProperties(configs: BrokerConfigs): string {
  const all: Record<string, ConfigValue> = {};
  for (const o of [configs.messageStoreConfig, configs.brokerConfig] as unknown as Record<string, ConfigValue>[]) {
    for (const [k, v] of Object.entries(o)) all[k] = v;
  }
  return stringifyProperties(all, { sort: true, escape: false });
}

export interface ConfigUpdateResult {
  /** Keys whose value was applied (even if equal to the old value). */
  updatedKeys: string[];
  /** Keys no config knows; ignored. */
  unknownKeys: string[];
}

/**
 * Applies an UPDATE_BROKER_CONFIG body (properties text) to the live configs, all-or-nothing: every value is validated
 * first. Throws RocketMQError with responseCode 16 NO_PERMISSION for a key in `configBlackList`, or CONFIG with
 * responseCode 29 INVALID_PARAMETER for a bad value.
 */
export function applyConfigUpdate(text: string, configs: BrokerConfigs): ConfigUpdateResult {
  const blackList = new Set(
    configs.brokerConfig.configBlackList
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  for (const key of Object.keys(parseProperties(text))) {
    if (blackList.has(key)) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'Can not update config in black list.', {
        responseCode: ResponseCode.NO_PERMISSION,
      });
    }
  }
  const a = assign(text, configs.brokerConfig, configs.messageStoreConfig, '');
  Object.assign(configs.brokerConfig, a.broker);
  Object.assign(configs.messageStoreConfig, a.store);
  const updatedKeys = [...new Set([...Object.keys(a.broker), ...Object.keys(a.store)])];
  return { updatedKeys, unknownKeys: a.unknownKeys };
}
