// `rocketmq-ts broker [-n host:port;host:port] [-c broker.conf]`: start a Broker (Java: mqbroker).
import type { Command } from 'commander';
import { createLogger } from '../common/logger.ts';
import { startBroker } from '../broker/broker-startup.ts';
import type { BrokerStartupOptions } from '../broker/broker-startup.ts';
import { runUntilSignal } from './run-until-signal.ts';

export function registerBrokerCommand(program: Command): void {
  program
    .command('broker')
    .description('start a Broker')
    .option('-n, --namesrvAddr <addrs>', 'NameServer addresses, ";"-separated (default: broker.conf namesrvAddr or $NAMESRV_ADDR)')
    .option('-c, --configFile <file>', 'broker.conf with Java keys (brokerName, listenPort, storePathRootDir, flushDiskType, ...)')
    .action(async (opts: BrokerStartupOptions) => {
      const ctrl = await startBroker(opts);
      const bc = ctrl.brokerConfig;
      // Java prints the same sentence; scripts and tests wait for it.
      process.stdout.write(
        `The broker[${bc.brokerName}, ${ctrl.brokerAddr()}] boot success. serializeType=JSON and name server is ${bc.namesrvAddr}\n`,
      );
      runUntilSignal(ctrl, createLogger('broker'), 'Broker');
    });
}
