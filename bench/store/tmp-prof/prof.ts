import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CommitLog } from '/work/main/src/store/commitlog/commit-log.ts';
import { defaultMessageStoreConfig } from '/work/main/src/store/config/message-store-config.ts';
import { encodeProperties } from '/work/main/src/common/message/message-properties.ts';
const dir = fs.mkdtempSync(join(os.tmpdir(), 'prof-'));
const log = new CommitLog(defaultMessageStoreConfig({ storePathRootDir: dir }));
log.load(); log.recover(0); log.start();
const m = { topic: 'BenchTopic', queueId: 0, flag: 0, body: Buffer.alloc(1024, 1), properties: encodeProperties({ UNIQ_KEY: '7F000001000100000000000000000001', TAGS: 'bench' }), sysFlag: 0, bornTimestamp: Date.now(), bornHost: { address: '127.0.0.1', port: 5 }, storeHost: { address: '127.0.0.1', port: 10911 }, reconsumeTimes: 0, preparedTransactionOffset: 0 };
const t0 = Date.now(); let n = 0;
while (Date.now() - t0 < 2000) { await log.appendMessage(m); n++; }
console.log(n / 2, 'rec/s');
await log.shutdown(); fs.rmSync(dir, { recursive: true });
