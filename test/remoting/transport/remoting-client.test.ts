import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { RemotingClient, parseAddress } from '../../../src/remoting/transport/remoting-client.ts';
import type { RemotingClientOptions } from '../../../src/remoting/transport/remoting-client.ts';
import { RemotingServer } from '../../../src/remoting/transport/remoting-server.ts';
import type { RemotingChannel } from '../../../src/remoting/transport/types.ts';
import { deferred } from '../helpers.ts';

const ECHO = 105;

async function startServer(t: TestContext): Promise<RemotingServer> {
  const server = new RemotingServer({ host: '127.0.0.1', port: 0, name: t.name });
  server.registerHandler(ECHO, (req) => RemotingCommand.responseTo(req, 0, 'echo', req.extFields, req.body));
  await server.start();
  t.after(() => server.shutdown());
  return server;
}

function newClient(t: TestContext, options: RemotingClientOptions = {}): RemotingClient {
  const client = new RemotingClient(options);
  t.after(() => client.shutdown());
  return client;
}

function hasCode(code: string, retriable?: boolean) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof RocketMQError, `expected RocketMQError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (retriable !== undefined) assert.equal(e.retriable, retriable);
    return true;
  };
}

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const a = s.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('RemotingClient connections', () => {
  test('one connection per address, shared by concurrent callers and reused', async (t) => {
    const server = await startServer(t);
    let opened = 0;
    server.onChannelOpen(() => opened++);
    const client = newClient(t);
    const [a, b] = await Promise.all([client.getChannel(server.address), client.getChannel(server.address)]);
    assert.equal(a, b);
    await Promise.all(Array.from({ length: 50 }, () => client.invoke(server.address, RemotingCommand.request(ECHO), 5000)));
    assert.equal(await client.getChannel(server.address), a);
    assert.equal(opened, 1);
  });

  test('reconnects after the server closes the connection', async (t) => {
    const server = await startServer(t);
    const serverChannels: RemotingChannel[] = [];
    server.onChannelOpen((ch) => serverChannels.push(ch));
    const client = newClient(t);
    const closed = deferred<RemotingChannel>();
    client.onChannelClose((ch) => closed.resolve(ch));
    const first = await client.getChannel(server.address);
    await client.invoke(server.address, RemotingCommand.request(ECHO), 5000);
    serverChannels[0].close('test closes it');
    assert.equal(await closed.promise, first);
    assert.equal(first.closed, true);
    const res = await client.invoke(server.address, RemotingCommand.request(ECHO, { again: '1' }), 5000);
    assert.equal(res.ext('again'), '1');
    const second = await client.getChannel(server.address);
    assert.notEqual(second, first);
    assert.equal(serverChannels.length, 2);
  });

  test('closeChannel drops the connection; the next call opens a new one', async (t) => {
    const server = await startServer(t);
    const client = newClient(t);
    const first = await client.getChannel(server.address);
    const gone = deferred();
    first.onClose(() => gone.resolve());
    client.closeChannel(server.address);
    await gone.promise;
    const second = await client.getChannel(server.address);
    assert.notEqual(second, first);
    assert.equal(second.closed, false);
  });

  test('connection refused → CONNECTION (retriable); a later call retries', async (t) => {
    const port = await closedPort();
    const client = newClient(t);
    await assert.rejects(client.invoke(`127.0.0.1:${port}`, RemotingCommand.request(ECHO), 5000), hasCode(ERROR_CODES.CONNECTION, true));
    await assert.rejects(client.getChannel(`127.0.0.1:${port}`), hasCode(ERROR_CODES.CONNECTION, true));
  });

  test('bad addresses → INVALID_ARGUMENT', async (t) => {
    const client = newClient(t);
    for (const addr of ['nohost', '127.0.0.1:', ':10911', '127.0.0.1:99999', '127.0.0.1:abc']) {
      await assert.rejects(client.getChannel(addr), hasCode(ERROR_CODES.INVALID_ARGUMENT), addr);
    }
    assert.deepEqual(parseAddress('[::1]:10911'), { host: '::1', port: 10911 });
    assert.deepEqual(parseAddress('broker-a.local:10911'), { host: 'broker-a.local', port: 10911 });
  });

  test('shutdown closes connections, rejects pending and later calls', async (t) => {
    const server = await startServer(t);
    const arrived = deferred();
    server.registerHandler(1, () => {
      arrived.resolve();
      return new Promise<null>(() => undefined);
    });
    const client = new RemotingClient();
    const pending = client.invoke(server.address, RemotingCommand.request(1), 30_000);
    const rejected = assert.rejects(pending, hasCode(ERROR_CODES.CONNECTION, true));
    await arrived.promise;
    await client.shutdown();
    await rejected;
    await assert.rejects(client.invoke(server.address, RemotingCommand.request(ECHO), 1000), hasCode(ERROR_CODES.NOT_RUNNING));
    await client.shutdown();
  });
});

describe('RemotingClient requests', () => {
  test('timeout → TIMEOUT (retriable); the late reply is dropped and the connection stays usable', async (t) => {
    const server = await startServer(t);
    const arrived = deferred();
    const release = deferred();
    server.registerHandler(1, async (req) => {
      arrived.resolve();
      await release.promise;
      return RemotingCommand.responseTo(req, 0, 'late');
    });
    const client = newClient(t);
    await client.getChannel(server.address); // connect before timers are faked
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const pending = client.invoke(server.address, RemotingCommand.request(1), 5000);
    const rejected = assert.rejects(pending, (e: unknown) => {
      hasCode(ERROR_CODES.TIMEOUT, true)(e);
      assert.match((e as Error).message, /within 5000 ms/);
      return true;
    });
    await arrived.promise;
    t.mock.timers.tick(4999);
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'not before the timeout');
    t.mock.timers.tick(1);
    await rejected;
    t.mock.timers.reset();
    release.resolve();
    const ch = await client.getChannel(server.address);
    const res = await client.invoke(server.address, RemotingCommand.request(ECHO, { after: 'timeout' }), 5000);
    assert.equal(res.ext('after'), 'timeout');
    assert.equal(await client.getChannel(server.address), ch);
  });

  test('connection closing rejects every pending request with CONNECTION', async (t) => {
    const server = await startServer(t);
    let arrivedCount = 0;
    const allArrived = deferred();
    const serverSide: RemotingChannel[] = [];
    server.registerHandler(1, (_req, ch) => {
      serverSide.push(ch);
      if (++arrivedCount === 3) allArrived.resolve();
      return new Promise<null>(() => undefined);
    });
    const client = newClient(t);
    const pendings = [1, 2, 3].map(() => client.invoke(server.address, RemotingCommand.request(1), 30_000));
    const checks = pendings.map((p) => assert.rejects(p, hasCode(ERROR_CODES.CONNECTION, true)));
    await allArrived.promise;
    serverSide[0].close('server drops the client');
    await Promise.all(checks);
  });

  test('invokeOneway resolves once written; the server sees the oneway flag and answers nothing', async (t) => {
    const server = await startServer(t);
    const got = deferred<RemotingCommand>();
    server.registerHandler(15, (req) => {
      got.resolve(req);
      return RemotingCommand.responseTo(req, 0);
    });
    const client = newClient(t);
    await client.invokeOneway(server.address, RemotingCommand.request(15, { commitOffset: '-1' }));
    const req = await got.promise;
    assert.equal(req.isOneway, true);
    assert.equal(req.ext('commitOffset'), '-1');
    // The connection is still healthy: had the server replied, the client would have logged and dropped it.
    assert.equal((await client.invoke(server.address, RemotingCommand.request(ECHO), 5000)).code, 0);
  });

  test('server → client requests reach client handlers; unknown codes get 3 from the client', async (t) => {
    const server = await startServer(t);
    const serverSide = deferred<RemotingChannel>();
    server.onChannelOpen((ch) => serverSide.resolve(ch));
    const client = newClient(t);
    client.registerHandler(307, (req, ch) =>
      RemotingCommand.responseTo(req, 0, undefined, { clientSaw: req.ext('consumerGroup') ?? '', local: ch.localAddress }, Buffer.from('{"jstack":""}')),
    );
    client.registerHandler(40, () => null); // NOTIFY_CONSUMER_IDS_CHANGED: no reply
    const clientChannel = await client.getChannel(server.address);
    const ch = await serverSide.promise;
    const res = await ch.invoke(RemotingCommand.request(307, { consumerGroup: 'G1' }), 5000);
    assert.equal(res.code, 0);
    assert.deepEqual(res.extFields, { clientSaw: 'G1', local: clientChannel.localAddress });
    assert.equal(res.body?.toString(), '{"jstack":""}');
    const unknown = await ch.invoke(RemotingCommand.request(326), 5000);
    assert.equal(unknown.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    assert.equal(unknown.remark, ' request type 326 not supported');
    ch.invokeOneway(RemotingCommand.request(40));
    // Both directions keep independent opaque tables on one connection.
    const [a, b] = await Promise.all([
      ch.invoke(RemotingCommand.request(307, { consumerGroup: 'G2' }), 5000),
      client.invoke(server.address, RemotingCommand.request(ECHO, { dir: 'up' }), 5000),
    ]);
    assert.equal(a.ext('clientSaw'), 'G2');
    assert.equal(b.ext('dir'), 'up');
  });

  test('a request over maxFrameLength is refused locally; the connection stays usable', async (t) => {
    const server = await startServer(t);
    const client = newClient(t, { maxFrameLength: 4096 });
    await assert.rejects(
      client.invoke(server.address, RemotingCommand.request(ECHO, undefined, Buffer.alloc(5000)), 5000),
      hasCode(ERROR_CODES.INVALID_ARGUMENT),
    );
    assert.equal((await client.invoke(server.address, RemotingCommand.request(ECHO, undefined, Buffer.alloc(100)), 5000)).code, 0);
  });

  test('a duplicate opaque on one channel is refused', async (t) => {
    const server = await startServer(t);
    const hold = deferred();
    server.registerHandler(1, async (req) => {
      await hold.promise;
      return RemotingCommand.responseTo(req, 0);
    });
    const client = newClient(t);
    const req = RemotingCommand.request(1);
    const first = client.invoke(server.address, req, 5000);
    await assert.rejects(client.invoke(server.address, req, 5000), hasCode(ERROR_CODES.INVALID_ARGUMENT));
    hold.resolve();
    assert.equal((await first).code, 0);
  });
});
