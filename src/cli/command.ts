// What one mqadmin command is: its Java name, its flags (Java's short and long names) and a run function that gets a
// context with the parsed flags, the output sink and a lazily started AdminClient. One file per command under
// commands/; mqadmin.ts turns the list into a commander program.
import type { AdminClient } from '../client/admin/admin-client.ts';

/** Where a command writes. The bin passes process.stdout/stderr; tests capture into strings. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** One flag: commander syntax (`-t, --topic <topic>`), Java's meaning, optional value parser. */
export interface OptionSpec {
  flags: string;
  description: string;
  required?: boolean;
  /** Turns the raw text into a value; throws commander's InvalidArgumentError (see flags.ts) on a bad value. */
  parse?: (value: string) => unknown;
}

export type ParsedOptions = Readonly<Record<string, unknown>>;

export interface CommandContext {
  /** Parsed flags by long name (`topic`, `brokerAddr`, …). */
  readonly opts: ParsedOptions;
  /** `-n` (or $NAMESRV_ADDR, or 127.0.0.1:9876). */
  readonly namesrvAddr: string;
  /** `--json`: print one JSON document instead of a table. */
  readonly json: boolean;
  readonly io: CliIO;
  /** The admin client (started on first use, shut down when the command ends). */
  admin(): Promise<AdminClient>;
  /** Run `fn` when the command ends (producers, consumers it started). */
  onClose(fn: () => Promise<void>): void;
  now(): number;
}

export interface MqadminCommand {
  /** Java's command name, e.g. `updateTopic`. */
  name: string;
  description: string;
  options: readonly OptionSpec[];
  run(ctx: CommandContext): Promise<void>;
}
