import fs from 'node:fs';
import { CommitLog } from '../../../src/store/commitlog/commit-log.ts';
import { defaultMessageStoreConfig } from '../../../src/store/config/message-store-config.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
const m = { topic: 'BenchTopic', queueId: 0, flag: 0, body: Buffer.alloc(1024, 1), properties: encodeProperties({ UNIQ_KEY: '7F000001000100000000000000000001', TAGS: 'bench', WAIT: 'true' }), sysFlag: 0, bornTimestamp: Date.now(), bornHost: { address: '127.0.0.1', port: 5 }, storeHost: { address: '127.0.0.1', port: 10911 }, reconsumeTimes: 0, preparedTransactionOffset: 0 };
fs.rmSync('/tmp/h4m/cl', { recursive: true, force: true });
const log = new CommitLog(defaultMessageStoreConfig({ storePathRootDir: '/tmp/h4m/cl' }));
log.load(); log.recover(0); log.start();
for (let round = 0; round < 4; round++) {
  const N = 300000;
  const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) { await log.appendMessage(m); if ((i & 255) === 255) await new Promise((r) => setImmediate(r)); }
  const cpu = process.cpuUsage(c0);
  console.log('ns/append wall', (Number(process.hrtime.bigint() - t0) / N).toFixed(0), 'cpu user+sys ns/append', ((cpu.user + cpu.system) * 1000 / N).toFixed(0), 'sys', (cpu.system * 1000 / N).toFixed(0));
}
await log.shutdown(); fs.rmSync('/tmp/h4m/cl', { recursive: true });
