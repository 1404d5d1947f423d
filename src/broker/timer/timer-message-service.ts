// Timer messages (PROTOCOL.md §8.1, 5.x RIP-43): messages parked in rmq_sys_wheel_timer queue 0 (TIMER_OUT_MS =
// deliver time) are delivered at that second by re-putting them to REAL_TOPIC / REAL_QID without timer properties.
//
// Design (scales to millions of pending timers; memory holds only the second being delivered):
// - enqueue: read the timer queue from the enqueue offset; per message append a timer-log record (slot second,
//   deliver time, commit-log offset/size, timer-queue offset, prevPos = the slot's previous head) and point the wheel
//   slot of that second at it. A message already due (its second was passed) is delivered at once and only leaves a
//   PROGRESS record. The enqueue offset is not stored anywhere else: it is "last enqueue record's queue offset + 1",
//   so enqueue progress and timer-log contents can never disagree.
// - dequeue: while the read pointer (timercheck) ≤ now, walk that second's list, deliver oldest first, saving
//   (second, records handled) after each delivery; then move on one second. A clean restart neither repeats nor loses
//   anything; a crash may repeat at most the one put that was under way.
// - horizon: the wheel holds 2 × timerMaxDelaySec of seconds. A deliver time beyond the horizon (only possible when
//   the read pointer lags days behind) is linked into the farthest slot and re-linked when that second comes (ROLLED).
// - cleanup: timer-log segments whose every record is due before the read pointer are deleted.
import { join } from 'node:path';
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { MessageConst } from '../../common/message/message-const.ts';
import type { HostAddress } from '../../common/message/host-address.ts';
import { decodeRecord } from '../../common/message/message-record.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';
import { GetMessageStatus, PutMessageStatus } from '../../store/index.ts';
import type { MessageStore } from '../../store/index.ts';
import { TIMER_PROPERTIES, TIMER_TOPIC, restoreParkedMessage } from '../message-transform.ts';
import { TimerCheckpoint } from './timer-checkpoint.ts';
import { TimerLog, TimerLogFlag } from './timer-log.ts';
import type { TimerLogRecord } from './timer-log.ts';
import { TimerWheel } from './timer-wheel.ts';

/** Timer records handled between two yields to the event loop. */
const YIELD_EVERY = 256;

export const TIMER_CONSUMER_GROUP = 'CID_RMQ_SYS_TIMER';
/** Seconds the dequeue walks per tick before yielding (catch-up after a long stop). */
const MAX_SECONDS_PER_TICK = 3600;

export interface TimerMessageServiceOptions {
  store: MessageStore;
  /** Store root: timerlog/ and timerwheel live here, timercheck in config/ (§7.1). */
  storeRoot: string;
  precisionMs: number;
  maxDelaySec: number;
  timerLogSegmentSize: number;
  storeHost: () => HostAddress;
  now?: () => number;
  logger?: Logger;
  /** Pause between ticks (enqueue + dequeue), default 100 ms. */
  tickMs?: number;
  /** fsync + segment cleanup period (timerFlushIntervalMs). */
  flushIntervalMs?: number;
}

export interface TimerTickResult {
  enqueued: number;
  delivered: number;
}

export class TimerMessageService {
  readonly #o: TimerMessageServiceOptions;
  readonly #now: () => number;
  readonly log: TimerLog;
  readonly wheel: TimerWheel;
  readonly #checkpoint: TimerCheckpoint;
  #currReadTimeMs = 0;
  #deliveredInSlot = 0;
  #enqueueOffset = 0;
  #loaded = false;
  #running = false;
  /** Set by shutdown(): a tick under way stops at its next yield instead of finishing its whole batch. */
  #stopping = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushTimer: ReturnType<typeof setInterval> | undefined;
  #ticking: Promise<TimerTickResult> | undefined;

  constructor(options: TimerMessageServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const p = options.precisionMs;
    const slots = Math.ceil((2 * options.maxDelaySec * 1000) / p) + 1;
    this.log = new TimerLog(join(options.storeRoot, 'timerlog'), options.timerLogSegmentSize);
    this.wheel = new TimerWheel(join(options.storeRoot, 'timerwheel'), slots, p);
    this.#checkpoint = new TimerCheckpoint(join(options.storeRoot, 'config', 'timercheck'));
  }

  /** Next second to deliver. */
  get currReadTimeMs(): number {
    return this.#currReadTimeMs;
  }

  /** Next timer-queue offset to enqueue. */
  get enqueueOffset(): number {
    return this.#enqueueOffset;
  }

  #floor(ms: number): number {
    return Math.floor(ms / this.#o.precisionMs) * this.#o.precisionMs;
  }

