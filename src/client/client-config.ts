// Client settings shared by producers and consumers (Java ClientConfig; defaults from FEATURES.md §1.1–§1.2, PROTOCOL.md §11).
import { networkInterfaces } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ERROR_CODES, RocketMQError } from '../common/errors.ts';

export interface ClientConfig {
  /** NameServer addresses: "host:port;host:port" or an array. */
  namesrvAddr: string | readonly string[];
  /** Part of the clientId; default: `<pid>#<random>` chosen once per process, so every default client shares one instance. */
  instanceName?: string;
  /** IP put in the clientId; default: the first non-internal IPv4 address. */
  clientIP?: string;
  /** Optional unit name appended to the clientId (Java unitName). */
  unitName?: string;
  /** Route refresh period; default 30 s. */
  pollNameServerInterval?: number;
  /** Heartbeat period to brokers; default 30 s. */
  heartbeatBrokerInterval?: number;
  /** Consumer offset commit period; default 5 s. */
  persistConsumerOffsetInterval?: number;
  /** Timeout of one request (NameServer calls, heartbeats); default 3 s. */
  requestTimeout?: number;
}

export type ResolvedClientConfig = Required<Omit<ClientConfig, 'namesrvAddr' | 'unitName'>> & {
  namesrvAddr: string[];
  unitName: string | undefined;
};

export const CLIENT_DEFAULTS = {
  pollNameServerInterval: 30_000,
  heartbeatBrokerInterval: 30_000,
  persistConsumerOffsetInterval: 5_000,
  requestTimeout: 3_000,
} as const;

/** Per-process default instance name: pid plus random bytes, so containers sharing pid 1 still differ (rocketmq#1547). */
const PROCESS_INSTANCE_NAME = `${process.pid}#${randomBytes(6).toString('hex')}`;

export function defaultInstanceName(): string {
  return PROCESS_INSTANCE_NAME;
}

/** First non-internal IPv4 address, else 127.0.0.1. */
export function localIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** "a:1; b:2" or ["a:1","b:2"] → trimmed, non-empty, de-duplicated list. */
export function parseNamesrvAddr(v: string | readonly string[]): string[] {
  const parts = typeof v === 'string' ? v.split(';') : v.flatMap((s) => s.split(';'));
  const out: string[] = [];
  for (const p of parts) {
    const s = p.trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new RocketMQError(ERROR_CODES.CONFIG, `${name} must be a positive number, got ${v}`);
  return v;
}

export function resolveClientConfig(c: ClientConfig): ResolvedClientConfig {
  const namesrvAddr = parseNamesrvAddr(c.namesrvAddr ?? []);
  if (namesrvAddr.length === 0) throw new RocketMQError(ERROR_CODES.CONFIG, 'namesrvAddr is empty');
  return {
    namesrvAddr,
    instanceName: c.instanceName ?? defaultInstanceName(),
    clientIP: c.clientIP ?? localIPv4(),
    unitName: c.unitName,
    pollNameServerInterval: positive('pollNameServerInterval', c.pollNameServerInterval ?? CLIENT_DEFAULTS.pollNameServerInterval),
    heartbeatBrokerInterval: positive('heartbeatBrokerInterval', c.heartbeatBrokerInterval ?? CLIENT_DEFAULTS.heartbeatBrokerInterval),
    persistConsumerOffsetInterval: positive(
      'persistConsumerOffsetInterval',
      c.persistConsumerOffsetInterval ?? CLIENT_DEFAULTS.persistConsumerOffsetInterval,
    ),
    requestTimeout: positive('requestTimeout', c.requestTimeout ?? CLIENT_DEFAULTS.requestTimeout),
  };
}

/** Java's layout `clientIP@instanceName[@unitName]` (PROTOCOL.md §4.3). */
export function buildClientId(c: Pick<ResolvedClientConfig, 'clientIP' | 'instanceName' | 'unitName'>): string {
  return c.unitName ? `${c.clientIP}@${c.instanceName}@${c.unitName}` : `${c.clientIP}@${c.instanceName}`;
}
