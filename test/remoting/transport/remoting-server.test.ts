import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import { encodeCommand } from '../../../src/remoting/protocol/remoting-codec.ts';
import { RemotingCommand, SerializeType } from '../../../src/remoting/protocol/remoting-command.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { OVERLOAD_REMARK } from '../../../src/remoting/transport/request-dispatcher.ts';
import { RemotingClient } from '../../../src/remoting/transport/remoting-client.ts';
import { RemotingServer } from '../../../src/remoting/transport/remoting-server.ts';
import type { RemotingServerOptions } from '../../../src/remoting/transport/remoting-server.ts';
import type { RemotingChannel } from '../../../src/remoting/transport/types.ts';
import { CommandReader, deferred, rawConnect, socketClosed } from '../helpers.ts';

async function startServer(t: TestContext, options: RemotingServerOptions = {}): Promise<RemotingServer> {
  const server = new RemotingServer({ host: '127.0.0.1', port: 0, name: t.name, ...options });
  await server.start();
  t.after(() => server.shutdown());
  return server;
}

function newClient(t: TestContext): RemotingClient {
  const client = new RemotingClient();
  t.after(() => client.shutdown());
  return client;
}

const ECHO = 105;

function echo(req: RemotingCommand): RemotingCommand {
  return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, `echo ${req.code}`, { ...req.extFields, lang: req.language }, req.body);
}