  /** Opens the timer log, wheel and timercheck and repairs the one link a crash can leave undone. */
  load(): void {
    if (this.#loaded) return;
    this.log.load();
    this.wheel.load();
    const saved = this.#checkpoint.load();
    if (saved === undefined && this.log.endPos > 0) {
      this.#o.logger?.error({ path: this.#checkpoint.path }, 'timercheck missing or corrupt: timers due before now are not replayed');
    }
    this.#currReadTimeMs = saved?.currReadTimeMs ?? this.#floor(this.#now());
    this.#deliveredInSlot = saved?.deliveredInSlot ?? 0;
    const lastEnqueue = this.log.findLast((r) => r.flags !== TimerLogFlag.ROLLED);
    this.#enqueueOffset = lastEnqueue === undefined ? 0 : lastEnqueue.record.timerQueueOffset + 1;
    const tail = this.log.findLast(() => true, 1);
    if (tail !== undefined && tail.record.flags !== TimerLogFlag.PROGRESS) {
      const slot = this.wheel.get(tail.record.slotTimeMs);
      if (slot.lastPos < tail.pos) {
        this.wheel.put({ timeMs: tail.record.slotTimeMs, lastPos: tail.pos, count: slot.count + 1 });
        this.#o.logger?.warn({ pos: tail.pos, slot: tail.record.slotTimeMs }, 'timer wheel: relinked the last timer-log record');
      }
    }
    this.#loaded = true;
  }

  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    this.load();
    this.#running = true;
    this.#scheduleTick(0);
    this.#flushTimer = setInterval(() => this.flush(), this.#o.flushIntervalMs ?? 1000);
    this.#flushTimer.unref?.();
  }

  async shutdown(): Promise<void> {
    const wasLoaded = this.#loaded;
    this.#running = false;
    this.#stopping = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#flushTimer !== undefined) clearInterval(this.#flushTimer);
    this.#flushTimer = undefined;
    await this.#ticking?.catch(() => undefined);
    if (!wasLoaded) return;
    this.flush();
    this.log.close();
    this.wheel.close();
    this.#checkpoint.close();
    this.#loaded = false;
  }

