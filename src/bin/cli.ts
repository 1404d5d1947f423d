// The `rocketmq-ts` command tree. One file per subcommand.
import { Command } from 'commander';
import { registerBenchmarkCommand } from './benchmark-command.ts';
import { registerBrokerCommand } from './broker-command.ts';
import { registerMqadminCommand } from './mqadmin-command.ts';
import { registerNamesrvCommand } from './namesrv-command.ts';
import { registerStartCommand } from './start-command.ts';

export function buildProgram(): Command {
  const program = new Command('rocketmq-ts')
    .description('Apache RocketMQ rebuilt in TypeScript: NameServer, Broker, admin tools')
    .enablePositionalOptions()
    .showHelpAfterError();
  registerStartCommand(program);
  registerNamesrvCommand(program);
  registerBrokerCommand(program);
  registerMqadminCommand(program);
  registerBenchmarkCommand(program);
  return program;
}
