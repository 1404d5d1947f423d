// The producer against the real in-process NameServer (routes registered the way a broker registers them), plus a
// fake broker; and a broker that cannot be reached.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.ts';
import { newDataVersion } from '../../../src/remoting/protocol/body/data-version.ts';
import { newTopicConfig } from '../../../src/remoting/protocol/body/topic-config.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { SendMessageRequestHeaderV2 } from '../../../src/remoting/protocol/headers/broker-headers.ts';
import { ClientInstance } from '../../../src/client/instance/client-instance.ts';
import { Producer, SendStatus } from '../../../src/client/index.ts';
import { FakeBroker, sendScript, uniqueName } from '../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'rmq-client-ns-'));
const namesrv = new NamesrvController({
  config: { listenPort: 0, bindAddress: '127.0.0.1', kvConfigPath: join(dir, 'kvConfig.json'), configStorePath: join(dir, 'namesrv.properties') },
});
const script = sendScript();
const broker = new FakeBroker('broker-live', script);
/** Drops every connection on its first bytes: each request sent there fails with a connection error. Counts SENDs. */
let dropped = 0;
const dropper = createServer((s) => {
  s.once('data', (chunk: Buffer) => {
    // Frames: int32 length, int32 header length (low 24 bits), JSON header, body (PROTOCOL.md §1.1).
    for (let p = 0; p + 8 <= chunk.length; p += 4 + chunk.readInt32BE(p)) {
      const header = JSON.parse(chunk.toString('utf8', p + 8, p + 8 + (chunk.readInt32BE(p + 4) & 0xffffff))) as { code: number };
      if (header.code === RequestCode.SEND_MESSAGE_V2) dropped++;
    }
    s.destroy();
  });
});

function register(brokerName: string, brokerAddr: string, topics: string[]): void {
  const table: Record<string, ReturnType<typeof newTopicConfig>> = {};
  // A first registration must list more than one topic (Java quirk); real brokers also list their own name.
  for (const t of [...topics, brokerName]) table[t] = newTopicConfig(t, { readQueueNums: 2, writeQueueNums: 2 });
  namesrv.routes.registerBroker({
    clusterName: 'DefaultCluster',
    brokerAddr,
    brokerName,
    brokerId: 0,
    haServerAddr: brokerAddr,
    topicConfigWrapper: { dataVersion: newDataVersion(), topicConfigTable: table },
  });
}

before(async () => {
  await namesrv.start();
  await broker.start();
  await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await broker.shutdown();
  await namesrv.shutdown();
  await new Promise<void>((resolve) => dropper.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

test('routes from the real NameServer; a broker that cannot be reached is retried elsewhere and then avoided', async (t) => {
  const topic = uniqueName('T');
  register(broker.name, broker.address, [topic]);
  const a = dropper.address();
  register('broker-dead', `127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`, [topic]);
  const instance = new ClientInstance({ namesrvAddr: `127.0.0.1:${namesrv.port}`, instanceName: uniqueName('i'), clientIP: '127.0.0.1' });
  const producer = new Producer({ namesrvAddr: `127.0.0.1:${namesrv.port}`, group: uniqueName('PG'), clientInstance: instance });
  await producer.start();
  t.after(async () => {
    await producer.shutdown();
    await instance.shutdown();
  });
  assert.equal((await producer.fetchPublishQueues(topic)).length, 4);
  // Let the heartbeat round the new brokers triggered finish, so its dropped connection is gone before we send.
  await instance.sendHeartbeatToAllBrokers();
  for (let i = 0; i < 6; i++) {
    const r = await producer.send({ topic, body: `m${i}` });
    assert.equal(r.status, SendStatus.SEND_OK);
    assert.equal(r.messageQueue.brokerName, broker.name);
  }
  const mine = script.log.filter((e) => SendMessageRequestHeaderV2.decode(e.request.extFields).b === topic);
  assert.equal(mine.length, 6);
  // Round-robin over 2 live + 2 dead queues would hit the dead broker 3 times; fault tolerance stops after the first.
  assert.equal(dropped, 1);
});
