// After every store test: reopen the store directory, recover, shut down cleanly, then read the files directly and
// check the invariants that recovery promises (bbolt-style):
// - the commit log is a run of valid records (CRC checked) from its first segment to its end, each knowing its offset;
// - every consume-queue unit points at a valid record of that topic and queue, with matching size and queue offset;
//   units are consecutive, their commit-log offsets increase, and each queue holds every record sent to it;
// - every index entry points at a record start whose topic#key (UNIQ_KEY or a KEYS token) has the entry's hash.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MessageStore } from '../../src/store/message-store.ts';
import { defaultMessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import type { MessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import { CommitLog } from '../../src/store/commitlog/commit-log.ts';
import { ConsumeQueueTable } from '../../src/store/consumequeue/consume-queue-table.ts';
import { CQ_UNIT_SIZE } from '../../src/store/consumequeue/cq-unit.ts';
import { isConsumeQueueRecord } from '../../src/store/dispatch/reput-service.ts';
import { storePaths } from '../../src/store/store-path.ts';
import {
  readIndexHeader,
  readIndexEntry,
  entryPosition,
  indexKeyHash,
  buildIndexKey,
  INDEX_HEADER_SIZE,
} from '../../src/store/index/index-codec.ts';

export interface InvariantReport {
  records: number;
  queues: number;
  units: number;
  indexEntries: number;
  commitLogEnd: number;
}

interface RecordFacts {
  topic: string;
  queueId: number;
  queueOffset: number;
  size: number;
  sysFlag: number;
  keyHashes: Set<number>;
}

const MAX_INDEX_FILE_TO_READ = 64 * 1024 * 1024;

/**
 * Reopens the store under `overrides.storePathRootDir` (same sizes as the test used), recovers, closes it and checks
 * the files. Throws an AssertionError listing every violation. The directory must not be in use.
 */
export async function checkStoreInvariants(
  overrides: Partial<MessageStoreConfig> & { storePathRootDir: string },
): Promise<InvariantReport> {
  const config = defaultMessageStoreConfig({ ...overrides, flushDiskType: 'ASYNC_FLUSH' });
  const store = new MessageStore(config, { diskUsage: () => 0 });
  store.load();
  await store.shutdown();

  const problems: string[] = [];
  const bad = (msg: string): void => {
    if (problems.length < 50) problems.push(msg);
  };

  // Commit log: a valid run of records.
  const cl = new CommitLog(config);
  cl.load();
  const records = new Map<number, RecordFacts>();
  const perQueue = new Map<string, number[]>();
  const scan = cl.scan(cl.getMinOffset(), {
    checkCrc: true,
    visit: (info, offset) => {
      if (info.commitLogOffset !== offset) bad(`record at ${offset} says it is at ${info.commitLogOffset}`);
      const keyHashes = new Set<number>();
      const keys = [...(info.uniqKey === undefined || info.uniqKey === '' ? [] : [info.uniqKey]), ...info.keys.split(' ').filter((k) => k !== '')];
      for (const k of keys) keyHashes.add(indexKeyHash(buildIndexKey(info.topic, k)));
      records.set(offset, { topic: info.topic, queueId: info.queueId, queueOffset: info.queueOffset, size: info.size, sysFlag: info.sysFlag, keyHashes });
      if (isConsumeQueueRecord(info.sysFlag)) {
        const k = `${info.topic}\u0000${info.queueId}`;
        let list = perQueue.get(k);
        if (list === undefined) perQueue.set(k, (list = []));
        list.push(info.queueOffset);
      }
    },
  });
  if (scan.stoppedBy === 'INVALID') bad(`commit log has an invalid record at ${scan.endOffset} after recovery: ${scan.reason ?? ''}`);
  const commitLogEnd = scan.endOffset;
  const minPhy = cl.getMinOffset();
  cl.mappedFileQueue.close();

  // Queue offsets in the commit log are consecutive per queue.
  for (const [k, offs] of perQueue) {
    for (let i = 1; i < offs.length; i++) {
      if (offs[i] !== offs[i - 1] + 1) {
        bad(`queue ${k.replace('\u0000', '/')}: queue offset ${offs[i]} follows ${offs[i - 1]} in the commit log`);
        break;
      }
    }
  }

  // Consume queues.
  const paths = storePaths(config);
  const table = new ConsumeQueueTable({ root: paths.consumeQueue, fileSize: config.mappedFileSizeConsumeQueue });
  table.load();
  let units = 0;
  for (const cq of table.all()) {
    cq.correctMinOffset(minPhy);
    let prevPhy = -1;
    for (let i = cq.minOffset; i < cq.maxOffset; i++) {
      const u = cq.getUnit(i);
      const where = `CQ ${cq.topic}/${cq.queueId}@${i}`;
      if (u === undefined) {
        bad(`${where}: unreadable`);
        continue;
      }
      units++;
      const r = records.get(u.commitLogOffset);
      if (r === undefined) {
        bad(`${where}: points at ${u.commitLogOffset}, not a valid record start (log end ${commitLogEnd})`);
        continue;
      }
      if (r.topic !== cq.topic || r.queueId !== cq.queueId) bad(`${where}: record belongs to ${r.topic}/${r.queueId}`);
      if (r.size !== u.size) bad(`${where}: size ${u.size} but record has ${r.size}`);
      if (r.queueOffset !== i) bad(`${where}: record has queue offset ${r.queueOffset}`);
      if (!isConsumeQueueRecord(r.sysFlag)) bad(`${where}: prepared/rollback record in a consume queue`);
      if (u.commitLogOffset <= prevPhy) bad(`${where}: commit-log offset ${u.commitLogOffset} not after ${prevPhy}`);
      prevPhy = u.commitLogOffset;
    }
    const sent = perQueue.get(`${cq.topic}\u0000${cq.queueId}`);
    if (sent !== undefined && sent.length > 0 && cq.maxOffset !== sent[sent.length - 1] + 1) {
      bad(`CQ ${cq.topic}/${cq.queueId}: max offset ${cq.maxOffset} but the commit log holds queue offset ${sent[sent.length - 1]}`);
    }
  }
  const queues = table.all().length;
  for (const [k, offs] of perQueue) {
    const [topic, q] = k.split('\u0000');
    if (table.find(topic, Number(q)) === undefined && existsSync(join(paths.consumeQueue, topic))) {
      bad(`queue ${topic}/${q}: ${offs.length} records but no consume queue`);
    }
  }
  table.closeAll();

  // Index entries.
  let indexEntries = 0;
  if (config.messageIndexEnable && existsSync(paths.index)) {
    for (const name of readdirSync(paths.index).sort()) {
      const path = join(paths.index, name);
      if (statSync(path).size > MAX_INDEX_FILE_TO_READ) continue;
      const buf = readFileSync(path);
      if (buf.length < INDEX_HEADER_SIZE) continue;
      const h = readIndexHeader(buf);
      for (let i = 1; i < h.indexCount; i++) {
        const pos = entryPosition(config.maxHashSlotNum, i);
        if (pos + 20 > buf.length) break;
        const e = readIndexEntry(buf, pos);
        indexEntries++;
        const r = records.get(e.phyOffset);
        if (r === undefined) {
          if (e.phyOffset >= minPhy) bad(`index ${name}#${i}: points at ${e.phyOffset}, not a valid record start`);
          continue;
        }
        if (!r.keyHashes.has(e.keyHash)) bad(`index ${name}#${i}: record at ${e.phyOffset} has no key with hash ${e.keyHash}`);
      }
    }
  }

  assert.deepEqual(problems, [], `store invariants violated in ${config.storePathRootDir}`);
  return { records: records.size, queues, units, indexEntries, commitLogEnd };
}

/** Units per consume-queue file for a given configured size (helper for tests sizing their files). */
export function cqUnitsPerFile(config: Pick<MessageStoreConfig, 'mappedFileSizeConsumeQueue'>): number {
  return Math.ceil(config.mappedFileSizeConsumeQueue / CQ_UNIT_SIZE);
}
