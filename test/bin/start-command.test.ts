// The embedded server in-process: data-dir precedence, NameServer + Broker wired together, shutdown persists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveDataDir, startEmbedded } from '../../src/bin/start-command.ts';
import { createLogger } from '../../src/common/logger.ts';
import { captureIO, runMqadmin } from '../../src/cli/mqadmin.ts';

test('data dir: --data-dir, then storePathRootDir of the conf, then $ROCKETMQ_DATA_DIR, then ./data', () => {
  assert.equal(resolveDataDir('/a', '/b', { ROCKETMQ_DATA_DIR: '/c' }), '/a');
  assert.equal(resolveDataDir(undefined, '/b', { ROCKETMQ_DATA_DIR: '/c' }), '/b');
  assert.equal(resolveDataDir(undefined, undefined, { ROCKETMQ_DATA_DIR: '/c' }), '/c');
  assert.equal(resolveDataDir(undefined, undefined, {}), resolve('data'));
});

test('startEmbedded: the broker registers with its own NameServer, auto-creates topics, and persists on shutdown', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'embedded-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const conf = join(home, 'broker.conf');
  writeFileSync(conf, `brokerIP1=127.0.0.1\nlistenPort=0\nstorePathRootDir=${join(home, 'from-conf')}\nmappedFileSizeCommitLog=4194304\n`);
  const writes: string[] = [];
  const server = await startEmbedded(
    { configFile: conf, listenPort: 0, kvConfigPath: join(home, 'kv.json') },
    { env: { ROCKETMQ_DATA_DIR: join(home, 'env') }, log: createLogger('test'), print: (l) => void writes.push(l) },
  );
  try {
    assert.equal(server.dataDir, join(home, 'from-conf'));
    assert.equal(server.broker.brokerConfig.namesrvAddr, server.namesrvAddr);
    assert.equal(server.broker.brokerConfig.autoCreateTopicEnable, true);
    assert.equal(server.broker.messageStoreConfig.storePathCommitLog, join(home, 'from-conf', 'commitlog'));
    assert.match(writes.join(''), /rocketmq-ts is ready: NameServer on .*, Broker broker-a on 127\.0\.0\.1:\d+ \(VIP \d+\), cluster DefaultCluster, data in /);
    const io = captureIO();
    assert.equal(await runMqadmin(['sendMessage', '-t', 'AutoCreatedByCli', '-p', 'x', '-n', server.namesrvAddr], io), 0, io.stderr());
    assert.ok(server.broker.topicConfigManager.selectTopicConfig('AutoCreatedByCli'), 'topic auto-created');
  } finally {
    await server.shutdown();
  }
  assert.ok(existsSync(join(home, 'from-conf', 'config', 'topics.json')));
  assert.ok(existsSync(join(home, 'from-conf', 'config', 'consumerOffset.json')));
});
