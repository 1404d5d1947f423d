// Where each part of the store lives under its root directory (PROTOCOL.md §7.1).
import { join } from 'node:path';
import type { MessageStoreConfig } from './config/message-store-config.ts';

export interface StorePaths {
  root: string;
  commitLog: string;
  consumeQueue: string;
  index: string;
  checkpoint: string;
  abort: string;
  lock: string;
  config: string;
}

export function storePaths(config: Pick<MessageStoreConfig, 'storePathRootDir' | 'storePathCommitLog'>): StorePaths {
  const root = config.storePathRootDir;
  return {
    root,
    commitLog: config.storePathCommitLog,
    consumeQueue: join(root, 'consumequeue'),
    index: join(root, 'index'),
    checkpoint: join(root, 'checkpoint'),
    abort: join(root, 'abort'),
    lock: join(root, 'lock'),
    config: join(root, 'config'),
  };
}

/** Folder of one consume queue: consumequeue/<topic>/<queueId>/. */
export function consumeQueueDir(paths: StorePaths, topic: string, queueId: number): string {
  return join(paths.consumeQueue, topic, String(queueId));
}

/** 20-digit zero-padded decimal file name of a segment starting at `offset` (UtilAll.offset2FileName). */
export function offsetToFileName(offset: number): string {
  return String(offset).padStart(20, '0');
}
