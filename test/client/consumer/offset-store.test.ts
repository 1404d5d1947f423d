import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFileOffsetStore, ReadOffsetType, RemoteBrokerOffsetStore, defaultOffsetFile } from '../../../src/client/consumer/offset-store.ts';
import { ClientInstance } from '../../../src/client/instance/client-instance.ts';
import { createLogger } from '../../../src/common/logger.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { FakeNamesrv, routeOf, uniqueName, until } from '../helpers.ts';
import { FakeConsumerBroker } from './fake-consumer-broker.ts';

const log = createLogger('test');

test('remote store: 22 means no offset (-1); persist sends UPDATE_CONSUMER_OFFSET oneway, or awaited when sync', async () => {
  const ns = new FakeNamesrv();
  const broker = new FakeConsumerBroker();
  await ns.start();
  await broker.start();
  const topic = uniqueName('T');
  const group = uniqueName('G');
  ns.routes.set(topic, routeOf([{ name: broker.name, addr: broker.address, queues: 2 }]));
  const instance = new ClientInstance({ namesrvAddr: ns.address, instanceName: uniqueName('i'), clientIP: '127.0.0.1' });
  instance.start();
  try {
    const store = new RemoteBrokerOffsetStore(instance, group, log);
    const q0 = { topic, brokerName: broker.name, queueId: 0 };
    const q1 = { topic, brokerName: broker.name, queueId: 1 };
    assert.equal(await store.readOffset(q0, ReadOffsetType.STORE), -1);
    broker.offsets.set(`${group}@${topic}:1`, 7);
    assert.equal(await store.readOffset(q1, ReadOffsetType.MEMORY), -1);
    assert.equal(await store.readOffset(q1, ReadOffsetType.MEMORY_THEN_STORE), 7);
    assert.equal(await store.readOffset(q1, ReadOffsetType.MEMORY), 7, 'a read from the store is cached');
    store.updateOffset(q0, 5, false);
    store.updateOffset(q0, 3, true);
    assert.equal(await store.readOffset(q0, ReadOffsetType.MEMORY), 5, 'increaseOnly ignores a smaller offset');
    await store.persistAll([q0]);
    await until(() => broker.committed(group, topic, 0) === 5, 'oneway update arrives');
    const update = broker.received(RequestCode.UPDATE_CONSUMER_OFFSET)[0];
    assert.equal(update.isOneway, true);
    assert.equal(update.ext('commitOffset'), '5');
    assert.equal(broker.received(RequestCode.UPDATE_CONSUMER_OFFSET).length, 1, 'q1 was not in the owned list');
    store.updateOffset(q1, 9, false);
    await store.persist(q1, true);
    assert.equal(broker.committed(group, topic, 1), 9);
    assert.equal(broker.received(RequestCode.UPDATE_CONSUMER_OFFSET)[1].isOneway, false);
  } finally {
    await instance.shutdown();
    await broker.shutdown();
    await ns.shutdown();
  }
});

test('local file store: atomic JSON round trip, keeps queues it does not own, survives a torn main file via .bak', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-ts-offsets-'));
  try {
    const file = join(dir, 'c', 'g', 'offsets.json');
    const q = (queueId: number): { topic: string; brokerName: string; queueId: number } => ({ topic: 'T', brokerName: 'b', queueId });
    const a = new LocalFileOffsetStore(file, log);
    await a.load();
    assert.equal(await a.readOffset(q(0), ReadOffsetType.STORE), -1);
    a.updateOffset(q(0), 10, false);
    a.updateOffset(q(1), 20, false);
    await a.persistAll([q(0), q(1)]);
    assert.equal(existsSync(`${file}.tmp`), false);
    const b = new LocalFileOffsetStore(file, log);
    await b.load();
    assert.equal(await b.readOffset(q(0), ReadOffsetType.MEMORY), 10);
    b.updateOffset(q(1), 25, false);
    await b.persistAll([q(1)]);
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { offsetTable: Array<{ queueId: number; offset: number }> };
    assert.deepEqual(onDisk.offsetTable.map((e) => [e.queueId, e.offset]), [[0, 10], [1, 25]]);
    // A second persist kept the previous version as .bak; a torn main file falls back to it.
    writeFileSync(file, '');
    const c = new LocalFileOffsetStore(file, log);
    await c.load();
    assert.equal(await c.readOffset(q(0), ReadOffsetType.STORE), 10);
    assert.match(defaultOffsetFile('1.2.3.4@x', 'G', '/base'), /^\/base\/1\.2\.3\.4@x\/G\/offsets\.json$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
