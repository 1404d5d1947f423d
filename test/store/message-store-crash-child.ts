// Child process of the crash test: appends under SYNC_FLUSH to the store in argv[2] with several concurrent appenders,
// numbering messages from argv[3], and prints "ACK n queueId queueOffset" for every acknowledged (PUT_OK) append.
// It runs until the parent kills it with SIGKILL.
import { MessageStore } from '../../src/store/message-store.ts';
import { defaultMessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import { PutMessageStatus } from '../../src/store/commitlog/commit-log.ts';
import { CRASH_TOPIC, CRASH_QUEUES, crashBody, crashConfig } from './message-store-crash-shared.ts';
import { msg } from './message-store-helpers.ts';

const root = process.argv[2];
let next = Number(process.argv[3]);
const config = defaultMessageStoreConfig({ ...crashConfig, storePathRootDir: root });
const store = new MessageStore(config, { diskUsage: () => 10 });
await store.start();
process.stdout.write(`READY\n`);

async function appender(): Promise<void> {
  for (;;) {
    const n = next++;
    const queueId = n % CRASH_QUEUES;
    const r = await store.putMessage(msg(CRASH_TOPIC, queueId, crashBody(n), { KEYS: `k${n}` }));
    if (r.status === PutMessageStatus.PUT_OK) process.stdout.write(`ACK ${n} ${queueId} ${r.queueOffset}\n`);
  }
}

await Promise.all([appender(), appender(), appender(), appender()]);
