// Concurrent consumption (Java ConsumeMessageConcurrentlyService): batches of consumeMessageBatchMaxSize messages,
// at most `concurrency` listener calls at a time; failures are sent back to the broker (CONSUMER_SEND_MSG_BACK) in
// clustering mode and consumed again locally later when that fails; the queue's commit offset is the smallest offset
// still in flight (ProcessQueue). Messages stuck longer than consumeTimeout are sent back (delay level 3).
import { errorMessage } from '../../common/errors.ts';
import { MessageConst } from '../../common/message/message-const.ts';
import { messageQueueKey } from '../message.ts';
import type { MessageQueue } from '../message.ts';
import { sleep } from './consumer-options.ts';
import { ConsumeConcurrentlyStatus } from './listener.ts';
import type { ConsumeService, ConsumerCore, MessageListenerConcurrently } from './listener.ts';
import type { MessageExt } from './message-ext.ts';
import type { ProcessQueue } from './process-queue.ts';
import { MessageModel } from './rebalance.ts';

export interface ConcurrentlyOptions {
  batchSize: number;
  concurrency: number;
  maxReconsumeTimes: number;
  consumeTimeout: number;
  sendBackFailedRetryDelay: number;
}

interface Task {
  mq: MessageQueue;
  pq: ProcessQueue;
  msgs: MessageExt[];
}

export class ConsumeConcurrentlyService implements ConsumeService {
  readonly #core: ConsumerCore;
  readonly #listener: MessageListenerConcurrently;
  readonly #o: ConcurrentlyOptions;
  readonly #pending: Task[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  #timeoutTimer: NodeJS.Timeout | undefined;

  constructor(core: ConsumerCore, listener: MessageListenerConcurrently, options: ConcurrentlyOptions) {
    this.#core = core;
    this.#listener = listener;
    this.#o = options;
  }

  get active(): number {
    return this.#inFlight.size;
  }

  /** Start the consume-timeout sweeper (clustering only). */
  start(queues: () => Iterable<{ mq: MessageQueue; pq: ProcessQueue }>): void {
    if (this.#core.messageModel !== MessageModel.CLUSTERING) return;
    const every = Math.max(1000, Math.min(this.#o.consumeTimeout, 60_000));
    this.#timeoutTimer = setInterval(() => void this.cleanExpired(queues()), every);
    this.#timeoutTimer.unref();
  }

  submit(mq: MessageQueue, pq: ProcessQueue, msgs: MessageExt[]): void {
    for (let i = 0; i < msgs.length; i += this.#o.batchSize) this.#pending.push({ mq, pq, msgs: msgs.slice(i, i + this.#o.batchSize) });
    this.#drain();
  }

  #drain(): void {
    while (!this.#core.stopping() && this.#inFlight.size < this.#o.concurrency && this.#pending.length > 0) {
      const task = this.#pending.shift() as Task;
      if (task.pq.dropped) continue;
      const p = this.#run(task).finally(() => {
        this.#inFlight.delete(p);
        this.#drain();
      });
      this.#inFlight.add(p);
    }
  }

  async #run(task: Task): Promise<void> {
    const { mq, pq, msgs } = task;
    const ctx = { mq, delayLevelWhenNextConsume: 0, ackIndex: Number.MAX_SAFE_INTEGER };
    const now = Date.now();
    for (const m of msgs) m.properties[MessageConst.CONSUME_START_TIME] = String(now);
    pq.markConsumeStart(msgs, now);
    let status: ConsumeConcurrentlyStatus;
    try {
      const r = await this.#listener(msgs, ctx);
      status = r === ConsumeConcurrentlyStatus.RECONSUME_LATER ? r : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    } catch (e) {
      this.#core.log.warn({ mq: messageQueueKey(mq), err: errorMessage(e) }, 'listener failed; messages will be retried');
      status = ConsumeConcurrentlyStatus.RECONSUME_LATER;
    }
    pq.lastConsumeTimestamp = Date.now();
    if (pq.dropped) return; // the queue moved to another consumer; its new owner starts from the committed offset
    await this.#processResult(task, status, ctx.ackIndex, ctx.delayLevelWhenNextConsume);
  }

  async #processResult(task: Task, status: ConsumeConcurrentlyStatus, ackIndexIn: number, delayLevel: number): Promise<void> {
    const { mq, pq, msgs } = task;
    let ackIndex = status === ConsumeConcurrentlyStatus.CONSUME_SUCCESS ? Math.min(ackIndexIn, msgs.length - 1) : -1;
    if (ackIndex < -1) ackIndex = -1;
    const failed = msgs.slice(ackIndex + 1);
    const done = msgs.slice(0, ackIndex + 1);
    const again: MessageExt[] = [];
    if (failed.length > 0) {
      if (this.#core.stopping()) {
        // Shutting down: leave failed messages uncommitted instead of also sending them back (no double delivery).
        again.push(...failed);
      } else if (this.#core.messageModel === MessageModel.BROADCASTING) {
        for (const m of failed) this.#core.log.warn({ msgId: m.msgId }, 'broadcasting: failed message dropped');
        done.push(...failed);
      } else {
        for (const m of failed) {
          if (!pq.contains(m.queueOffset)) continue; // already sent back by the timeout sweeper
          try {
            await this.#core.sendMessageBack(m, delayLevel, this.#o.maxReconsumeTimes);
            done.push(m);
          } catch (e) {
            this.#core.log.warn({ msgId: m.msgId, err: errorMessage(e) }, 'send back failed; consuming again locally');
            m.reconsumeTimes++;
            again.push(m);
          }
        }
      }
    }
    const offset = pq.removeMessages(done);
    if (offset >= 0 && !pq.dropped) this.#core.offsetStore().updateOffset(mq, offset, true);
    if (again.length > 0 && !this.#core.stopping()) {
      void sleep(this.#o.sendBackFailedRetryDelay, this.#stop.signal).then(() => {
        if (!pq.dropped && !this.#core.stopping()) this.submit(mq, pq, again);
      });
    }
  }

  /** Send back messages whose listener call has run longer than consumeTimeout (at most 16 per queue per sweep). */
  async cleanExpired(queues: Iterable<{ mq: MessageQueue; pq: ProcessQueue }>): Promise<void> {
    const deadline = Date.now() - this.#o.consumeTimeout;
    for (const { mq, pq } of queues) {
      if (pq.dropped) continue;
      for (const m of pq.expiredInFlight(deadline).slice(0, 16)) {
        if (this.#core.stopping()) return;
        try {
          await this.#core.sendMessageBack(m, 3, this.#o.maxReconsumeTimes);
        } catch (e) {
          this.#core.log.warn({ msgId: m.msgId, err: errorMessage(e) }, 'send back of a timed-out message failed');
          continue;
        }
        const offset = pq.removeMessages([m]);
        if (offset >= 0 && !pq.dropped) this.#core.offsetStore().updateOffset(mq, offset, true);
      }
    }
  }

  async shutdown(awaitMs: number): Promise<void> {
    this.#stop.abort();
    if (this.#timeoutTimer) clearInterval(this.#timeoutTimer);
    this.#pending.length = 0;
    if (this.#inFlight.size === 0) return;
    await Promise.race([Promise.allSettled([...this.#inFlight]), sleep(awaitMs)]);
  }
}
