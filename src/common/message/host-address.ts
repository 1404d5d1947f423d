// Socket addresses as stored in message records: IPv4 = 4 bytes + int32 port, IPv6 = 16 bytes + int32 port (§5.2).
import { isIPv4, isIPv6 } from 'node:net';
import { RocketMQError, ERROR_CODES } from '../errors.ts';

/** An IP address (IPv4 dotted quad or IPv6 text) and a port. IPv4-mapped IPv6 addresses are kept as IPv4. */
export interface HostAddress {
  address: string;
  port: number;
}

const IPV4_MAPPED_PREFIX = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);
const CACHE_LIMIT = 4096;
const ipCache = new Map<string, Buffer>();

/**
 * Raw bytes of an IP address: 4 for IPv4 (and IPv4-mapped IPv6), 16 for other IPv6. Cached; do not mutate the result.
 * Throws INVALID_ARGUMENT for anything else (host names are not resolved).
 */
export function ipBytes(address: string): Buffer {
  let b = ipCache.get(address);
  if (b !== undefined) return b;
  b = parseIp(address);
  if (ipCache.size >= CACHE_LIMIT) ipCache.clear();
  ipCache.set(address, b);
  return b;
}

function parseIp(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  let text = address;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (!isIPv6(text)) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `not an IP address: ${JSON.stringify(address)}`);
  const bytes = parseIPv6(text);
  if (bytes.subarray(0, 12).equals(IPV4_MAPPED_PREFIX)) return Buffer.from(bytes.subarray(12));
  return bytes;
}

/** Parses validated IPv6 text (net.isIPv6 true, no zone) into 16 bytes. */
function parseIPv6(text: string): Buffer {
  const out = Buffer.alloc(16);
  let tail = text;
  let v4: number[] | undefined;
  const lastColon = tail.lastIndexOf(':');
  if (tail.indexOf('.', lastColon) >= 0) {
    v4 = tail.slice(lastColon + 1).split('.').map(Number);
    tail = tail.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = tail.indexOf('::');
  const toGroups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  let groups: number[];
  if (dbl >= 0) {
    const head = toGroups(tail.slice(0, dbl));
    const rest = toGroups(tail.slice(dbl + 2));
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    groups = toGroups(tail);
  }
  for (let i = 0; i < 8; i++) out.writeUInt16BE(groups[i], i * 2);
  if (v4 !== undefined) for (let i = 0; i < 4; i++) out[12 + i] = v4[i];
  return out;
}

/** Text form of 4 or 16 address bytes; IPv6 in RFC 5952 form (lowercase, longest zero run as "::"). */
export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length !== 16) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `bad IP length ${b.length}`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] << 8) | b[i + 1]);
  if (groups.slice(0, 6).every((g, i) => (i === 5 ? g === 0xffff : g === 0))) {
    return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Normalizes a host: IPv4-mapped IPv6 → IPv4, IPv6 → RFC 5952 text. */
export function normalizeHost(h: HostAddress): HostAddress {
  return { address: formatIp(ipBytes(h.address)), port: h.port };
}

/** Parses "ip:port" or "[ipv6]:port". */
export function parseHostPort(s: string): HostAddress {
  const i = s.lastIndexOf(':');
  const port = Number(s.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `not host:port: ${JSON.stringify(s)}`);
  }
  let address = s.slice(0, i);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  ipBytes(address);
  return { address, port };
}

/** "ip:port" (IPv6 in brackets), as the Java broker prints socket addresses without the leading slash. */
export function formatHostPort(h: HostAddress): string {
  return h.address.includes(':') ? `[${h.address}]:${h.port}` : `${h.address}:${h.port}`;
}
