// The broker's two "deliver later" services behind one start/shutdown: delay levels (ScheduleMessageService,
// delayOffset.json) and 5.x timer messages (TimerMessageService, the time wheel). BrokerController owns one.
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import { brokerConfigFilePath } from '../config/config-file.ts';
import { TIMER_TOPIC, delayLevelTable } from '../message-transform.ts';
import type { BrokerContext } from '../processor/broker-context.ts';
import { guarded, ok } from '../processor/reply.ts';
import type { BrokerProcessor } from '../processor/reply.ts';
import { TimerMessageService } from '../timer/timer-message-service.ts';
import { newTopicConfig } from '../topic/topic-config.ts';
import { DelayOffsetTable } from './delay-offset-table.ts';
import { ScheduleMessageService } from './schedule-message-service.ts';

export interface DelayedDeliveryOptions {
  /** Poll period of each delay level (default 100 ms). */
  schedulePollIntervalMs?: number;
  /** Timer tick (default 100 ms). */
  timerTickMs?: number;
}

export class DelayedDelivery implements BrokerProcessor {
  readonly schedule: ScheduleMessageService;
  /** Undefined when timerWheelEnable is false. */
  readonly timer: TimerMessageService | undefined;
  readonly #ctx: BrokerContext;
  #started = false;

  constructor(ctx: BrokerContext, options: DelayedDeliveryOptions = {}) {
    this.#ctx = ctx;
    const cfg = ctx.messageStoreConfig;
    const now = (): number => ctx.now();
    const storeHost = (): ReturnType<BrokerContext['storeHost']> => ctx.storeHost();
    this.schedule = new ScheduleMessageService({
      store: ctx.store,
      levels: delayLevelTable(cfg.messageDelayLevel),
      offsets: new DelayOffsetTable(brokerConfigFilePath(cfg.storePathRootDir, 'delayOffset.json'), { now, logger: ctx.log }),
      storeHost,
      now,
      logger: ctx.log,
      pollIntervalMs: options.schedulePollIntervalMs,
      flushIntervalMs: cfg.flushDelayOffsetInterval,
    });
    this.timer = cfg.timerWheelEnable
      ? new TimerMessageService({
          store: ctx.store,
          storeRoot: cfg.storePathRootDir,
          precisionMs: cfg.timerPrecisionMs,
          maxDelaySec: cfg.timerMaxDelaySec,
          timerLogSegmentSize: cfg.mappedFileSizeTimerLog,
          storeHost,
          now,
          logger: ctx.log,
          tickMs: options.timerTickMs,
          flushIntervalMs: cfg.timerFlushIntervalMs,
        })
      : undefined;
  }

  /** GET_ALL_DELAY_OFFSET 45 (slave sync, mqadmin): the delayOffset.json text, compact. */
  handlers(): Array<[number, RequestHandler]> {
    return [
      [RequestCode.GET_ALL_DELAY_OFFSET, guarded((req) => ok(req, undefined, Buffer.from(this.schedule.offsets.encode(), 'utf8')), this.#ctx.log)],
    ];
  }

  /** Call after the store started: loads delayOffset.json / timer files, then starts the loops. */
  start(): void {
    this.#started = true; // set first: a failure below still lets shutdown() stop what did start
    this.schedule.start();
    if (this.timer !== undefined) {
      // Java registers the wheel topic as a 1-queue system topic (after topics.json is loaded, never before).
      this.#ctx.topicConfigManager.createTopicIfAbsent(newTopicConfig(TIMER_TOPIC, { readQueueNums: 1, writeQueueNums: 1 }));
      this.timer.start();
    }
  }

  /** Call before the store shuts down: stops the loops and persists progress (no-op if never started). */
  async shutdown(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.schedule.shutdown();
    await this.timer?.shutdown();
  }
}
