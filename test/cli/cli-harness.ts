// Runs mqadmin commands in this process (captured output) against an in-process NameServer + Broker.
import { captureIO, runMqadmin } from '../../src/cli/mqadmin.ts';
import { BrokerHarness } from '../integration/broker-harness.ts';
import type { BrokerHarnessOptions } from '../integration/broker-harness.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** `mqadmin <args>` with `-n` pointing at `namesrvAddr` (unless `-n` is among args). */
export async function mqadmin(namesrvAddr: string, ...args: string[]): Promise<CliRun> {
  const io = captureIO();
  const argv = args.includes('-n') || args.length === 0 ? args : [...args, '-n', namesrvAddr];
  const code = await runMqadmin(argv, io, { env: {} });
  return { code, out: io.stdout(), err: io.stderr() };
}

/** Like mqadmin() with `--json`; asserts exit 0 and parses stdout. */
export async function mqadminJson(namesrvAddr: string, ...args: string[]): Promise<unknown> {
  const r = await mqadmin(namesrvAddr, ...args, '--json');
  if (r.code !== 0) throw new Error(`mqadmin ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as unknown;
}

export function startHarness(options: BrokerHarnessOptions = {}): Promise<BrokerHarness> {
  return BrokerHarness.start(options);
}

/** Narrow parsed JSON to an object. */
export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

export function arr(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error(`not an array: ${JSON.stringify(v)}`);
  return v;
}
