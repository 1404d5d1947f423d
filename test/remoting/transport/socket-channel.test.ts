import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import { createLogger } from '../../../src/common/logger.ts';
import { encodeCommand } from '../../../src/remoting/protocol/remoting-codec.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RemotingClient } from '../../../src/remoting/transport/remoting-client.ts';
import { RemotingServer } from '../../../src/remoting/transport/remoting-server.ts';
import { SocketChannel, formatAddress } from '../../../src/remoting/transport/socket-channel.ts';
import type { SocketChannelOptions } from '../../../src/remoting/transport/socket-channel.ts';
import type { RemotingChannel } from '../../../src/remoting/transport/types.ts';
import { CommandReader, deferred, rawConnect, socketClosed } from '../helpers.ts';

const ECHO = 105;
const BIG = 110;

function sha(b: Buffer | undefined): string {
  return createHash('sha1').update(b ?? Buffer.alloc(0)).digest('hex');
}

/** A SocketChannel over the server end of a fresh TCP connection, plus the raw client socket. */
async function channelPair(
  t: TestContext,
  options: Partial<SocketChannelOptions> = {},
): Promise<{ channel: SocketChannel; peer: Socket }> {
  const accepted = deferred<SocketChannel>();
  const server = createServer((s) =>
    accepted.resolve(new SocketChannel(s, { logger: createLogger('test'), onRequest: () => undefined, ...options })),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  const peer = await rawConnect(typeof a === 'object' && a ? a.port : 0);
  const channel = await accepted.promise;
  t.after(async () => {
    peer.destroy();
    channel.destroy('test end');
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { channel, peer };
}

describe('back-pressure', () => {
  test('large bodies: client writes past the socket buffer, everything arrives intact', async (t) => {
    const server = new RemotingServer({ host: '127.0.0.1', port: 0 });
    server.registerHandler(ECHO, (req) => RemotingCommand.responseTo(req, 0, sha(req.body), undefined, req.body));
    await server.start();
    t.after(() => server.shutdown());
    const client = new RemotingClient();
    t.after(() => client.shutdown());
    const ch = (await client.getChannel(server.address)) as SocketChannel;
    const bodies = Array.from({ length: 12 }, (_, i) => Buffer.alloc(2 * 1024 * 1024 + i, i + 1));
    const results = bodies.map((b) => client.invoke(server.address, RemotingCommand.request(ECHO, undefined, b), 30_000));
    // Give the invokes their microtask turn to reach the channel; then the socket must be past its high-water mark.
    await new Promise((r) => setImmediate(r));
    assert.equal(ch.writable, false, 'back-pressure engaged');
    const replies = await Promise.all(results);
    replies.forEach((res, i) => {
      assert.equal(res.remark, sha(bodies[i]));
      assert.equal(res.body?.length, bodies[i].length);
      assert.equal(sha(res.body), sha(bodies[i]));
    });
    await ch.whenWritable();
    assert.equal(ch.writable, true);
  });

  test('many small requests in one burst', async (t) => {
    const server = new RemotingServer({ host: '127.0.0.1', port: 0 });
    server.registerHandler(ECHO, (req) => RemotingCommand.responseTo(req, 0, undefined, req.extFields));
    await server.start();
    t.after(() => server.shutdown());
    const client = new RemotingClient();
    t.after(() => client.shutdown());
    const n = 5000;
    const replies = await Promise.all(
      Array.from({ length: n }, (_, i) => client.invoke(server.address, RemotingCommand.request(ECHO, { i: String(i) }), 30_000)),
    );
    replies.forEach((r, i) => assert.equal(r.ext('i'), String(i)));
  });

  test('writes of one tick (small and large, with and without bodies) reach the peer intact and in order', async (t) => {
    const { channel, peer } = await channelPair(t);
    const reader = new CommandReader(peer);
    const chunks: number[] = [];
    peer.on('data', (c: Buffer) => chunks.push(c.length));
    const sizes = [0, 1, 300, 0, 70 * 1024, 5, 0, 200 * 1024, 17, 0];
    const sent = sizes.map((n, i) => {
      const body = n === 0 ? undefined : Buffer.alloc(n, i + 1);
      return new RemotingCommand({ code: 0, opaque: i, flag: 1, extFields: { i: String(i) }, body });
    });
    const flushed: Array<Promise<void>> = [];
    sent.forEach((cmd, i) => (i % 3 === 0 ? flushed.push(channel.writeAsync(cmd)) : channel.write(cmd)));
    await Promise.all(flushed);
    for (let i = 0; i < sizes.length; i++) {
      const got = await reader.next();
      assert.equal(got.opaque, i);
      assert.equal(got.ext('i'), String(i));
      assert.equal(got.body?.length ?? 0, sizes[i]);
      assert.equal(sha(got.body), sha(sent[i].body));
    }
    // Small frames of one tick are one socket write: 50 header-only replies fit in far fewer reads than 50.
    chunks.length = 0;
    for (let i = 0; i < 50; i++) channel.write(new RemotingCommand({ code: 0, opaque: 100 + i, flag: 1 }));
    for (let i = 0; i < 50; i++) assert.equal((await reader.next()).opaque, 100 + i);
    assert.ok(chunks.length < 50, `50 small frames arrived in ${chunks.length} reads`);
  });

  test('server replies to a peer that stops reading are queued, then delivered in order after it resumes', async (t) => {
    const server = new RemotingServer({ host: '127.0.0.1', port: 0 });
    const body = Buffer.alloc(1024 * 1024, 0xab);
    server.registerHandler(BIG, (req) => RemotingCommand.responseTo(req, 0, undefined, undefined, body));
    const serverSide = deferred<RemotingChannel>();
    server.onChannelOpen((ch) => serverSide.resolve(ch));
    await server.start();
    t.after(() => server.shutdown());
    const sock = await rawConnect(server.port);
    t.after(() => sock.destroy());
    sock.pause();
    const n = 40;
    sock.write(Buffer.concat(Array.from({ length: n }, (_, i) => encodeCommand(new RemotingCommand({ code: BIG, opaque: i + 1 })))));
    const ch = (await serverSide.promise) as SocketChannel;
    while (ch.writable) await new Promise((r) => setTimeout(r, 5));
    assert.equal(ch.writable, false, 'server channel is holding replies back');
    const reader = new CommandReader(sock);
    sock.resume();
    for (let i = 1; i <= n; i++) {
      const res = await reader.next();
      assert.equal(res.opaque, i);
      assert.equal(res.body?.length, body.length);
    }
  });

  test('a peer that never reads gets closed once too much is queued', async (t) => {
    const { channel, peer } = await channelPair(t, { maxPendingWriteBytes: 4 * 1024 * 1024 });
    peer.pause();
    const closed = deferred();
    channel.onClose(() => closed.resolve());
    const chunk = Buffer.alloc(256 * 1024);
    const writes: Array<Promise<void>> = [];
    for (let i = 0; i < 400 && !channel.closed; i++) {
      writes.push(channel.writeAsync(new RemotingCommand({ code: 0, flag: 1, opaque: i, body: chunk })).catch(() => undefined));
    }
    await closed.promise;
    assert.match(channel.closeReason, /peer is not reading/);
    await Promise.all(writes);
  });

  test('writeAsync resolves after the flush; rejects with CONNECTION once closed', async (t) => {
    const { channel, peer } = await channelPair(t);
    const reader = new CommandReader(peer);
    await channel.writeAsync(new RemotingCommand({ code: 0, flag: 1, opaque: 5, body: Buffer.from('x') }));
    assert.equal((await reader.next()).opaque, 5);
    channel.close('done');
    await assert.rejects(
      channel.writeAsync(new RemotingCommand({ code: 0 })),
      (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.CONNECTION,
    );
    await assert.rejects(
      channel.invoke(new RemotingCommand({ code: 1, opaque: 1 }), 1000),
      (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.CONNECTION && /done/.test(e.message),
    );
    channel.write(new RemotingCommand({ code: 0 })); // dropped quietly
    channel.invokeOneway(new RemotingCommand({ code: 0 })); // dropped quietly
  });

  test('close() flushes queued writes before FIN', async (t) => {
    const { channel, peer } = await channelPair(t);
    peer.pause();
    const n = 30;
    for (let i = 0; i < n; i++) channel.write(new RemotingCommand({ code: 0, flag: 1, opaque: i, body: Buffer.alloc(512 * 1024, i) }));
    assert.equal(channel.writable, false);
    const closedListener = deferred<RemotingChannel>();
    channel.onClose((ch) => closedListener.resolve(ch));
    channel.close('flush then close');
    assert.equal(await closedListener.promise, channel);
    const reader = new CommandReader(peer);
    peer.resume();
    for (let i = 0; i < n; i++) {
      const res = await reader.next();
      assert.equal(res.opaque, i);
      assert.equal(res.body?.[0], i);
    }
    await socketClosed(peer);
    await channel.whenClosed();
  });
});

describe('SocketChannel basics', () => {
  test('formatAddress', () => {
    assert.equal(formatAddress('::ffff:10.0.0.1', 9876), '10.0.0.1:9876');
    assert.equal(formatAddress('127.0.0.1', 10911), '127.0.0.1:10911');
    assert.equal(formatAddress('::1', 10911), '[::1]:10911');
  });

  test('onClose registered after close still fires once', async (t) => {
    const { channel } = await channelPair(t);
    channel.close();
    let calls = 0;
    const fired = deferred();
    channel.onClose(() => {
      calls++;
      fired.resolve();
    });
    await fired.promise;
    assert.equal(calls, 1);
    assert.equal(channel.closed, true);
  });

  test('garbage from the peer closes the channel with a protocol reason', async (t) => {
    const { channel, peer } = await channelPair(t);
    const closed = deferred();
    channel.onClose(() => closed.resolve());
    peer.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await closed.promise;
    assert.match(channel.closeReason, /^protocol error: frame length \d+ exceeds the maximum/);
    await socketClosed(peer);
  });
});
