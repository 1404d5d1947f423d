// `rocketmq-ts mqadmin <command> [flags]`: Java's admin tool; everything after `mqadmin` goes to src/cli.
import type { Command } from 'commander';
import { runMqadmin } from '../cli/mqadmin.ts';

export function registerMqadminCommand(program: Command): void {
  program
    .command('mqadmin')
    .description('admin commands (updateTopic, topicList, consumerProgress, resetOffsetByTime, …); no command lists them')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument('[args...]')
    .action(async (args: string[]) => {
      const code = await runMqadmin(args);
      process.exitCode = code;
      // Sockets of the admin client are closed; this only guards against a stray handle keeping the tool alive.
      setTimeout(() => process.exit(code), 2000).unref();
    });
}
