// Our side of the comparison in its own process: a NameServer and a Broker on 127.0.0.1 (ephemeral ports, store in the
// given directory). Prints one JSON line {"namesrv","broker","cluster"} once both serve; SIGTERM/SIGINT shut down.
// Usage: node --import tsx bench/compare/our-server.ts <storeDir> <ASYNC_FLUSH|SYNC_FLUSH> [key=value store overrides]
//        [topics=<prefix>:<count>:<queues> topics present at startup]
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brokerConfigFilePath, toConfigJson, writeConfigFileAtomic } from '../../src/broker/config/config-file.ts';
import { newTopicConfig } from '../../src/broker/topic/topic-config.ts';
import { benchTopics } from '../../src/cli/benchmark/producer-bench.ts';
import { newDataVersion } from '../../src/remoting/protocol/body/data-version.ts';
import { topicConfigSerializeWrapperToJson } from '../../src/remoting/protocol/body/topic-config-serialize-wrapper.ts';
import { BrokerController } from '../../src/broker/broker-controller.ts';
import { NamesrvController } from '../../src/namesrv/namesrv-controller.ts';
import type { MessageStoreConfig } from '../../src/store/config/message-store-config.ts';

const [dir, flush = 'ASYNC_FLUSH', ...rest] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: our-server.ts <storeDir> <ASYNC_FLUSH|SYNC_FLUSH> [key=value ...]\n');
  process.exit(2);
}
if (flush !== 'ASYNC_FLUSH' && flush !== 'SYNC_FLUSH') {
  process.stderr.write(`bad flush mode ${flush}\n`);
  process.exit(2);
}
const storeOverrides: Record<string, number | boolean> = {};
const pre: Array<{ prefix: string; count: number; queues: number }> = [];
for (const kv of rest) {
  const [k, v] = kv.split('=');
  if (k === 'topics') {
    // topics=<prefix>:<count>:<queues>: written into topics.json before the broker starts (creating thousands of topics
    // one UPDATE_AND_CREATE_TOPIC at a time rewrites topics.json each time, which is O(n²)).
    const [prefix, count, queues] = v.split(':');
    pre.push({ prefix, count: Number(count), queues: Number(queues) });
  } else {
    storeOverrides[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
  }
}
if (pre.length > 0) {
  const topicConfigTable: Record<string, ReturnType<typeof newTopicConfig>> = {};
  for (const p of pre) {
    for (const name of benchTopics(p.prefix, p.count)) {
      topicConfigTable[name] = newTopicConfig(name, { readQueueNums: p.queues, writeQueueNums: p.queues });
    }
  }
  const path = brokerConfigFilePath(join(dir, 'store'), 'topics.json');
  mkdirSync(dirname(path), { recursive: true });
  writeConfigFileAtomic(path, toConfigJson(topicConfigSerializeWrapperToJson({ dataVersion: newDataVersion(), topicConfigTable })));
}

const namesrv = new NamesrvController({
  config: {
    listenPort: 0,
    bindAddress: '127.0.0.1',
    kvConfigPath: join(dir, 'namesrv', 'kvConfig.json'),
    configStorePath: join(dir, 'namesrv', 'namesrv.properties'),
  },
});
await namesrv.start();
const broker = new BrokerController({
  brokerConfig: {
    brokerIP1: '127.0.0.1',
    brokerIP2: '127.0.0.1',
    listenPort: 0,
    namesrvAddr: `127.0.0.1:${namesrv.port}`,
    brokerName: 'bench-broker',
    brokerClusterName: 'BenchCluster',
  },
  messageStoreConfig: { storePathRootDir: join(dir, 'store'), flushDiskType: flush, ...(storeOverrides as Partial<MessageStoreConfig>) },
  bindAddress: '127.0.0.1',
  vipListenPort: false,
});
await broker.start();
process.stdout.write(
  `${JSON.stringify({ namesrv: `127.0.0.1:${namesrv.port}`, broker: broker.brokerAddr(), cluster: 'BenchCluster', flush, pid: process.pid })}\n`,
);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    try {
      await broker.shutdown();
      await namesrv.shutdown();
    } finally {
      process.exit(0);
    }
  })();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