describe('RemotingServer request/response', () => {
  test('a request gets its handler reply with the same opaque, extFields and body', async (t) => {
    const server = await startServer(t);
    let seen: { remote: string; version: number } | undefined;
    server.registerHandler(ECHO, (req, ch) => {
      seen = { remote: ch.remoteAddress, version: req.version };
      return echo(req);
    });
    assert.ok(server.port > 0);
    assert.equal(server.address, `127.0.0.1:${server.port}`);
    const client = newClient(t);
    const req = RemotingCommand.request(ECHO, { topic: 'T1', n: '3' }, Buffer.from('0102030405060708', 'hex'));
    const res = await client.invoke(server.address, req, 5000);
    assert.equal(res.code, 0);
    assert.equal(res.opaque, req.opaque);
    assert.equal(res.isResponse, true);
    assert.equal(res.remark, `echo ${ECHO}`);
    assert.equal(res.version, 479);
    assert.deepEqual(res.extFields, { topic: 'T1', n: '3', lang: 'JAVA' });
    assert.deepEqual(res.body, Buffer.from('0102030405060708', 'hex'));
    const ch = await client.getChannel(server.address);
    assert.equal(seen?.remote, ch.localAddress);
    assert.equal(seen?.version, 479);
  });

  test('out-of-order async replies are matched by opaque', async (t) => {
    const server = await startServer(t);
    server.registerHandler(ECHO, async (req) => {
      const delay = Number(req.ext('delay'));
      await new Promise((r) => setTimeout(r, delay));
      return echo(req);
    });
    const client = newClient(t);
    const reqs = Array.from({ length: 200 }, (_, i) => RemotingCommand.request(ECHO, { i: String(i), delay: String((i * 7) % 13) }));
    const results = await Promise.all(reqs.map((r) => client.invoke(server.address, r, 10_000)));
    results.forEach((res, i) => {
      assert.equal(res.opaque, reqs[i].opaque);
      assert.equal(res.ext('i'), String(i));
    });
  });

  test('unknown code → 3 REQUEST_CODE_NOT_SUPPORTED with Java remark', async (t) => {
    const server = await startServer(t);
    const client = newClient(t);
    const res = await client.invoke(server.address, RemotingCommand.request(9999), 5000);
    assert.equal(res.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    assert.equal(res.remark, ' request type 9999 not supported');
  });

  test('default handler takes codes without a handler of their own', async (t) => {
    const server = await startServer(t);
    server.setDefaultHandler((req) => RemotingCommand.responseTo(req, 0, `default ${req.code}`));
    const client = newClient(t);
    const res = await client.invoke(server.address, RemotingCommand.request(4321), 5000);
    assert.equal(res.code, 0);
    assert.equal(res.remark, 'default 4321');
  });

  test('handler throws / rejects → 1 SYSTEM_ERROR with the message; responseCode errors keep their code', async (t) => {
    const server = await startServer(t);
    server.registerHandler(1, () => {
      throw new Error('sync boom');
    });
    server.registerHandler(2, async () => {
      throw new RocketMQError(ERROR_CODES.INTERNAL, 'async boom');
    });
    server.registerHandler(3, () => {
      throw new RocketMQError(ERROR_CODES.BROKER_RESPONSE, 'topic[x] not exist', { responseCode: ResponseCode.TOPIC_NOT_EXIST });
    });
    const client = newClient(t);
    const a = await client.invoke(server.address, RemotingCommand.request(1), 5000);
    assert.deepEqual([a.code, a.remark], [ResponseCode.SYSTEM_ERROR, 'sync boom']);
    const b = await client.invoke(server.address, RemotingCommand.request(2), 5000);
    assert.deepEqual([b.code, b.remark], [ResponseCode.SYSTEM_ERROR, 'async boom']);
    const c = await client.invoke(server.address, RemotingCommand.request(3), 5000);
    assert.deepEqual([c.code, c.remark], [ResponseCode.TOPIC_NOT_EXIST, 'topic[x] not exist']);
  });

  test('over maxInflightRequests → 2 SYSTEM_BUSY [OVERLOAD]; others still answered', async (t) => {
    const server = await startServer(t, { maxInflightRequests: 2 });
    const gate = deferred();
    let started = 0;
    const bothStarted = deferred();
    server.registerHandler(ECHO, async (req) => {
      if (++started === 2) bothStarted.resolve();
      await gate.promise;
      return echo(req);
    });
    const client = newClient(t);
    const first = client.invoke(server.address, RemotingCommand.request(ECHO), 5000);
    const second = client.invoke(server.address, RemotingCommand.request(ECHO), 5000);
    await bothStarted.promise;
    const third = await client.invoke(server.address, RemotingCommand.request(ECHO), 5000);
    assert.equal(third.code, ResponseCode.SYSTEM_BUSY);
    assert.equal(third.remark, OVERLOAD_REMARK);
    assert.equal(OVERLOAD_REMARK, '[OVERLOAD]system busy, start flow control for a while');
    gate.resolve();
    assert.equal((await first).code, 0);
    assert.equal((await second).code, 0);
    assert.equal((await client.invoke(server.address, RemotingCommand.request(ECHO), 5000)).code, 0, 'capacity is given back');
  });

  test('oneway requests and null replies are never answered', async (t) => {
    const server = await startServer(t);
    const handled: number[] = [];
    server.registerHandler(15, (req) => {
      handled.push(req.code);
      return RemotingCommand.responseTo(req, 0, 'must not be sent');
    });
    server.registerHandler(16, (req) => {
      handled.push(req.code);
      return null;
    });
    server.registerHandler(17, (req) => {
      handled.push(req.code);
      throw new Error('oneway failure must not be answered either');
    });
    server.registerHandler(ECHO, echo);
    const sock = await rawConnect(server.port);
    t.after(() => sock.destroy());
    const reader = new CommandReader(sock);
    const oneway = new RemotingCommand({ code: 15, opaque: 1 }).markOneway();
    const onewayThrow = new RemotingCommand({ code: 17, opaque: 2 }).markOneway();
    const nullReply = new RemotingCommand({ code: 16, opaque: 3 });
    const unknownOneway = new RemotingCommand({ code: 7777, opaque: 4 }).markOneway();
    const last = new RemotingCommand({ code: ECHO, opaque: 5 });
    sock.write(Buffer.concat([oneway, onewayThrow, nullReply, unknownOneway, last].map(encodeCommand)));
    // Handlers run in arrival order; a reply to any earlier request would arrive before the echo.
    const first = await reader.next();
    assert.equal(first.opaque, 5);
    assert.equal(first.remark, `echo ${ECHO}`);
    assert.deepEqual(handled, [15, 17, 16]);
    assert.equal(reader.received.length, 1);
  });

  test('replies are JSON even to a ROCKETMQ-binary request', async (t) => {
    const server = await startServer(t);
    server.registerHandler(ECHO, echo);
    const sock = await rawConnect(server.port);
    t.after(() => sock.destroy());
    const chunks: Buffer[] = [];
    const got = deferred();
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      if (Buffer.concat(chunks).length >= 8) got.resolve();
    });
    const req = new RemotingCommand({ code: ECHO, opaque: 77, language: 'GO', serializeType: SerializeType.ROCKETMQ, extFields: { k: 'v' } });
    sock.write(encodeCommand(req));
    await got.promise;
    const bytes = Buffer.concat(chunks);
    assert.equal(bytes[4], 0, 'serialize type byte of the reply');
    const reader = new CommandReader(sock);
    sock.emit('data', bytes); // replay what we already read through a decoder
    const res = await reader.next();
    assert.equal(res.opaque, 77);
    assert.deepEqual(res.extFields, { k: 'v', lang: 'GO' });
  });

  test('a response matching no pending request is dropped; the connection keeps working', async (t) => {
    const server = await startServer(t);
    server.registerHandler(ECHO, echo);
    const sock = await rawConnect(server.port);
    t.after(() => sock.destroy());
    const reader = new CommandReader(sock);
    const stray = new RemotingCommand({ code: 0, opaque: 424242, flag: 1 });
    sock.write(Buffer.concat([encodeCommand(stray), encodeCommand(new RemotingCommand({ code: ECHO, opaque: 9 }))]));
    const res = await reader.next();
    assert.equal(res.opaque, 9);
    assert.equal(sock.destroyed, false);
  });
});

