// The async-iterator form of the push consumer: a mailbox between the concurrent consume service and `for await`.
// A message counts as consumed when the loop asks for the next one. Leaving the loop (break, throw, abort) while
// holding a message puts it back at the head of the mailbox for the next iterator; at shutdown it stays uncommitted
// and is delivered again after a restart (at-least-once, never silently lost).
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { ConsumeConcurrentlyStatus } from './listener.ts';
import type { MessageListenerConcurrently } from './listener.ts';
import type { MessageExt } from './message-ext.ts';

interface Letter {
  msg: MessageExt;
  settle: (status: ConsumeConcurrentlyStatus) => void;
}

export class MessageMailbox {
  readonly #letters: Letter[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #iterating = false;

  /** The listener to register with the concurrent consume service (batches are handed out one message at a time). */
  readonly listener: MessageListenerConcurrently = async (msgs) => {
    for (const msg of msgs) {
      const status = await new Promise<ConsumeConcurrentlyStatus>((settle) => {
        if (this.#closed) {
          settle(ConsumeConcurrentlyStatus.RECONSUME_LATER);
          return;
        }
        this.#letters.push({ msg, settle });
        this.#notify();
      });
      if (status !== ConsumeConcurrentlyStatus.CONSUME_SUCCESS) return status;
    }
    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
  };

  #notify(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  /** Shutdown: every waiting message is released unconsumed (the consumer does not commit or send it back). */
  close(): void {
    this.#closed = true;
    for (const l of this.#letters.splice(0)) l.settle(ConsumeConcurrentlyStatus.RECONSUME_LATER);
    this.#notify();
  }

  iterate(signal?: AbortSignal): AsyncIterableIterator<MessageExt> {
    if (this.#iterating) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'another iterator over this consumer is still open');
    this.#iterating = true;
    let current: Letter | undefined;
    let done = false;
    const finish = (): IteratorResult<MessageExt> => {
      if (!done) {
        done = true;
        this.#iterating = false;
        // Not confirmed: the next iterator gets it first (after close, it stays uncommitted).
        if (current && this.#closed) current.settle(ConsumeConcurrentlyStatus.RECONSUME_LATER);
        else if (current) this.#letters.unshift(current);
        current = undefined;
        signal?.removeEventListener('abort', onAbort);
      }
      return { done: true, value: undefined };
    };
    const onAbort = (): void => this.#notify();
    signal?.addEventListener('abort', onAbort);
    const it: AsyncIterableIterator<MessageExt> = {
      next: async () => {
        if (done) return { done: true, value: undefined };
        if (current) {
          current.settle(ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
          current = undefined;
        }
        for (;;) {
          if (signal?.aborted || this.#closed) return finish();
          const l = this.#letters.shift();
          if (l) {
            current = l;
            return { done: false, value: l.msg };
          }
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
        }
      },
      return: async () => finish(),
      [Symbol.asyncIterator]() {
        return it;
      },
    };
    return it;
  }
}
