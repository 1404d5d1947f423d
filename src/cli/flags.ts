// Value parsers for mqadmin flags (commander calls them; a bad value becomes "error: option '-r …' argument 'x' is
// invalid. <reason>" and exit code 1) and typed getters over the parsed options.
import { InvalidArgumentError } from 'commander';
import { ERROR_CODES, RocketMQError } from '../common/errors.ts';
import type { ParsedOptions } from './command.ts';

export function intArg(value: string): number {
  const n = Number(value);
  if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`'${value}' is not an integer.`);
  return n;
}

export function nonNegativeIntArg(value: string): number {
  const n = intArg(value);
  if (n < 0) throw new InvalidArgumentError(`'${value}' must be 0 or more.`);
  return n;
}

export function positiveIntArg(value: string): number {
  const n = intArg(value);
  if (n <= 0) throw new InvalidArgumentError(`'${value}' must be a positive integer.`);
  return n;
}

/** Java's flags take `true`/`false` as a value (e.g. `-o true`). */
export function boolArg(value: string): boolean {
  const l = value.trim().toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  throw new InvalidArgumentError(`'${value}' is not true or false.`);
}

/** Topic permission: 2 (W), 4 (R) or 6 (RW). */
export function permArg(value: string): number {
  const n = intArg(value);
  if (n !== 2 && n !== 4 && n !== 6) throw new InvalidArgumentError(`'${value}' is not a topic permission (2 = W, 4 = R, 6 = RW).`);
  return n;
}

const JAVA_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/;

/**
 * A point in time as mqadmin takes it: `now`, epoch milliseconds, or `yyyy-MM-dd#HH:mm:ss:SSS` (local time, Java's
 * UtilAll.YYYY_MM_DD_HH_MM_SS_SSS format); `-1` stays −1 ("the end of each queue").
 */
export function timestampArg(value: string, now: () => number = Date.now): number {
  const v = value.trim();
  if (v === 'now') return now();
  if (/^-?\d+$/.test(v)) {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < -1) throw new InvalidArgumentError(`'${value}' is not a timestamp.`);
    return n;
  }
  const m = JAVA_TIME_RE.exec(v);
  if (m !== null) {
    const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number);
    const t = new Date(y, mo - 1, d, h, mi, s, ms);
    if (t.getFullYear() === y && t.getMonth() === mo - 1 && t.getDate() === d) return t.getTime();
  }
  throw new InvalidArgumentError(`'${value}' is not a timestamp (now, epoch ms or yyyy-MM-dd#HH:mm:ss:SSS).`);
}

/** "ip:port". */
export function addrArg(value: string): string {
  const v = value.trim();
  const m = /^(.+):(\d{1,5})$/.exec(v);
  if (m === null || Number(m[2]) > 65535) throw new InvalidArgumentError(`'${value}' is not an address (host:port).`);
  return v;
}

function usage(message: string): RocketMQError {
  return new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, message);
}

export function optString(opts: ParsedOptions, key: string): string | undefined {
  const v = opts[key];
  return typeof v === 'string' ? v : undefined;
}

export function reqString(opts: ParsedOptions, key: string, flag: string): string {
  const v = optString(opts, key);
  if (v === undefined || v === '') throw usage(`option '${flag}' is required`);
  return v;
}

export function optNumber(opts: ParsedOptions, key: string): number | undefined {
  const v = opts[key];
  return typeof v === 'number' ? v : undefined;
}

export function reqNumber(opts: ParsedOptions, key: string, flag: string): number {
  const v = optNumber(opts, key);
  if (v === undefined) throw usage(`option '${flag}' is required`);
  return v;
}

export function optBool(opts: ParsedOptions, key: string): boolean | undefined {
  const v = opts[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** Exactly one of `-b brokerAddr` / `-c clusterName` (Java's "create to which broker / cluster"). */
export function brokerOrCluster(opts: ParsedOptions, brokerKey = 'brokerAddr', clusterKey = 'clusterName'): { brokerAddr?: string; clusterName?: string } {
  const brokerAddr = optString(opts, brokerKey);
  const clusterName = optString(opts, clusterKey);
  if ((brokerAddr === undefined) === (clusterName === undefined)) throw usage(`give exactly one of -b (${brokerKey}) and -c (${clusterKey})`);
  return brokerAddr !== undefined ? { brokerAddr } : { clusterName };
}
