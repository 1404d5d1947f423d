// Orderly consumption (Java ConsumeMessageOrderlyService): one consume loop per queue, messages in offset order, only
// while this client holds the queue's broker lock (clustering; a lock older than lockMaxLiveTime counts as lost). A
// failure suspends the queue for suspendCurrentQueueTimeMillis and retries the same messages locally; a message that
// reached maxReconsumeTimes is sent to the DLQ (send-back with delay level -1).
import { errorMessage } from '../../common/errors.ts';
import { MessageConst } from '../../common/message/message-const.ts';
import { messageQueueKey } from '../message.ts';
import type { MessageQueue } from '../message.ts';
import { sleep } from './consumer-options.ts';
import { ConsumeOrderlyStatus } from './listener.ts';
import type { ConsumeService, ConsumerCore, MessageListenerOrderly } from './listener.ts';
import type { MessageExt } from './message-ext.ts';
import type { ProcessQueue } from './process-queue.ts';
import { MessageModel } from './rebalance.ts';

export interface OrderlyOptions {
  batchSize: number;
  maxReconsumeTimes: number;
  suspendCurrentQueueTimeMillis: number;
  lockMaxLiveTime: number;
}

export class ConsumeOrderlyService implements ConsumeService {
  readonly #core: ConsumerCore;
  readonly #listener: MessageListenerOrderly;
  readonly #o: OrderlyOptions;
  /** Running consume loop per queue key. */
  readonly #loops = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();

  constructor(core: ConsumerCore, listener: MessageListenerOrderly, options: OrderlyOptions) {
    this.#core = core;
    this.#listener = listener;
    this.#o = options;
  }

  get active(): number {
    return this.#loops.size;
  }

  submit(mq: MessageQueue, pq: ProcessQueue, _msgs: MessageExt[], dispatch: boolean): void {
    if (dispatch) this.#startLoop(mq, pq);
  }

  /** The queue's consume loop, if one is running (to wait for it before unlocking). */
  loopOf(mq: MessageQueue): Promise<void> | undefined {
    return this.#loops.get(messageQueueKey(mq));
  }

  #startLoop(mq: MessageQueue, pq: ProcessQueue): void {
    const key = messageQueueKey(mq);
    if (this.#loops.has(key)) return;
    pq.consuming = true;
    const p = this.#loop(mq, pq)
      .catch((e: unknown) => this.#core.log.error({ mq: key, err: errorMessage(e) }, 'orderly consume loop failed'))
      .finally(() => {
        this.#loops.delete(key);
        pq.consuming = false;
        // Messages may have arrived after the loop decided to stop.
        if (pq.hasCached() && !pq.dropped && !this.#core.stopping() && this.#lockOk(pq)) this.#startLoop(mq, pq);
      });
    this.#loops.set(key, p);
  }

  #lockOk(pq: ProcessQueue): boolean {
    if (this.#core.messageModel === MessageModel.BROADCASTING) return true;
    return pq.locked && !pq.isLockExpired(this.#o.lockMaxLiveTime);
  }

  async #loop(mq: MessageQueue, pq: ProcessQueue): Promise<void> {
    const signal = this.#stop.signal;
    for (;;) {
      if (pq.dropped || this.#core.stopping()) return;
      if (!this.#lockOk(pq)) {
        // Try to get the lock back, then go on (Java tryLockLaterAndReconsume).
        await sleep(100, signal);
        if (pq.dropped || this.#core.stopping()) return;
        if (!(await this.#core.lockQueue(mq))) {
          await sleep(3000, signal);
          continue;
        }
      }
      const msgs = pq.takeMessages(this.#o.batchSize);
      if (msgs.length === 0) return;
      const ctx = { mq, suspendCurrentQueueTimeMillis: this.#o.suspendCurrentQueueTimeMillis };
      const now = String(Date.now());
      for (const m of msgs) m.properties[MessageConst.CONSUME_START_TIME] = now;
      let status: ConsumeOrderlyStatus;
      try {
        const r = await this.#listener(msgs, ctx);
        status = r === ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT ? r : ConsumeOrderlyStatus.SUCCESS;
      } catch (e) {
        this.#core.log.warn({ mq: messageQueueKey(mq), err: errorMessage(e) }, 'orderly listener failed; queue suspended');
        status = ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
      }
      pq.lastConsumeTimestamp = Date.now();
      if (pq.dropped) return; // not ours any more: the next owner consumes from the committed offset
      if (status === ConsumeOrderlyStatus.SUCCESS) {
        this.#commit(mq, pq);
        continue;
      }
      if (this.#core.stopping()) {
        pq.rollbackOrderly();
        return;
      }
      if (await this.#needsLocalRetry(msgs)) {
        pq.rollbackOrderly();
        await sleep(Math.max(0, ctx.suspendCurrentQueueTimeMillis), signal);
      } else {
        this.#commit(mq, pq);
      }
    }
  }

  #commit(mq: MessageQueue, pq: ProcessQueue): void {
    const offset = pq.commitOrderly();
    if (offset >= 0 && !pq.dropped) this.#core.offsetStore().updateOffset(mq, offset, false);
  }

  /**
   * Java checkReconsumeTimes: messages over maxReconsumeTimes go to the DLQ; true when at least one message must be
   * consumed again locally (it was under the limit, or the DLQ send failed). Counts the attempt on each retried message.
   */
  async #needsLocalRetry(msgs: MessageExt[]): Promise<boolean> {
    let retry = false;
    for (const m of msgs) {
      if (m.reconsumeTimes >= this.#o.maxReconsumeTimes) {
        m.properties[MessageConst.RECONSUME_TIME] = String(m.reconsumeTimes);
        try {
          await this.#core.sendMessageBack(m, -1, this.#o.maxReconsumeTimes);
          continue;
        } catch (e) {
          this.#core.log.warn({ msgId: m.msgId, err: errorMessage(e) }, 'moving a message to the DLQ failed; retrying locally');
        }
      }
      m.reconsumeTimes++;
      retry = true;
    }
    return retry;
  }

  async shutdown(awaitMs: number): Promise<void> {
    this.#stop.abort();
    if (this.#loops.size === 0) return;
    await Promise.race([Promise.allSettled([...this.#loops.values()]), sleep(awaitMs)]);
  }
}
