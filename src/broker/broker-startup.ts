// Builds and starts a BrokerController from a broker.conf file and command-line overrides (Java BrokerStartup).
import { createLogger } from '../common/logger.ts';
import { BrokerController } from './broker-controller.ts';
import { defaultBrokerConfig } from './config/broker-config.ts';
import { loadBrokerConf } from './config/broker-conf.ts';
import type { BrokerConfigs } from './config/broker-conf.ts';
import { defaultMessageStoreConfig } from '../store/config/message-store-config.ts';

export interface BrokerStartupOptions {
  /** broker.conf (Java keys: brokerName, listenPort, storePathRootDir, flushDiskType, …). */
  configFile?: string;
  /** `-n`: NameServer addresses, `;`-separated; overrides the file and $NAMESRV_ADDR. */
  namesrvAddr?: string;
}

/** The configs a startup would use: defaults, then broker.conf, then the command-line overrides. */
export function resolveBrokerConfigs(opts: BrokerStartupOptions, log = createLogger('broker')): BrokerConfigs {
  let configs: BrokerConfigs;
  if (opts.configFile !== undefined) {
    const loaded = loadBrokerConf(opts.configFile);
    if (loaded.unknownKeys.length > 0) log.warn({ keys: loaded.unknownKeys, file: opts.configFile }, 'ignoring unknown broker.conf keys');
    configs = { brokerConfig: loaded.brokerConfig, messageStoreConfig: loaded.messageStoreConfig };
  } else {
    configs = { brokerConfig: defaultBrokerConfig(), messageStoreConfig: defaultMessageStoreConfig() };
  }
  if (opts.namesrvAddr !== undefined) configs.brokerConfig.namesrvAddr = opts.namesrvAddr;
  return configs;
}

/** Starts a broker; resolves once it listens and made its first NameServer registration. */
export async function startBroker(opts: BrokerStartupOptions): Promise<BrokerController> {
  const log = createLogger('broker');
  const configs = resolveBrokerConfigs(opts, log);
  if (configs.brokerConfig.namesrvAddr === '') log.warn('no NameServer address (-n, namesrvAddr or $NAMESRV_ADDR): clients will not find this broker');
  const ctrl = new BrokerController({ ...configs, logger: log });
  await ctrl.start();
  return ctrl;
}
