// Message ids: offsetMsgId (§6.1) and the client-generated UNIQ_KEY (§6.2).
import { networkInterfaces } from 'node:os';
import { RocketMQError, ERROR_CODES } from '../errors.ts';
import { ipBytes, formatIp } from './host-address.ts';
import type { HostAddress } from './host-address.ts';
import { readInt64, writeInt64 } from './int64.ts';

/** offsetMsgId from raw store-host IP bytes (4 or 16), port and commit-log offset: uppercase hex of ip+port+offset. */
export function createOffsetMsgIdFromBytes(ip: Uint8Array, port: number, offset: number): string {
  if (ip.length === 4 && port >= 0 && port <= 0xffff && offset >= 0 && Number.isSafeInteger(offset)) {
    // Every record of a broker shares the host part: cache its hex, build only the offset's 16 digits.
    const key = (((ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3]) >>> 0) * 65536 + port;
    let prefix = hostPrefixes.get(key);
    if (prefix === undefined) {
      prefix = slowOffsetMsgId(ip, port, 0).slice(0, -16);
      if (hostPrefixes.size >= 256) hostPrefixes.clear();
      hostPrefixes.set(key, prefix);
    }
    return prefix + hex16(offset);
  }
  return slowOffsetMsgId(ip, port, offset);
}

/** The general form: any IP length, port or offset (a negative offset is written as its int64 bytes). */
export function slowOffsetMsgId(ip: Uint8Array, port: number, offset: number): string {
  const b = Buffer.allocUnsafe(ip.length + 12);
  b.set(ip, 0);
  b.writeInt32BE(port, ip.length);
  writeInt64(b, offset, ip.length + 4);
  return b.toString('hex').toUpperCase();
}

const hostPrefixes = new Map<number, string>();
/** Two uppercase hex digits of every byte value. */
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** 16 uppercase hex digits of a non-negative safe integer (toString(16) on non-Smi doubles is slow). */
function hex16(n: number): string {
  const hi = Math.floor(n / 0x1_0000_0000);
  const lo = n >>> 0;
  return (
    BYTE_HEX[hi >>> 24] +
    BYTE_HEX[(hi >>> 16) & 0xff] +
    BYTE_HEX[(hi >>> 8) & 0xff] +
    BYTE_HEX[hi & 0xff] +
    BYTE_HEX[lo >>> 24] +
    BYTE_HEX[(lo >>> 16) & 0xff] +
    BYTE_HEX[(lo >>> 8) & 0xff] +
    BYTE_HEX[lo & 0xff]
  );
}

/** offsetMsgId of the record at commit-log `offset` stored by `host` (§6.1): 32 hex chars for IPv4, 56 for IPv6. */
export function createOffsetMsgId(host: HostAddress, offset: number): string {
  let ip = hostIps.get(host.address);
  if (ip === undefined) {
    ip = ipBytes(host.address);
    if (hostIps.size >= 256) hostIps.clear();
    hostIps.set(host.address, ip);
  }
  return createOffsetMsgIdFromBytes(ip, host.port, offset);
}

/** Parsed store-host addresses (a broker stamps every record with the same one or two). */
const hostIps = new Map<string, Uint8Array>();

/** Inverse of createOffsetMsgId; throws INVALID_ARGUMENT unless `id` is 32 or 56 hex chars. */
export function decodeOffsetMsgId(id: string): { address: HostAddress; offset: number } {
  if ((id.length !== 32 && id.length !== 56) || !/^[0-9a-fA-F]*$/.test(id)) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `not an offsetMsgId: ${JSON.stringify(id)}`);
  }
  const b = Buffer.from(id, 'hex');
  const ipLength = b.length - 12;
  return {
    address: { address: formatIp(b.subarray(0, ipLength)), port: b.readInt32BE(ipLength) },
    offset: readInt64(b, ipLength + 4),
  };
}

/** True if `id` looks like an offsetMsgId or UNIQ_KEY (uppercase or lowercase hex, 32 or 56 chars). */
export function isMessageIdShape(id: string): boolean {
  return (id.length === 32 || id.length === 56) && /^[0-9a-fA-F]*$/.test(id);
}

export interface UniqKeyGeneratorOptions {
  /** IP bytes or text; defaults to the first non-internal IPv4 address (127.0.0.1 if none). */
  ip?: string | Uint8Array;
  /** Defaults to process.pid (written as int16). */
  pid?: number;
  /** Stands in for Java's class-loader hash code (int32); random by default. */
  salt?: number;
  /** Clock (ms); Date.now by default. */
  now?: () => number;
}

function localIp(): Buffer {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return ipBytes(a.address);
  }
  return ipBytes('127.0.0.1');
}

/** Start of the month (local time) containing `t`, and of the next one. */
function monthBounds(t: number): [number, number] {
  const d = new Date(t);
  return [
    new Date(d.getFullYear(), d.getMonth(), 1).getTime(),
    new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime(),
  ];
}

/**
 * UNIQ_KEY generator with Java's MessageClientIDSetter layout (§6.2): IP + int16 pid + int32 salt (fixed prefix), then
 * int32 ms since the start of the current month + int16 counter; uppercase hex (32 chars with IPv4, 56 with IPv6).
 */
export class UniqKeyGenerator {
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #tail = Buffer.alloc(6);
  #counter = 0;
  #monthStart = 0;
  #nextMonthStart = 0;

  constructor(options: UniqKeyGeneratorOptions = {}) {
    const ip = options.ip === undefined ? localIp() : typeof options.ip === 'string' ? ipBytes(options.ip) : Buffer.from(options.ip);
    const fixed = Buffer.alloc(ip.length + 6);
    fixed.set(ip, 0);
    fixed.writeInt16BE(((options.pid ?? process.pid) << 16) >> 16, ip.length);
    fixed.writeInt32BE((options.salt ?? Math.floor(Math.random() * 0x1_0000_0000)) | 0, ip.length + 2);
    this.#prefix = fixed.toString('hex').toUpperCase();
    this.#now = options.now ?? Date.now;
  }

  next(): string {
    const now = this.#now();
    if (now >= this.#nextMonthStart || now < this.#monthStart) [this.#monthStart, this.#nextMonthStart] = monthBounds(now);
    this.#tail.writeInt32BE((now - this.#monthStart) | 0, 0);
    this.#tail.writeInt16BE((this.#counter << 16) >> 16, 4);
    this.#counter = (this.#counter + 1) & 0xffff;
    return this.#prefix + this.#tail.toString('hex').toUpperCase();
  }
}

let defaultGenerator: UniqKeyGenerator | undefined;

/** A new UNIQ_KEY from a process-wide generator. */
export function createUniqKey(): string {
  defaultGenerator ??= new UniqKeyGenerator();
  return defaultGenerator.next();
}

/** Approximate creation time (ms) encoded in a UNIQ_KEY, assuming it was made within the current or previous month. */
export function uniqKeyTimestamp(key: string, now: number = Date.now()): number {
  if (!isMessageIdShape(key)) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `not a UNIQ_KEY: ${JSON.stringify(key)}`);
  const b = Buffer.from(key, 'hex');
  const delta = b.readInt32BE(b.length - 6);
  const [monthStart] = monthBounds(now);
  const t = monthStart + delta;
  return t <= now ? t : monthBounds(monthStart - 1)[0] + delta;
}
