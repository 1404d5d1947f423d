// Message counters behind GET_BROKER_RUNTIME_INFO (PROTOCOL.md §4.9), GET_TOPIC_STATS_INFO's topicPutTps and
// GET_CONSUME_STATS's consumeTps (§4.7): put/get totals since start, the totals at this and the previous local
// midnight (Java BrokerStats' "today/yesterday morning"), and rates over sliding windows of whole seconds.
// No timers: day roll-over and window expiry are evaluated lazily against the injected clock.
import { PutMessageStatus } from '../../store/commitlog/commit-log.ts';

/** Put statuses that mean "stored" (the send reply is 0/10/11/12). */
const STORED: ReadonlySet<string> = new Set([
  PutMessageStatus.PUT_OK,
  PutMessageStatus.FLUSH_DISK_TIMEOUT,
  PutMessageStatus.FLUSH_SLAVE_TIMEOUT,
  PutMessageStatus.SLAVE_NOT_AVAILABLE,
]);

/** A per-second event counter keeping the last `capacity` seconds. */
export class SlidingRate {
  readonly #buckets: Float64Array;
  /** Epoch second each bucket currently holds (−1 = empty). */
  readonly #seconds: Float64Array;

  constructor(capacitySeconds: number) {
    this.#buckets = new Float64Array(capacitySeconds);
    this.#seconds = new Float64Array(capacitySeconds).fill(-1);
  }

  add(nowMs: number, n: number): void {
    const sec = Math.floor(nowMs / 1000);
    const i = sec % this.#buckets.length;
    if (this.#seconds[i] !== sec) {
      this.#seconds[i] = sec;
      this.#buckets[i] = 0;
    }
    this.#buckets[i] = (this.#buckets[i] ?? 0) + n;
  }

