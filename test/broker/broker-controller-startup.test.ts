// broker-startup.ts: broker.conf + `-n` override → a running broker that registered with the NameServer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBrokerConfigs, startBroker } from '../../src/broker/broker-startup.ts';
import { NamesrvController } from '../../src/namesrv/namesrv-controller.ts';
import { RemotingClient } from '../../src/remoting/transport/remoting-client.ts';
import { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../src/remoting/protocol/response-code.ts';

test('broker.conf keys are applied and -n overrides namesrvAddr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-ts-bconf-'));
  try {
    const conf = join(dir, 'broker.conf');
    writeFileSync(conf, `brokerName=broker-x\nnamesrvAddr=10.0.0.1:9876\nflushDiskType=SYNC_FLUSH\nstorePathRootDir=${dir}/store\nmaxMessageSize=2048\n`);
    const c = resolveBrokerConfigs({ configFile: conf, namesrvAddr: '127.0.0.1:1;127.0.0.1:2' });
    assert.equal(c.brokerConfig.brokerName, 'broker-x');
    assert.equal(c.brokerConfig.namesrvAddr, '127.0.0.1:1;127.0.0.1:2');
    assert.equal(c.messageStoreConfig.flushDiskType, 'SYNC_FLUSH');
    assert.equal(c.messageStoreConfig.maxMessageSize, 2048);
    assert.equal(c.messageStoreConfig.storePathCommitLog, join(dir, 'store', 'commitlog'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('startBroker from a broker.conf registers with the NameServer given by -n', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-ts-bstart-'));
  const ns = new NamesrvController({ config: { listenPort: 0, bindAddress: '127.0.0.1', kvConfigPath: join(dir, 'kv.json') } });
  const client = new RemotingClient();
  await ns.start();
  try {
    const conf = join(dir, 'broker.conf');
    writeFileSync(
      conf,
      [
        'brokerClusterName=ClusterS',
        'brokerName=broker-s',
        'brokerIP1=127.0.0.1',
        'listenPort=0',
        `storePathRootDir=${join(dir, 'store')}`,
        'mappedFileSizeCommitLog=8388608',
        'maxHashSlotNum=1024',
        'maxIndexNum=4096',
      ].join('\n'),
    );
    const broker = await startBroker({ configFile: conf, namesrvAddr: `127.0.0.1:${ns.port}` });
    try {
      const r = await client.invoke(`127.0.0.1:${ns.port}`, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
      assert.equal(r.code, ResponseCode.SUCCESS);
      assert.match(r.body?.toString() ?? '', new RegExp(`"broker-s".*127\\.0\\.0\\.1:${broker.port}`));
    } finally {
      await broker.shutdown();
    }
  } finally {
    await client.shutdown();
    await ns.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});
