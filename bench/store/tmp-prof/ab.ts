import fs from 'node:fs';
import { CommitLog } from '../../../src/store/commitlog/commit-log.ts';
import { defaultMessageStoreConfig } from '../../../src/store/config/message-store-config.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
const m = { topic: 'BenchTopic', queueId: 0, flag: 0, body: Buffer.alloc(1024, 1), properties: encodeProperties({ UNIQ_KEY: '7F000001000100000000000000000001', TAGS: 'bench', WAIT: 'true' }), sysFlag: 0, bornTimestamp: Date.now(), bornHost: { address: '127.0.0.1', port: 5 }, storeHost: { address: '127.0.0.1', port: 10911 }, reconsumeTimes: 0, preparedTransactionOffset: 0 };
fs.rmSync('/tmp/h4m/ab', { recursive: true, force: true });
const log = new CommitLog(defaultMessageStoreConfig({ storePathRootDir: '/tmp/h4m/ab' }), { chunkSize: 4 << 20 });
log.load(); log.recover(0); log.start();
const B = Number(process.argv[2] ?? 1);
const group = Array.from({ length: B }, () => m);
let best = Infinity;
for (let round = 0; round < 300; round++) {
  const N = 3000; // 3000 appends ≈ 3.5 MB: fits in one pooled chunk after warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += B) await (B === 1 ? log.appendMessage(m) : log.appendMessages(group));
  const ns = Number(process.hrtime.bigint() - t0) / N;
  if (round > 2) best = Math.min(best, ns);
  await log.flush();
}
console.log(`B=${B} best ns/record`, best.toFixed(0));
await log.shutdown(); fs.rmSync('/tmp/h4m/ab', { recursive: true });
