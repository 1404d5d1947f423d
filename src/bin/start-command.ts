// `rocketmq-ts start` (also what `npm start` and a bare `rocketmq-ts` run): a NameServer and a Broker in one process,
// the broker registered with the NameServer next to it. Data lives in one folder (--data-dir, else storePathRootDir
// of the -c broker.conf, else $ROCKETMQ_DATA_DIR, else ./data): the store at its root, the NameServer's KV config in
// <data>/namesrv. Shutdown (SIGINT/SIGTERM) stops the broker first (flush, offsets and configs persisted), then the
// NameServer.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../common/logger.ts';
import type { Logger } from '../common/logger.ts';
import { readPropertiesFile } from '../common/properties-file.ts';
import { ERROR_CODES, RocketMQError, errorMessage } from '../common/errors.ts';
import { BrokerController } from '../broker/broker-controller.ts';
import { defaultBrokerConfig } from '../broker/config/broker-config.ts';
import { loadBrokerConf } from '../broker/config/broker-conf.ts';
import { applyNamesrvProperties, defaultNamesrvConfig, validateNamesrvConfig } from '../namesrv/namesrv-config.ts';
import { NamesrvController } from '../namesrv/namesrv-controller.ts';
import { defaultMessageStoreConfig } from '../store/config/message-store-config.ts';
import { parsePort } from './namesrv-command.ts';
import { runUntilSignal } from './run-until-signal.ts';

export interface StartCommandOptions {
  /** broker.conf (Java keys); NameServer-only keys in it (kvConfigPath, bindAddress, …) configure the NameServer. */
  configFile?: string;
  /** NameServer port (default 9876; 0 = any free port). */
  listenPort?: number;
  /** Broker port (default listenPort of the conf, else 10911; 0 = any free port). VIP port = brokerPort − 2. */
  brokerPort?: number;
  /** Data folder. */
  dataDir?: string;
  kvConfigPath?: string;
}

export interface EmbeddedServer {
  namesrv: NamesrvController;
  broker: BrokerController;
  dataDir: string;
  namesrvAddr: string;
  /** Broker first (flush and persist), then the NameServer. */
  shutdown(): Promise<void>;
}

/** Where the embedded server keeps its data: flag, then storePathRootDir of the conf, then $ROCKETMQ_DATA_DIR, then ./data. */
export function resolveDataDir(flag: string | undefined, confRoot: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const chosen = flag ?? confRoot ?? (env.ROCKETMQ_DATA_DIR !== undefined && env.ROCKETMQ_DATA_DIR !== '' ? env.ROCKETMQ_DATA_DIR : './data');
  return resolve(chosen);
}

/** Starts the NameServer, then the Broker registered with it; resolves when both serve. */
export interface EmbeddedEnvironment {
  env?: Readonly<Record<string, string | undefined>>;
  log?: Logger;
  /** Where the boot lines go (default stdout). */
  print?: (line: string) => void;
}

