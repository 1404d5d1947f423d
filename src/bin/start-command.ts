// `rocketmq-ts start` (also what `npm start` and a bare `rocketmq-ts` run): for now the NameServer alone; the broker
// joins it once it exists.
import type { Command } from 'commander';
import { createLogger } from '../common/logger.ts';
import { startNamesrv, withNamesrvOptions } from './namesrv-command.ts';
import type { NamesrvCommandOptions } from './namesrv-command.ts';
import { runUntilSignal } from './run-until-signal.ts';

export function registerStartCommand(program: Command): void {
  withNamesrvOptions(program.command('start', { isDefault: true }).description('start a NameServer (the broker comes later)'))
    .action(async (opts: NamesrvCommandOptions) => {
      const ctrl = await startNamesrv(opts);
      runUntilSignal(ctrl, createLogger('start'), 'Name Server');
    });
}
