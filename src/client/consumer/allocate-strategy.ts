// Queue allocation strategies (Java AllocateMessageQueue*): pure functions that, given the same sorted queue list and
// sorted consumer-id list, return exactly the queues Java assigns to `currentCid`. The caller sorts (see
// sortMessageQueues / sortConsumerIds), as Java's RebalanceImpl does before calling a strategy.
import { createHash } from 'node:crypto';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import type { MessageQueue } from '../message.ts';

export interface AllocateStrategy {
  /** Java getName(): "AVG", "AVG_BY_CIRCLE", "CONSISTENT_HASH", "CONFIG", "MACHINE_ROOM". */
  readonly name: string;
  allocate(group: string, currentCid: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[];
}

/** Java MessageQueue.compareTo: topic, then brokerName, then queueId (String.compareTo = UTF-16 code unit order). */
export function compareMessageQueues(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

export function sortMessageQueues(mqs: Iterable<MessageQueue>): MessageQueue[] {
  return [...mqs].sort(compareMessageQueues);
}

export function sortConsumerIds(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Java MessageQueue.toString(), the key ConsistentHash routes on. */
export function messageQueueToJavaString(mq: MessageQueue): string {
  return `MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`;
}

/** Java's argument checks: empty inputs are errors; a consumer missing from cidAll gets nothing. */
function check(currentCid: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): boolean {
  if (!currentCid) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'currentCID is empty');
  if (mqAll.length === 0) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'mqAll is null or mqAll empty');
  if (cidAll.length === 0) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'cidAll is null or cidAll empty');
  return cidAll.includes(currentCid);
}

/** Contiguous blocks; the first `mq % cid` consumers get one extra queue (the default strategy). */
export const allocateAveragely: AllocateStrategy = {
  name: 'AVG',
  allocate(_group, currentCid, mqAll, cidAll) {
    if (!check(currentCid, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCid);
    const n = mqAll.length;
    const c = cidAll.length;
    const mod = n % c;
    const averageSize = n <= c ? 1 : mod > 0 && index < mod ? Math.floor(n / c) + 1 : Math.floor(n / c);
    const startIndex = mod > 0 && index < mod ? index * averageSize : index * averageSize + mod;
    const range = Math.min(averageSize, n - startIndex);
    const out: MessageQueue[] = [];
    for (let i = 0; i < range; i++) out.push(mqAll[(startIndex + i) % n]);
    return out;
  },
};

/** Round robin: queue i goes to consumer i % cid. */
export const allocateAveragelyByCircle: AllocateStrategy = {
  name: 'AVG_BY_CIRCLE',
  allocate(_group, currentCid, mqAll, cidAll) {
    if (!check(currentCid, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCid);
    const out: MessageQueue[] = [];
    for (let i = index; i < mqAll.length; i++) if (i % cidAll.length === index) out.push(mqAll[i]);
    return out;
  },
};

/** Java ConsistentHashRouter's default hash: the first 4 bytes of MD5(UTF-8 key), big-endian, as a non-negative long. */
export function md5RingHash(key: string): number {
  return createHash('md5').update(key, 'utf8').digest().readUInt32BE(0);
}

/**
 * A hash ring with `virtualNodeCnt` virtual nodes per consumer (keys "<cid>-<i>"); each queue goes to the first
 * virtual node at or after the hash of its Java toString(), wrapping around. Later nodes overwrite equal hashes.
 */
export function allocateConsistentHash(virtualNodeCnt = 10, hash: (key: string) => number = md5RingHash): AllocateStrategy {
  if (!Number.isInteger(virtualNodeCnt) || virtualNodeCnt < 0) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `illegal virtualNodeCnt: ${virtualNodeCnt}`);
  }
  return {
    name: 'CONSISTENT_HASH',
    allocate(_group, currentCid, mqAll, cidAll) {
      if (!check(currentCid, mqAll, cidAll)) return [];
      const ring = new Map<number, string>();
      const replicas = new Map<string, number>();
      for (const cid of cidAll) {
        const existing = replicas.get(cid) ?? 0;
        for (let i = 0; i < virtualNodeCnt; i++) ring.set(hash(`${cid}-${i + existing}`), cid);
        replicas.set(cid, existing + virtualNodeCnt);
      }
      if (ring.size === 0) return [];
      const points = [...ring.keys()].sort((a, b) => a - b);
      const out: MessageQueue[] = [];
      for (const mq of mqAll) {
        const h = hash(messageQueueToJavaString(mq));
        let lo = 0;
        let hi = points.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (points[mid] < h) lo = mid + 1;
          else hi = mid;
        }
        const owner = ring.get(points[lo === points.length ? 0 : lo]);
        if (owner === currentCid) out.push(mq);
      }
      return out;
    },
  };
}

/** Java String.split: trailing empty strings are removed. */
function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** A fixed list of queues, whatever the input (Java AllocateMessageQueueByConfig). */
export function allocateByConfig(queues: readonly MessageQueue[]): AllocateStrategy {
  const fixed = queues.map((q) => ({ ...q }));
  return {
    name: 'CONFIG',
    allocate() {
      return fixed.map((q) => ({ ...q }));
    },
  };
}

/**
 * Only queues of brokers named "<idc>@<name>" whose idc is in `consumerIdcs`, split into blocks of
 * floor(n / cid) with the remainder dealt one each to the first consumers (Java AllocateMessageQueueByMachineRoom).
 */
export function allocateByMachineRoom(consumerIdcs: Iterable<string>): AllocateStrategy {
  const idcs = new Set(consumerIdcs);
  return {
    name: 'MACHINE_ROOM',
    allocate(_group, currentCid, mqAll, cidAll) {
      const currentIndex = cidAll.indexOf(currentCid);
      if (currentIndex < 0) return [];
      const pre = mqAll.filter((mq) => {
        const parts = javaSplit(mq.brokerName, '@');
        return parts.length === 2 && idcs.has(parts[0]);
      });
      const mod = Math.floor(pre.length / cidAll.length);
      const rem = pre.length % cidAll.length;
      const out: MessageQueue[] = [];
      for (let i = mod * currentIndex; i < mod * currentIndex + mod; i++) out.push(pre[i]);
      if (rem > currentIndex) out.push(pre[currentIndex + mod * cidAll.length]);
      return out;
    },
  };
}