  /** Events per second over the last `windowSeconds` seconds, the current one included. */
  tps(nowMs: number, windowSeconds: number): number {
    const w = Math.max(1, Math.min(windowSeconds, this.#buckets.length));
    const sec = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.#buckets.length; i++) {
      const s = this.#seconds[i] ?? -1;
      if (s > sec - w && s <= sec) sum += this.#buckets[i] ?? 0;
    }
    return sum / w;
  }
}

/** Start (ms) of the local calendar day after the one holding `ms`. */
function nextLocalMidnight(ms: number): number {
  const d = new Date(ms);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

class DailyTotal {
  total = 0;
  todayMorning = 0;
  yesterdayMorning = 0;
  #nextMidnight: number;

  constructor(now: number) {
    this.#nextMidnight = nextLocalMidnight(now);
  }

  /** Moves the morning snapshots forward if one or more midnights passed since the last call. */
  roll(now: number): void {
    if (now < this.#nextMidnight) return;
    const oneDayLater = nextLocalMidnight(this.#nextMidnight);
    // Exactly one midnight passed: today's snapshot becomes yesterday's. More: nothing happened in between.
    this.yesterdayMorning = now < oneDayLater ? this.todayMorning : this.total;
    this.todayMorning = this.total;
    this.#nextMidnight = nextLocalMidnight(now);
  }
}

/** Windows (seconds) of the "putTps"/"getTransferedTps" strings: Java prints the 10 s, 1 min and 10 min rates. */
export const TPS_WINDOWS = [10, 60, 600] as const;
/** topicPutTps / consumeTps are one-minute rates. */
export const KEYED_TPS_WINDOW = 60;

export interface BrokerStatsSnapshot {
  msgPutTotalYesterdayMorning: number;
  msgPutTotalTodayMorning: number;
  msgPutTotalTodayNow: number;
  msgGetTotalYesterdayMorning: number;
  msgGetTotalTodayMorning: number;
  msgGetTotalTodayNow: number;
  /** Pull requests that found / did not find messages, since start. */
  getFoundTotal: number;
  getMissTotal: number;
}

export class BrokerStats {
  readonly #now: () => number;
  readonly #put: DailyTotal;
  readonly #get: DailyTotal;
  readonly #putRate = new SlidingRate(TPS_WINDOWS[2] + 1);
  readonly #getRate = new SlidingRate(TPS_WINDOWS[2] + 1);
  readonly #foundRate = new SlidingRate(TPS_WINDOWS[2] + 1);
  readonly #missRate = new SlidingRate(TPS_WINDOWS[2] + 1);
  readonly #topicPut = new Map<string, SlidingRate>();
  /** `topic@group` → messages pulled. */
  readonly #groupGet = new Map<string, SlidingRate>();
  #getFound = 0;
  #getMiss = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    const t = now();
    this.#put = new DailyTotal(t);
    this.#get = new DailyTotal(t);
  }

  /** `messages` stored into `topic` (a batch counts each message). */
  recordPut(topic: string, messages: number): void {
    const now = this.#now();
    this.#put.roll(now);
    this.#put.total += messages;
    this.#putRate.add(now, messages);
    keyed(this.#topicPut, topic).add(now, messages);
  }

  /** recordPut when a put with this store status stored the messages; failures are not counted. */
  recordPutResult(topic: string, messages: number, status: string): void {
    if (STORED.has(status)) this.recordPut(topic, messages);
  }

  /** One pull by `group` on `topic` that returned `messages` messages (0 = nothing found). */
  recordGet(group: string, topic: string, messages: number): void {
    const now = this.#now();
    this.#get.roll(now);
    if (messages > 0) {
      this.#get.total += messages;
      this.#getFound++;
      this.#getRate.add(now, messages);
      this.#foundRate.add(now, 1);
      keyed(this.#groupGet, `${topic}@${group}`).add(now, messages);
    } else {
      this.#getMiss++;
      this.#missRate.add(now, 1);
    }
  }

  snapshot(): BrokerStatsSnapshot {
    const now = this.#now();
    this.#put.roll(now);
    this.#get.roll(now);
    return {
      msgPutTotalYesterdayMorning: this.#put.yesterdayMorning,
      msgPutTotalTodayMorning: this.#put.todayMorning,
      msgPutTotalTodayNow: this.#put.total,
      msgGetTotalYesterdayMorning: this.#get.yesterdayMorning,
      msgGetTotalTodayMorning: this.#get.todayMorning,
      msgGetTotalTodayNow: this.#get.total,
      getFoundTotal: this.#getFound,
      getMissTotal: this.#getMiss,
    };
  }

  /** Messages stored per second over the last `windowSeconds`. */
  putTps(windowSeconds: number): number {
    return this.#putRate.tps(this.#now(), windowSeconds);
  }

  /** Messages handed to consumers per second. */
  getTransferredTps(windowSeconds: number): number {
    return this.#getRate.tps(this.#now(), windowSeconds);
  }

  getFoundTps(windowSeconds: number): number {
    return this.#foundRate.tps(this.#now(), windowSeconds);
  }

  getMissTps(windowSeconds: number): number {
    return this.#missRate.tps(this.#now(), windowSeconds);
  }

  /** One-minute put rate of a topic (TopicStatsTable.topicPutTps). */
  topicPutTps(topic: string): number {
    return this.#topicPut.get(topic)?.tps(this.#now(), KEYED_TPS_WINDOW) ?? 0;
  }

  /** One-minute pulled-message rate of a group on a topic (ConsumeStats.consumeTps). */
  groupGetTps(group: string, topic: string): number {
    return this.#groupGet.get(`${topic}@${group}`)?.tps(this.#now(), KEYED_TPS_WINDOW) ?? 0;
  }

  /** Forgets the rates of a deleted group. */
  forgetGroup(group: string): void {
    for (const k of [...this.#groupGet.keys()]) if (k.endsWith(`@${group}`)) this.#groupGet.delete(k);
  }

  /** Forgets the rates of a deleted topic. */
  forgetTopic(topic: string): void {
    this.#topicPut.delete(topic);
    for (const k of [...this.#groupGet.keys()]) if (k.startsWith(`${topic}@`)) this.#groupGet.delete(k);
  }
}

function keyed(m: Map<string, SlidingRate>, key: string): SlidingRate {
  let r = m.get(key);
  if (r === undefined) {
    r = new SlidingRate(KEYED_TPS_WINDOW + 1);
    m.set(key, r);
  }
  return r;
}

/** What brokerStatsOf needs from a broker: its clock. */
export interface StatsOwner {
  now(): number;
}

const registry = new WeakMap<StatsOwner, BrokerStats>();

/**
 * The BrokerStats of a broker (one per BrokerContext, created on first use with the broker's clock). Lets the
 * send/pull processors feed counters with a one-line hook and the admin processors read them, without widening
 * BrokerContext.
 */
export function brokerStatsOf(owner: StatsOwner): BrokerStats {
  let s = registry.get(owner);
  if (s === undefined) {
    s = new BrokerStats(() => owner.now());
    registry.set(owner, s);
  }
  return s;
}
