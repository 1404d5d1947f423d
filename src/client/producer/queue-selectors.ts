// Queue selectors for ordered messages (Java MessageQueueSelector implementations).
import { javaStringHashCode } from '../../common/java-hash.ts';
import type { Message, MessageQueue } from '../message.ts';

/** Picks the queue for one message among the topic's writable queues. */
export type MessageQueueSelector = (queues: readonly MessageQueue[], message: Message, arg: unknown) => MessageQueue;

/** Java hashCode of a string / integer key, the way SelectMessageQueueByHash sees it. */
function keyHash(arg: unknown): number {
  if (typeof arg === 'number' && Number.isInteger(arg) && arg >= -2147483648 && arg <= 2147483647) return arg;
  return javaStringHashCode(String(arg));
}

/** Same queue for the same key: |hash(key)| mod queue count (SelectMessageQueueByHash; matches Java for string keys). */
export const selectByHash: MessageQueueSelector = (queues, _message, arg) => {
  const h = Math.abs(keyHash(arg));
  return queues[h % queues.length];
};

/** A random queue (SelectMessageQueueByRandom). */
export const selectRandom: MessageQueueSelector = (queues) => queues[Math.floor(Math.random() * queues.length)];