export async function startEmbedded(opts: StartCommandOptions, environment: EmbeddedEnvironment = {}): Promise<EmbeddedServer> {
  const env = environment.env ?? process.env;
  const log = environment.log ?? createLogger('start');
  const print = environment.print ?? ((line: string) => void process.stdout.write(line));
  const raw: Record<string, string> = opts.configFile === undefined ? {} : readConf(opts.configFile);
  const loaded = opts.configFile === undefined ? undefined : loadBrokerConf(opts.configFile, env);
  const dataDir = resolveDataDir(opts.dataDir, raw.storePathRootDir, env);

  const nsConfig = defaultNamesrvConfig();
  nsConfig.kvConfigPath = join(dataDir, 'namesrv', 'kvConfig.json');
  nsConfig.configStorePath = join(dataDir, 'namesrv', 'namesrv.properties');
  const unknown = loaded?.unknownKeys ?? [];
  const nsKeys: Record<string, string> = {};
  for (const k of unknown) nsKeys[k] = raw[k];
  const applied = applyNamesrvProperties(nsConfig, nsKeys);
  if (applied.unknown.length > 0) log.warn({ keys: applied.unknown, file: opts.configFile }, 'ignoring unknown config keys');
  nsConfig.listenPort = opts.listenPort ?? 9876;
  if (opts.kvConfigPath !== undefined) nsConfig.kvConfigPath = opts.kvConfigPath;
  validateNamesrvConfig(nsConfig);

  const namesrv = new NamesrvController({ config: nsConfig, logger: createLogger('namesrv') });
  await namesrv.start();
  const namesrvAddr = `127.0.0.1:${namesrv.port}`;
  print(`The Name Server boot success. serializeType=JSON, address ${namesrv.address}\n`);

  const brokerConfig = loaded?.brokerConfig ?? defaultBrokerConfig({}, env);
  if (raw.namesrvAddr !== undefined && raw.namesrvAddr !== namesrvAddr) {
    log.warn({ configured: raw.namesrvAddr, used: namesrvAddr }, 'embedded broker registers with its own NameServer; namesrvAddr of the conf is ignored');
  }
  brokerConfig.namesrvAddr = namesrvAddr;
  if (opts.brokerPort !== undefined) brokerConfig.listenPort = opts.brokerPort;
  const storeConfig = loaded?.messageStoreConfig ?? defaultMessageStoreConfig();
  storeConfig.storePathRootDir = dataDir;
  if (raw.storePathCommitLog === undefined) storeConfig.storePathCommitLog = join(dataDir, 'commitlog');

  const broker = new BrokerController({ brokerConfig, messageStoreConfig: storeConfig, logger: createLogger('broker') });
  try {
    await broker.start();
  } catch (e) {
    await namesrv.shutdown();
    throw e;
  }
  const bc = broker.brokerConfig;
  print(`The broker[${bc.brokerName}, ${broker.brokerAddr()}] boot success. serializeType=JSON and name server is ${bc.namesrvAddr}\n`);
  const vip = broker.vipPort === undefined ? '' : ` (VIP ${broker.vipPort})`;
  print(
    `rocketmq-ts is ready: NameServer on ${namesrv.address}, Broker ${bc.brokerName} on ${broker.brokerAddr()}${vip}, ` +
      `cluster ${bc.brokerClusterName}, data in ${dataDir}\n`,
  );
  log.info({ namesrv: namesrv.address, broker: broker.brokerAddr(), vipPort: broker.vipPort, dataDir }, 'embedded NameServer + Broker started');
  return {
    namesrv,
    broker,
    dataDir,
    namesrvAddr,
    async shutdown() {
      let first: unknown;
      try {
        await broker.shutdown();
      } catch (e) {
        first = e;
      }
      await namesrv.shutdown();
      if (first !== undefined) throw first;
    },
  };
}

function readConf(file: string): Record<string, string> {
  try {
    return readPropertiesFile(file);
  } catch (e) {
    throw new RocketMQError(ERROR_CODES.CONFIG, `cannot read config file ${file}: ${errorMessage(e)}`, { cause: e });
  }
}

export function registerStartCommand(program: Command): void {
  program
    .command('start', { isDefault: true })
    .description('start a NameServer and a Broker in one process (the default command)')
    .option('-c, --configFile <file>', 'broker.conf (Java keys); NameServer keys such as kvConfigPath are read from it too')
    .option('-p, --listenPort <port>', 'NameServer port (default 9876; 0 = any free port)', parsePort)
    .option('--brokerPort <port>', 'Broker port (default listenPort of broker.conf, else 10911; VIP port is 2 less)', parsePort)
    .option('--data-dir <dir>', 'data folder (default: storePathRootDir of broker.conf, else $ROCKETMQ_DATA_DIR, else ./data)')
    .option('--kvConfigPath <path>', 'NameServer kvConfig.json (default <data>/namesrv/kvConfig.json)')
    .action(async (opts: StartCommandOptions) => {
      const server = await startEmbedded(opts);
      runUntilSignal(server, createLogger('start'), 'NameServer and Broker');
    });
}
