// Malformed input thrown at a live server over many connections while a well-formed client keeps getting correct
// answers. The server must close only the offending connections and never crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { encodeCommand, encodeHeader } from '../../../src/remoting/protocol/remoting-codec.ts';
import { RemotingCommand, SerializeType } from '../../../src/remoting/protocol/remoting-command.ts';
import { RemotingClient } from '../../../src/remoting/transport/remoting-client.ts';
import { RemotingServer } from '../../../src/remoting/transport/remoting-server.ts';
import { rawConnect, seededRandom, socketClosed, testSeed } from '../helpers.ts';

const ECHO = 105;
const MAX_FRAME = 1024 * 1024;

type Rnd = () => number;

function randomBytes(rnd: Rnd, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rnd() * 256);
  return b;
}

function prefix(length: number, word: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(length | 0, 0);
  b.writeUInt32BE(word >>> 0, 4);
  return b;
}

function frameWithHeader(header: Buffer, type = 0, body = Buffer.alloc(0)): Buffer {
  return Buffer.concat([prefix(4 + header.length + body.length, (type << 24) | header.length), header, body]);
}

/** Inputs the server must reject by closing the connection on its own. */
const MUST_CLOSE: Array<(rnd: Rnd) => Buffer> = [
  (rnd) => prefix(MAX_FRAME + 1 + Math.floor(rnd() * 1e9), 10), // oversize length
  (rnd) => prefix(-1 - Math.floor(rnd() * 1e9), 10), // negative length
  (rnd) => prefix(Math.floor(rnd() * 4), 0), // length below the header word
  (rnd) => {
    const len = 8 + Math.floor(rnd() * 100);
    return Buffer.concat([prefix(len, len - 4 + 1 + Math.floor(rnd() * 1000)), randomBytes(rnd, len - 4)]); // header length > length-4
  },
  (rnd) => frameWithHeader(Buffer.from(`{"code":${Math.floor(rnd() * 400)},"opaque":`)), // truncated JSON
  (rnd) => frameWithHeader(randomBytes(rnd, 1 + Math.floor(rnd() * 60)).fill(0x7b, 0, 1)), // '{' + junk
  () => frameWithHeader(Buffer.from('[1,2,3]')),
  () => frameWithHeader(Buffer.from('{"code":11,"extFields":"queueId=1"}')),
  () => frameWithHeader(Buffer.from('{"opaque":1}')),
  (rnd) => frameWithHeader(Buffer.from('{"code":1}'), 2 + Math.floor(rnd() * 250)), // unknown serialize type
  (rnd) => {
    // binary header with a lying inner length
    const good = encodeHeader(new RemotingCommand({ code: ECHO, remark: 'r', extFields: { a: 'b' }, serializeType: SerializeType.ROCKETMQ }));
    const bad = Buffer.from(good);
    bad.writeInt32BE(1000 + Math.floor(rnd() * 1e6), 8 + 13);
    return bad;
  },
  (rnd) => Buffer.concat([encodeCommand(new RemotingCommand({ code: ECHO, opaque: 1 })), prefix(-5, 0), randomBytes(rnd, 10)]),
];

/** Inputs that may or may not be decodable; the attacker closes its side after sending. */
const MAY_PASS: Array<(rnd: Rnd) => Buffer> = [
  (rnd) => randomBytes(rnd, 1 + Math.floor(rnd() * 2000)),
  (rnd) => encodeCommand(new RemotingCommand({ code: ECHO, opaque: 3, body: randomBytes(rnd, 100) })).subarray(0, 1 + Math.floor(rnd() * 120)),
  (rnd) => frameWithHeader(Buffer.from(`{"code":${Math.floor(rnd() * 500)},"extFields":{"a":${rnd() < 0.5 ? 'true' : '1.5'}}}`)),
];

async function attack(port: number, bytes: Buffer, mustClose: boolean): Promise<void> {
  const s: Socket = await rawConnect(port);
  s.on('error', () => undefined);
  s.on('data', () => undefined);
  const closed = socketClosed(s);
  // Write in a couple of pieces to exercise the accumulator as well.
  const cut = Math.floor(bytes.length / 2);
  s.write(bytes.subarray(0, cut));
  s.write(bytes.subarray(cut));
  if (!mustClose) s.end();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`server did not close a connection after ${bytes.toString('hex').slice(0, 80)}…`));
    }, 10_000);
  });
  try {
    await Promise.race([closed, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

test('fuzzed connections are closed one by one while a good client keeps working', async (t) => {
  const seed = testSeed('remoting-server fuzz');
  const rnd = seededRandom(seed); // attacks
  const rndGood = seededRandom(seed ^ 0x5bd1e995); // the good client's bodies
  const server = new RemotingServer({ host: '127.0.0.1', port: 0, maxFrameLength: MAX_FRAME });
  server.registerHandler(ECHO, (req) =>
    RemotingCommand.responseTo(req, 0, createHash('sha1').update(req.body ?? Buffer.alloc(0)).digest('hex'), req.extFields, req.body),
  );
  await server.start();
  t.after(() => server.shutdown());
  const client = new RemotingClient({ maxFrameLength: MAX_FRAME });
  t.after(() => client.shutdown());

  let stop = false;
  let good = 0;
  const goodLoop = (async () => {
    while (!stop) {
      const body = randomBytes(rndGood, Math.floor(rndGood() * 4096));
      const req = RemotingCommand.request(ECHO, { n: String(good) }, body.length ? body : undefined);
      const res = await client.invoke(server.address, req, 10_000);
      assert.equal(res.code, 0);
      assert.equal(res.opaque, req.opaque);
      assert.equal(res.ext('n'), String(good));
      assert.equal(res.remark, createHash('sha1').update(body).digest('hex'));
      good++;
    }
  })();

  const goodChannel = await client.getChannel(server.address);
  const rounds = 30;
  const parallel = 8;
  let attacks = 0;
  for (let r = 0; r < rounds; r++) {
    const batch: Array<Promise<void>> = [];
    for (let i = 0; i < parallel; i++) {
      const mustClose = rnd() < 0.75;
      const list = mustClose ? MUST_CLOSE : MAY_PASS;
      const make = list[Math.floor(rnd() * list.length)];
      batch.push(attack(server.port, make(rnd), mustClose));
      attacks++;
    }
    await Promise.all(batch);
  }
  stop = true;
  await goodLoop;

  assert.equal(attacks, rounds * parallel);
  assert.ok(good > 0, 'the good client made progress during the attacks');
  console.log(`fuzz: ${attacks} malformed connections, ${good} good requests answered meanwhile`);
  assert.equal(goodChannel.closed, false, 'the good connection survived');
  const after = await client.invoke(server.address, RemotingCommand.request(ECHO, { final: '1' }), 5000);
  assert.equal(after.ext('final'), '1');
  // Only the good client's connection is left (server-side sockets leave the set once their close event has run).
  for (let i = 0; i < 500 && [...server.channels()].length > 1; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(
    [...server.channels()].map((c) => c.remoteAddress),
    [goodChannel.localAddress],
  );
});
