// Shared by the MessageStore tests: temp store dirs with small files, message inputs, record decoding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import type { MessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import { MessageStore } from '../../src/store/message-store.ts';
import type { PutMessageInput, MessageStoreOptions } from '../../src/store/message-store.ts';
import { encodeProperties } from '../../src/common/message/message-properties.ts';
import { decodeRecord } from '../../src/common/message/message-record.ts';
import type { DecodedMessage } from '../../src/common/message/message-record.ts';
import { checkStoreInvariants } from '../helpers/store-invariants.ts';

/** Small files so tests cross segment boundaries: 64 KiB commit-log segments, 50-unit consume-queue files. */
export const SMALL: Partial<MessageStoreConfig> = {
  mappedFileSizeCommitLog: 64 * 1024,
  mappedFileSizeConsumeQueue: 50 * 20,
  maxHashSlotNum: 128,
  maxIndexNum: 512,
  flushIntervalConsumeQueue: 50,
  flushIntervalCommitLog: 50,
};

/** A fresh store config in a temp dir; after the test the dir is checked for invariants, then removed. */
export function storeConfig(
  t: { after: (fn: () => void | Promise<void>) => void },
  overrides: Partial<MessageStoreConfig> = {},
  opts: { checkInvariants?: boolean } = {},
): MessageStoreConfig {
  const root = mkdtempSync(join(tmpdir(), 'rmq-store-'));
  const config = defaultMessageStoreConfig({ ...SMALL, ...overrides, storePathRootDir: root });
  t.after(async () => {
    // A failed assertion may leave stores running: stop them (timers, lock) before checking.
    for (const s of opened.get(config) ?? []) await s.shutdown();
    try {
      if (opts.checkInvariants !== false) await checkStoreInvariants({ ...SMALL, ...overrides, storePathRootDir: root });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  return config;
}

const opened = new WeakMap<MessageStoreConfig, MessageStore[]>();

/** A store on a config from storeConfig(); stopped after the test if the test did not stop it. */
export function newStore(config: MessageStoreConfig, opts: MessageStoreOptions = {}): MessageStore {
  const store = new MessageStore(config, { diskUsage: () => 10, ...opts });
  let list = opened.get(config);
  if (list === undefined) opened.set(config, (list = []));
  list.push(store);
  return store;
}

let born = 1_700_000_000_000;

export function msg(topic: string, queueId: number, body: string | Buffer, props: Record<string, string> = {}, sysFlag = 0): PutMessageInput {
  return {
    topic,
    queueId,
    flag: 0,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    properties: encodeProperties(props),
    sysFlag,
    bornTimestamp: born++,
    bornHost: { address: '10.0.0.2', port: 50000 },
    storeHost: { address: '10.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

export function decode(buf: Buffer): DecodedMessage {
  return decodeRecord(buf, 0);
}

export function bodies(bufs: readonly Buffer[]): string[] {
  return bufs.map((b) => decode(b).body.toString());
}
