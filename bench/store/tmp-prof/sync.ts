import fs from 'node:fs';
import { CommitLog } from '../../../src/store/commitlog/commit-log.ts';
import { defaultMessageStoreConfig, FlushDiskType } from '../../../src/store/config/message-store-config.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
const m = { topic: 'BenchTopic', queueId: 0, flag: 0, body: Buffer.alloc(1024, 1), properties: encodeProperties({ UNIQ_KEY: '7F000001000100000000000000000001', TAGS: 'bench', WAIT: 'true' }), sysFlag: 0, bornTimestamp: Date.now(), bornHost: { address: '127.0.0.1', port: 5 }, storeHost: { address: '127.0.0.1', port: 10911 }, reconsumeTimes: 0, preparedTransactionOffset: 0 };
fs.rmSync('/tmp/h4m/cl', { recursive: true, force: true });
let syncs = 0;
const log = new CommitLog(defaultMessageStoreConfig({ storePathRootDir: '/tmp/h4m/cl', flushDiskType: FlushDiskType.SYNC_FLUSH }), { fdatasync: (fd) => new Promise((res, rej) => { syncs++; fs.fdatasync(fd, (e) => e ? rej(e) : res()); }) });
log.load(); log.recover(0); log.start();
const B = Number(process.argv[2] ?? 16);
let batches = 0;
const t0 = Date.now();
await Promise.all(Array.from({ length: 32 }, async () => {
  const group = Array.from({ length: B }, () => m);
  while (Date.now() - t0 < 1500) { await (B === 1 ? log.appendMessage(m) : log.appendMessages(group)); batches++; }
}));
console.log({ batches, syncs, flushCount: log.flushCount });
await log.shutdown(); fs.rmSync('/tmp/h4m/cl', { recursive: true });
