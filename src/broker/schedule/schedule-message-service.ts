// Delivers delay-level messages (PROTOCOL.md §8.1, Java ScheduleMessageService): one loop per level reads
// SCHEDULE_TOPIC_XXXX queue (level − 1) from its offset in delayOffset.json; each message whose deliver time
// (store time + level delay) has come is re-put to REAL_TOPIC / REAL_QID without DELAY, and the level's offset moves
// past it only once the put succeeded. Offsets are persisted every flushDelayOffsetInterval and at shutdown, so a clean
// restart neither repeats nor skips a message (a crash may repeat what was delivered since the last persist).
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { MessageConst } from '../../common/message/message-const.ts';
import type { HostAddress } from '../../common/message/host-address.ts';
import { decodeRecord } from '../../common/message/message-record.ts';
import { GetMessageStatus, PutMessageStatus, SCHEDULE_TOPIC } from '../../store/index.ts';
import type { MessageStore } from '../../store/index.ts';
import { restoreParkedMessage } from '../message-transform.ts';
import type { DelayOffsetTable } from './delay-offset-table.ts';

/** Internal group name used for the schedule queue reads. */
export const SCHEDULE_CONSUMER_GROUP = 'CID_RMQ_SYS_SCHEDULE';
/** Properties removed when a delayed message is delivered (Java strips these three). */
const STRIP_ON_DELIVERY: readonly string[] = [MessageConst.DELAY, MessageConst.TIMER_DELIVER_MS, MessageConst.TIMER_DELAY_SEC];

export interface ScheduleMessageServiceOptions {
  store: MessageStore;
  /** Delay of each level in ms (index 0 = level 1). */
  levels: readonly number[];
  offsets: DelayOffsetTable;
  storeHost: () => HostAddress;
  now?: () => number;
  logger?: Logger;
  /** Pause between polls of one level (Java 100 ms). */
  pollIntervalMs?: number;
  /** Pause after a failed put (Java 10 s). */
  errorRetryMs?: number;
  /** delayOffset.json persist period (flushDelayOffsetInterval). */
  flushIntervalMs?: number;
  /** First poll of each level after start (Java 1 s). */
  firstDelayMs?: number;
}

export interface LevelDelivery {
  delivered: number;
  /** Next offset still waiting in this level's queue (or the queue end). */
  nextOffset: number;
  /** Deliver time of the first waiting message, when one is waiting. */
  nextDeliverAt?: number;
  failed: boolean;
}

/** Java correctDeliverTimestamp: a deliver time further away than one level delay (clock moved back) means now. */
function correctedDeliverAt(now: number, deliverAt: number, delayMs: number): number {
  return deliverAt > now + delayMs ? now : deliverAt;
}

export class ScheduleMessageService {
  readonly #o: ScheduleMessageServiceOptions;
  readonly #now: () => number;
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();
  #flushTimer: ReturnType<typeof setInterval> | undefined;
  #running = false;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #levelLocks = new Map<number, Promise<void>>();

