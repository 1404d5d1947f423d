// `rocketmq-ts mqadmin <command> [flags]`: Java's mqadmin over our AdminClient. runMqadmin() parses argv with
// commander (Java's short and long flag names), runs the command with captured or real output and returns the exit
// code — it never calls process.exit, so tests run commands in-process.
import { Command, CommanderError, Option } from 'commander';
import { AdminClient } from '../client/admin/admin-client.ts';
import { errorMessage, isRocketMQError } from '../common/errors.ts';
import type { CliIO, CommandContext, MqadminCommand, ParsedOptions } from './command.ts';
import { MQADMIN_COMMANDS } from './commands/index.ts';

export const DEFAULT_NAMESRV_ADDR = '127.0.0.1:9876';

export interface RunMqadminOptions {
  /** Environment for the NAMESRV_ADDR default (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => number;
  /** Per-request timeout of the admin client (default 5000 ms). */
  timeoutMs?: number;
}

/** process.stdout / process.stderr. */
export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** A CliIO that keeps everything written, for tests and embedding. */
export function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    stdout: () => out,
    stderr: () => err,
  };
}

/** The command list `mqadmin` prints without a command. */
export function commandList(commands: readonly MqadminCommand[] = MQADMIN_COMMANDS): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `   ${c.name.padEnd(w)}  ${c.description}`);
  return [
    'usage: rocketmq-ts mqadmin <command> [-n namesrvAddr] [--json] [command flags]',
    '',
    'The commands are:',
    ...lines,
    '',
    "See 'rocketmq-ts mqadmin <command> -h' for the flags of a command.",
    '',
  ].join('\n');
}

function build(io: CliIO, env: Readonly<Record<string, string | undefined>>, onRun: (cmd: MqadminCommand, opts: ParsedOptions) => void): Command {
  const program = new Command('mqadmin')
    .description('RocketMQ admin commands (Java mqadmin flags)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(add -h for the flags of this command)')
    .helpCommand(false)
    .allowExcessArguments(false);
  const defaultNamesrv = env.NAMESRV_ADDR !== undefined && env.NAMESRV_ADDR !== '' ? env.NAMESRV_ADDR : DEFAULT_NAMESRV_ADDR;
  for (const spec of MQADMIN_COMMANDS) {
    const cmd = program.command(spec.name).description(spec.description).allowExcessArguments(false);
    for (const o of spec.options) {
      const opt = new Option(o.flags, o.description);
      if (o.parse !== undefined) opt.argParser(o.parse);
      if (o.required === true) opt.makeOptionMandatory();
      cmd.addOption(opt);
    }
    cmd.addOption(new Option('-n, --namesrvAddr <addrs>', 'NameServer addresses, ";"-separated').default(defaultNamesrv, '$NAMESRV_ADDR or 127.0.0.1:9876'));
    cmd.option('--json', 'print JSON instead of a table');
    cmd.action((_o: unknown, c: Command) => onRun(spec, c.opts()));
  }
  return program;
}

/** Runs `argv` (what follows `mqadmin`); resolves to the exit code (0 ok, 1 usage or command failure). */
export async function runMqadmin(argv: readonly string[], io: CliIO = processIO, options: RunMqadminOptions = {}): Promise<number> {
  if (argv.length === 0 || (argv.length === 1 && (argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help'))) {
    io.out(commandList());
    return 0;
  }
  if (!argv[0].startsWith('-') && !MQADMIN_COMMANDS.some((c) => c.name === argv[0])) {
    io.err(`mqadmin: unknown command '${argv[0]}'\n\n${commandList()}`);
    return 1;
  }
  let chosen: { spec: MqadminCommand; opts: ParsedOptions } | undefined;
  const program = build(io, options.env ?? process.env, (spec, opts) => {
    chosen = { spec, opts };
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
  if (chosen === undefined) {
    io.out(commandList());
    return 0;
  }
  return execute(chosen.spec, chosen.opts, io, options);
}

async function execute(spec: MqadminCommand, opts: ParsedOptions, io: CliIO, options: RunMqadminOptions): Promise<number> {
  const namesrvAddr = typeof opts.namesrvAddr === 'string' ? opts.namesrvAddr : DEFAULT_NAMESRV_ADDR;
  const closers: Array<() => Promise<void>> = [];
  let admin: AdminClient | undefined;
  const ctx: CommandContext = {
    opts,
    namesrvAddr,
    json: opts.json === true,
    io,
    now: options.now ?? Date.now,
    onClose: (fn) => void closers.push(fn),
    admin: async () => {
      if (admin === undefined) {
        admin = new AdminClient({ namesrvAddr, timeoutMs: options.timeoutMs });
        await admin.start();
        closers.push(() => (admin as AdminClient).shutdown());
      }
      return admin;
    },
  };
  let code = 0;
  try {
    await spec.run(ctx);
  } catch (e) {
    const rc = isRocketMQError(e) && e.responseCode !== undefined ? ` (response code ${e.responseCode})` : '';
    io.err(`mqadmin ${spec.name}: ${errorMessage(e)}${rc}\n`);
    code = 1;
  } finally {
    for (const fn of closers.reverse()) {
      try {
        await fn();
      } catch (e) {
        io.err(`mqadmin ${spec.name}: shutdown: ${errorMessage(e)}\n`);
      }
    }
  }
  return code;
}
