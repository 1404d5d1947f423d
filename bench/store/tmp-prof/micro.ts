import { writeRecord, recordSize } from '../../../src/common/message/message-record.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { MappedFileQueue } from '../../../src/store/mappedfile/mapped-file-queue.ts';
import fs from 'node:fs';
const m = { topic: 'BenchTopic', queueId: 0, flag: 0, body: Buffer.alloc(1024, 1), properties: encodeProperties({ UNIQ_KEY: '7F000001000100000000000000000001', TAGS: 'bench' }), sysFlag: 0, bornTimestamp: Date.now(), bornHost: { address: '127.0.0.1', port: 5 }, storeHost: { address: '127.0.0.1', port: 10911 }, reconsumeTimes: 0, preparedTransactionOffset: 0, queueOffset: 0, commitLogOffset: 0, storeTimestamp: 0 };
const big = Buffer.allocUnsafeSlow(64 << 20);
let t0 = process.hrtime.bigint(); let pos = 0; const N = 200000;
for (let i = 0; i < N; i++) { if (pos + 2000 > big.length) pos = 0; pos += writeRecord(m, big, pos); }
console.log('writeRecord ns', Number(process.hrtime.bigint() - t0) / N);
t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) { recordSize(m); }
console.log('recordSize ns', Number(process.hrtime.bigint() - t0) / N);
t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) { if (pos + 2000 > big.length) pos = 0; m.body.copy(big, pos); pos += 1100; }
console.log('copy ns', Number(process.hrtime.bigint() - t0) / N);
fs.mkdirSync('/tmp/h4m/mq', { recursive: true });
const q = new MappedFileQueue({ dir: '/tmp/h4m/mq', fileSize: 1 << 30 }); q.load(); q.truncateDirty(0);
t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) { q.append((t, p) => writeRecord(m, t, p), 1200); }
console.log('mfq append ns', Number(process.hrtime.bigint() - t0) / N);
await q.flush(); q.close(); fs.rmSync('/tmp/h4m/mq', { recursive: true });