describe('RemotingServer connections', () => {
  test('onChannelOpen / onChannelClose / channels()', async (t) => {
    const server = await startServer(t);
    const opened: RemotingChannel[] = [];
    const closed = deferred<RemotingChannel>();
    server.onChannelOpen((ch) => opened.push(ch));
    server.onChannelClose((ch) => closed.resolve(ch));
    const sock = await rawConnect(server.port);
    const reader = new CommandReader(sock);
    sock.write(encodeCommand(new RemotingCommand({ code: 1, opaque: 1 })));
    await reader.next();
    assert.equal(opened.length, 1);
    assert.deepEqual([...server.channels()], opened);
    assert.equal(opened[0].remoteAddress, `127.0.0.1:${sock.localPort}`);
    sock.end();
    const ch = await closed.promise;
    assert.equal(ch, opened[0]);
    assert.equal(ch.closed, true);
    assert.deepEqual([...server.channels()], []);
  });

  test('idle connections are closed (small idle timeout)', async (t) => {
    const server = await startServer(t, { idleTimeoutMs: 150 });
    const closedOnServer = deferred<RemotingChannel>();
    server.onChannelClose((ch) => closedOnServer.resolve(ch));
    const sock = await rawConnect(server.port);
    await socketClosed(sock);
    const ch = await closedOnServer.promise;
    assert.equal(ch.closed, true);
  });

  test('shutdown closes every connection, rejects pending requests, stops listening', async (t) => {
    const server = new RemotingServer({ host: '127.0.0.1', port: 0 });
    await server.start();
    const arrived = deferred();
    server.registerHandler(ECHO, () => {
      arrived.resolve();
      return new Promise<null>(() => undefined); // never answers
    });
    const client = newClient(t);
    const pending = client.invoke(server.address, RemotingCommand.request(ECHO), 30_000);
    await arrived.promise;
    const raw = await rawConnect(server.port);
    const rejected = assert.rejects(pending, (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.CONNECTION && e.retriable);
    await server.shutdown();
    await rejected;
    await socketClosed(raw);
    assert.deepEqual([...server.channels()], []);
    await assert.rejects(rawConnect(server.port));
    await server.shutdown(); // idempotent
  });

  test('start on a port in use fails with CONNECTION', async (t) => {
    const server = await startServer(t);
    const other = new RemotingServer({ host: '127.0.0.1', port: server.port });
    await assert.rejects(other.start(), (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.CONNECTION);
  });
});