  constructor(options: ScheduleMessageServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  get levelCount(): number {
    return this.#o.levels.length;
  }

  get offsets(): DelayOffsetTable {
    return this.#o.offsets;
  }

  /** Loads delayOffset.json first (before any timer could persist over it), then starts one loop per level. */
  start(): void {
    if (this.#running) return;
    if (!this.#o.offsets.loaded) this.#o.offsets.load();
    this.#running = true;
    const first = this.#o.firstDelayMs ?? 1000;
    for (let level = 1; level <= this.#o.levels.length; level++) this.#schedule(level, first);
    const flushMs = this.#o.flushIntervalMs ?? 10_000;
    this.#flushTimer = setInterval(() => this.persist(), flushMs);
    this.#flushTimer.unref?.();
  }

  /** Stops the loops, waits for deliveries under way, persists the offsets. */
  async shutdown(): Promise<void> {
    const wasRunning = this.#running;
    this.#running = false;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    if (this.#flushTimer !== undefined) clearInterval(this.#flushTimer);
    this.#flushTimer = undefined;
    await Promise.allSettled([...this.#inFlight, ...this.#levelLocks.values()]);
    if (wasRunning) this.persist(true);
  }

  /** Writes delayOffset.json if something moved (never before it was loaded). */
  persist(force = false): void {
    try {
      this.#o.offsets.persist(force);
    } catch (e) {
      this.#o.logger?.error({ path: this.#o.offsets.path, err: errorMessage(e) }, 'persist delayOffset.json failed');
    }
  }

  /** Delivers every due message of every level now (tests; the loops call deliverLevel). */
  async deliverAllDue(): Promise<number> {
    let n = 0;
    for (let level = 1; level <= this.#o.levels.length; level++) n += (await this.deliverLevel(level)).delivered;
    return n;
  }

  /** Delivers the due messages of one level, in queue order, stopping at the first one not due yet (one round per
   *  level at a time: concurrent callers queue up). */
  deliverLevel(level: number): Promise<LevelDelivery> {
    const prev = this.#levelLocks.get(level) ?? Promise.resolve();
    const run = prev.then(() => this.#deliverLevel(level));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#levelLocks.set(level, tail);
    void tail.then(() => {
      if (this.#levelLocks.get(level) === tail) this.#levelLocks.delete(level);
    });
    return run;
  }

  async #deliverLevel(level: number): Promise<LevelDelivery> {
    const { store, offsets } = this.#o;
    const delayMs = this.#o.levels[level - 1];
    const queueId = level - 1;
    let offset = offsets.get(level);
    const min = store.getMinOffsetInQueue(SCHEDULE_TOPIC, queueId);
    const max = store.getMaxOffsetInQueue(SCHEDULE_TOPIC, queueId);
    if (offset < min || offset > max) {
      this.#o.logger?.warn({ level, offset, min, max }, 'delay offset outside the schedule queue: corrected');
      offset = offset < min ? min : max;
      offsets.set(level, offset);
    }
    let delivered = 0;
    while (offset < max) {
      const r = store.getMessage(SCHEDULE_CONSUMER_GROUP, SCHEDULE_TOPIC, queueId, offset, 32, Number.MAX_SAFE_INTEGER);
      if (r.status !== GetMessageStatus.FOUND) {
        // Holes (cleaned files) move the offset forward; nothing readable yet ends the round.
        if (r.nextBeginOffset > offset) {
          offset = r.nextBeginOffset;
          offsets.set(level, offset);
          continue;
        }
        break;
      }
      for (let i = 0; i < r.messages.length; i++) {
        const qo = r.queueOffsets[i];
        let msg;
        try {
          msg = decodeRecord(r.messages[i]);
        } catch (e) {
          this.#o.logger?.error({ level, queueOffset: qo, err: errorMessage(e) }, 'unreadable schedule record skipped');
          offset = qo + 1;
          offsets.set(level, offset);
          continue;
        }
        const now = this.#now();
        const deliverAt = correctedDeliverAt(now, msg.storeTimestamp + delayMs, delayMs);
        if (deliverAt > now) return { delivered, nextOffset: qo, nextDeliverAt: deliverAt, failed: false };
        const input = restoreParkedMessage(msg, STRIP_ON_DELIVERY, this.#o.storeHost());
        if (input === undefined) {
          this.#o.logger?.error({ level, queueOffset: qo, msgId: msg.msgId }, 'schedule record without REAL_TOPIC/REAL_QID dropped');
        } else {
          const put = await store.putMessage(input);
          if (put.status !== PutMessageStatus.PUT_OK) {
            this.#o.logger?.warn({ level, queueOffset: qo, status: put.status, remark: put.remark }, 'delayed message delivery failed; will retry');
            return { delivered, nextOffset: qo, failed: true };
          }
          delivered++;
        }
        offset = qo + 1;
        offsets.set(level, offset);
      }
      if (r.messages.length === 0) break;
    }
    return { delivered, nextOffset: offset, failed: false };
  }

  #schedule(level: number, ms: number): void {
    if (!this.#running) return;
    const t = setTimeout(() => {
      this.#timers.delete(level);
      if (!this.#running) return;
      const p = this.deliverLevel(level).then(
        (r) => this.#schedule(level, r.failed ? (this.#o.errorRetryMs ?? 10_000) : (this.#o.pollIntervalMs ?? 100)),
        (e: unknown) => {
          this.#o.logger?.error({ level, err: errorMessage(e) }, 'schedule delivery round failed');
          this.#schedule(level, this.#o.errorRetryMs ?? 10_000);
        },
      );
      this.#inFlight.add(p);
      void p.finally(() => this.#inFlight.delete(p));
    }, ms);
    t.unref?.();
    this.#timers.set(level, t);
  }
}
