// Our side of the comparison in its own process: a NameServer and a Broker on 127.0.0.1 (ephemeral ports, store in the
// given directory). Prints one JSON line {"namesrv","broker","cluster"} once both serve; SIGTERM/SIGINT shut down.
// Usage: node --import tsx bench/compare/our-server.ts <storeDir> <ASYNC_FLUSH|SYNC_FLUSH> [key=value broker/store overrides]
import { join } from 'node:path';
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
for (const kv of rest) {
  const [k, v] = kv.split('=');
  storeOverrides[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
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
