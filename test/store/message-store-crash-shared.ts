// Facts shared by the crash test and its child process.
import type { MessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import { SMALL } from './message-store-helpers.ts';

export const CRASH_TOPIC = 'TopicCrash';
export const CRASH_QUEUES = 3;
export const crashConfig: Partial<MessageStoreConfig> = { ...SMALL, mappedFileSizeCommitLog: 32 * 1024, flushDiskType: 'SYNC_FLUSH' };

/** Body of message n: its number and a pattern derived from it, sizes varying between 40 and ~1 KiB. */
export function crashBody(n: number): Buffer {
  const len = 40 + ((n * 7919) % 1000);
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (n * 31 + i) & 0xff;
  b.write(`m${n}:`, 0);
  return b;
}
