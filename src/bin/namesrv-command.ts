// `rocketmq-ts namesrv [-p port] [-c namesrv.properties]`: start a NameServer (Java: mqnamesrv).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { createLogger } from '../common/logger.ts';
import { loadNamesrvConfig } from '../namesrv/namesrv-config.ts';
import { NamesrvController } from '../namesrv/namesrv-controller.ts';
import { runUntilSignal } from './run-until-signal.ts';

export interface NamesrvCommandOptions {
  listenPort?: number;
  configFile?: string;
  kvConfigPath?: string;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError(`not a port number: '${value}'`);
  return n;
}

/** Add the namesrv options to a command (shared by `namesrv` and `start`). */
export function withNamesrvOptions(cmd: Command): Command {
  return cmd
    .option('-p, --listenPort <port>', 'NameServer port (default 9876; 0 = any free port)', parsePort)
    .option('-c, --configFile <file>', 'properties file with NameServer settings (Java keys, e.g. listenPort, kvConfigPath)')
    .option('--kvConfigPath <path>', 'where to keep kvConfig.json (default ~/namesrv/kvConfig.json)');
}

/** Start a NameServer from CLI options; resolves once it listens. */
export async function startNamesrv(opts: NamesrvCommandOptions): Promise<NamesrvController> {
  const log = createLogger('namesrv');
  const { config, unknown } = loadNamesrvConfig(opts.configFile, { listenPort: opts.listenPort, kvConfigPath: opts.kvConfigPath });
  if (unknown.length > 0) log.warn({ keys: unknown }, 'ignoring unknown NameServer config keys');
  const ctrl = new NamesrvController({ config, logger: log });
  await ctrl.start();
  // Java prints the same sentence; scripts and tests wait for it.
  process.stdout.write(`The Name Server boot success. serializeType=JSON, address ${ctrl.address}\n`);
  return ctrl;
}

export function registerNamesrvCommand(program: Command): void {
  withNamesrvOptions(program.command('namesrv').description('start a NameServer'))
    .action(async (opts: NamesrvCommandOptions) => {
      const ctrl = await startNamesrv(opts);
      runUntilSignal(ctrl, createLogger('namesrv'), 'Name Server');
    });
}
