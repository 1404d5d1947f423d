// Shared by the commit-log tests: message builders and the reopen-and-verify invariant check run after every test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CommitLog } from '../../../src/store/commitlog/commit-log.ts';
import type { AppendInput } from '../../../src/store/commitlog/commit-log.ts';
import { defaultMessageStoreConfig } from '../../../src/store/config/message-store-config.ts';
import type { MessageStoreConfig } from '../../../src/store/config/message-store-config.ts';
import { decodeRecord } from '../../../src/common/message/message-record.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { MessageSysFlag } from '../../../src/common/message/message-const.ts';

export const STORE_HOST = { address: '10.0.0.1', port: 10911 };

export function tmpStore(t: { after: (fn: () => void) => void }, overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'commitlog-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return defaultMessageStoreConfig({ storePathRootDir: dir, mappedFileSizeCommitLog: 4096, ...overrides });
}

/** A body whose bytes depend on `seed`, so a record in the wrong place shows. */
export function body(seed: number, len = 100): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (seed * 131 + i * 17 + 3) & 0xff;
  return b;
}

export function msg(topic: string, queueId: number, b: Buffer, props: Record<string, string> = {}, sysFlag = 0): AppendInput {
  return {
    topic,
    queueId,
    flag: 7,
    body: b,
    properties: encodeProperties(props),
    sysFlag,
    bornTimestamp: 1_700_000_000_123,
    bornHost: { address: '10.0.0.2', port: 50_000 },
    storeHost: STORE_HOST,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

export async function openLog(config: MessageStoreConfig, opts: ConstructorParameters<typeof CommitLog>[1] = {}): Promise<CommitLog> {
  const log = new CommitLog(config, opts);
  log.load();
  log.recover(log.getMinOffset(), { checkCrc: true });
  log.start();
  return log;
}

export interface StoredRecord {
  offset: number;
  topic: string;
  queueId: number;
  queueOffset: number;
  sysFlag: number;
  body: Buffer;
}

/**
 * Reopens the commit log from its files, recovers with CRC checks and checks the invariants: the scan ends cleanly,
 * every record's stored physical offset is its real offset, queue offsets of each queue run 0,1,2… (transaction
 * prepared/rollback records carry 0), and every `expected` record is present with its body. Returns the records.
 */
export function verifyCommitLog(
  config: MessageStoreConfig,
  expected: ReadonlyArray<{ offset: number; body: Buffer }> = [],
  opts: { consecutiveQueueOffsets?: boolean } = {},
): StoredRecord[] {
  const log = new CommitLog(config);
  log.load();
  const records: StoredRecord[] = [];
  const result = log.recover(log.getMinOffset(), {
    checkCrc: true,
    visit: (info, offset) => {
      const raw = log.getMessage(offset, info.size);
      assert.ok(raw, `record at ${offset} readable`);
      const m = decodeRecord(raw);
      assert.equal(m.commitLogOffset, offset, 'PHYSICALOFFSET is the record start');
      assert.equal(m.storeSize, info.size);
      records.push({ offset, topic: m.topic, queueId: m.queueId, queueOffset: m.queueOffset, sysFlag: m.sysFlag, body: Buffer.from(m.body) });
    },
  });
  assert.notEqual(result.stoppedBy, 'INVALID', `the log ends with a valid record (${result.reason ?? ''})`);
  const next = new Map<string, number>();
  for (const r of records) {
    const key = `${r.topic}-${r.queueId}`;
    const t = r.sysFlag & MessageSysFlag.TRANSACTION_MASK;
    if (t === MessageSysFlag.TRANSACTION_PREPARED_TYPE || t === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
      assert.equal(r.queueOffset, 0);
      continue;
    }
    if (next.has(key) && opts.consecutiveQueueOffsets !== false) assert.equal(r.queueOffset, next.get(key), `queue offsets of ${key} are consecutive`);
    next.set(key, r.queueOffset + 1);
  }
  const byOffset = new Map(records.map((r) => [r.offset, r]));
  for (const e of expected) {
    const r = byOffset.get(e.offset);
    assert.ok(r, `record at ${e.offset} survives`);
    assert.deepEqual(r.body, e.body);
  }
  log.mappedFileQueue.close();
  return records;
}