  /** fsyncs the timer log, wheel and timercheck, then drops timer-log segments that are fully delivered. */
  flush(): void {
    if (!this.#loaded) return;
    try {
      this.log.flush();
      this.wheel.flush();
      this.#checkpoint.flush();
      this.log.deleteSegmentsDueBefore(this.#currReadTimeMs);
    } catch (e) {
      this.#o.logger?.error({ err: errorMessage(e) }, 'timer flush failed');
    }
  }

  /** One round: enqueue what arrived in the timer queue, then deliver every second up to now. */
  tick(): Promise<TimerTickResult> {
    this.#ticking ??= this.#tickNow().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  async #tickNow(): Promise<TimerTickResult> {
    if (!this.#loaded) return { enqueued: 0, delivered: 0 };
    const e = await this.#enqueue();
    const d = await this.#dequeue();
    return { enqueued: e.enqueued, delivered: e.delivered + d };
  }

  #scheduleTick(ms: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.tick().then(
        () => this.#scheduleTick(this.#o.tickMs ?? 100),
        (e: unknown) => {
          this.#o.logger?.error({ err: errorMessage(e) }, 'timer tick failed');
          this.#scheduleTick(1000);
        },
      );
    }, ms);
    this.#timer.unref?.();
  }

  async #enqueue(): Promise<{ enqueued: number; delivered: number }> {
    const { store } = this.#o;
    let enqueued = 0;
    let delivered = 0;
    const min = store.getMinOffsetInQueue(TIMER_TOPIC, 0);
    const max = store.getMaxOffsetInQueue(TIMER_TOPIC, 0);
    if (this.#enqueueOffset < min) this.#enqueueOffset = min;
    let batches = 0;
    while (this.#loaded && this.#enqueueOffset < max) {
      const r = store.getMessage(TIMER_CONSUMER_GROUP, TIMER_TOPIC, 0, this.#enqueueOffset, 32, Number.MAX_SAFE_INTEGER);
      if (r.status !== GetMessageStatus.FOUND) {
        if (r.nextBeginOffset > this.#enqueueOffset) {
          this.#enqueueOffset = r.nextBeginOffset;
          continue;
        }
        break;
      }
      if (++batches % (YIELD_EVERY / 32) === 0 && !(await this.#yield())) break;
      for (let i = 0; i < r.messages.length; i++) {
        const qo = r.queueOffsets[i];
        const rec = r.messages[i];
        let msg: DecodedMessage | undefined;
        try {
          msg = decodeRecord(rec);
        } catch (e) {
          this.#o.logger?.error({ queueOffset: qo, err: errorMessage(e) }, 'unreadable timer record skipped');
        }
        const deliverMs = Number.parseInt(msg?.properties[MessageConst.TIMER_OUT_MS] ?? '', 10);
        const base = { commitLogOffset: msg?.commitLogOffset ?? -1, msgSize: rec.length, timerQueueOffset: qo };
        if (msg === undefined || !Number.isFinite(deliverMs)) {
          this.log.append({ flags: TimerLogFlag.PROGRESS, prevPos: -1, slotTimeMs: 0, deliverMs: 0, ...base });
        } else if (deliverMs < this.#currReadTimeMs) {
          if (!(await this.#deliver(msg))) return { enqueued, delivered };
          delivered++;
          this.log.append({ flags: TimerLogFlag.PROGRESS, prevPos: -1, slotTimeMs: deliverMs, deliverMs, ...base });
        } else {
          this.#link({ flags: TimerLogFlag.LINKED, prevPos: -1, slotTimeMs: 0, deliverMs, ...base });
          enqueued++;
        }
        this.#enqueueOffset = qo + 1;
      }
    }
    return { enqueued, delivered };
  }

  /** Appends `r` to the list of its deliver second (or of the farthest second in the horizon). */
  #link(r: TimerLogRecord): void {
    const p = this.#o.precisionMs;
    const horizonMs = this.wheel.slotCount * p;
    let slotTimeMs = this.#floor(r.deliverMs);
    if (slotTimeMs - this.#currReadTimeMs >= horizonMs) slotTimeMs = this.#currReadTimeMs + horizonMs - p;
    const slot = this.wheel.get(slotTimeMs);
    const pos = this.log.append({ ...r, slotTimeMs, prevPos: slot.lastPos });
    this.wheel.put({ timeMs: slotTimeMs, lastPos: pos, count: slot.count + 1 });
  }

  /** Records of one second's list, oldest first. */
  #slotRecords(timeMs: number): TimerLogRecord[] {
    const slot = this.wheel.get(timeMs);
    const out: TimerLogRecord[] = [];
    let pos = slot.lastPos;
    while (pos >= 0) {
      const r = this.log.read(pos);
      if (r === undefined || r.slotTimeMs !== timeMs) {
        this.#o.logger?.error({ pos, slot: timeMs }, 'timer list broken: its older records are unreachable');
        break;
      }
      out.push(r);
      if (r.prevPos >= pos) break;
      pos = r.prevPos;
    }
    return out.reverse();
  }

  async #dequeue(): Promise<number> {
    let delivered = 0;
    const p = this.#o.precisionMs;
    for (let n = 0; n < MAX_SECONDS_PER_TICK && this.#currReadTimeMs <= this.#now(); n++) {
      if (!this.#loaded) break;
      const second = this.#currReadTimeMs;
      const records = this.#slotRecords(second);
      for (let i = this.#deliveredInSlot; i < records.length; i++) {
        const r = records[i];
        if (this.#floor(r.deliverMs) > second) {
          this.#link({ ...r, flags: TimerLogFlag.ROLLED });
        } else {
          const ok = await this.#deliverAt(r);
          if (!ok) return delivered;
          delivered++;
        }
        this.#deliveredInSlot = i + 1;
        this.#checkpoint.save({ currReadTimeMs: second, deliveredInSlot: this.#deliveredInSlot });
        // ASYNC_FLUSH puts resolve without a turn of the event loop: let pulls, sends and dispatch run between
        // batches, or a second with many due timers would stall the whole broker.
        if ((i + 1) % YIELD_EVERY === 0 && !(await this.#yield())) return delivered;
      }
      this.#currReadTimeMs = second + p;
      this.#deliveredInSlot = 0;
      this.#checkpoint.save({ currReadTimeMs: this.#currReadTimeMs, deliveredInSlot: 0 });
    }
    return delivered;
  }

  /** One turn of the event loop; false when shutdown() started meanwhile (stop: progress is checkpointed). */
  async #yield(): Promise<boolean> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return !this.#stopping && this.#loaded;
  }

  /** Delivers the parked message a record points at; false = put failed (retry on a later tick). */
  async #deliverAt(r: TimerLogRecord): Promise<boolean> {
    const rec = this.#o.store.lookMessageByOffset(r.commitLogOffset);
    if (rec === undefined) {
      this.#o.logger?.error({ commitLogOffset: r.commitLogOffset }, 'timer message no longer in the commit log: dropped');
      return true;
    }
    let msg: DecodedMessage;
    try {
      msg = decodeRecord(rec);
    } catch (e) {
      this.#o.logger?.error({ commitLogOffset: r.commitLogOffset, err: errorMessage(e) }, 'unreadable timer message dropped');
      return true;
    }
    return this.#deliver(msg);
  }

  async #deliver(msg: DecodedMessage): Promise<boolean> {
    const input = restoreParkedMessage(msg, TIMER_PROPERTIES, this.#o.storeHost());
    if (input === undefined) {
      this.#o.logger?.error({ msgId: msg.msgId }, 'timer message without REAL_TOPIC/REAL_QID dropped');
      return true;
    }
    const put = await this.#o.store.putMessage(input);
    if (put.status === PutMessageStatus.PUT_OK) return true;
    this.#o.logger?.warn({ status: put.status, remark: put.remark }, 'timer message delivery failed; will retry');
    return false;
  }
}
