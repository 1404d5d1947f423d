// Shared helpers for the remoting tests: golden hex fixtures, a seeded PRNG, chunkers, raw sockets.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FrameDecoder } from '../../src/remoting/frame/frame-decoder.ts';
import { decodeFrame } from '../../src/remoting/protocol/remoting-codec.ts';
import type { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';

const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/golden/remoting/', import.meta.url));

/** Bytes of a `.hex` golden fixture: `#` comments, whitespace-separated hex pairs. */
export function readGolden(name: string): Buffer {
  const text = readFileSync(GOLDEN_DIR + name, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(text)) throw new Error(`bad hex in golden fixture ${name}`);
  return Buffer.from(text, 'hex');
}

/** mulberry32: tiny deterministic PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from the environment (REMOTING_TEST_SEED) or the clock; printed so a failure can be replayed. */
export function testSeed(label: string): number {
  const fromEnv = process.env.REMOTING_TEST_SEED;
  const seed = fromEnv ? Number(fromEnv) : (Date.now() ^ (process.pid << 8)) >>> 0;
  console.log(`${label}: seed ${seed} (replay with REMOTING_TEST_SEED=${seed})`);
  return seed;
}

/** Split `bytes` into chunks of random sizes in [1, maxChunk]. */
export function randomChunks(bytes: Buffer, rnd: () => number, maxChunk: number): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (p < bytes.length) {
    const n = 1 + Math.floor(rnd() * maxChunk);
    out.push(bytes.subarray(p, p + n));
    p += n;
  }
  return out;
}

/** A raw TCP socket to 127.0.0.1:port, resolved once connected. */
export function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Resolves when `socket` has closed (whoever closed it). */
export function socketClosed(socket: Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Collects the commands a raw socket receives; `next()` waits for the next one. */
export class CommandReader {
  readonly received: RemotingCommand[] = [];
  #decoder = new FrameDecoder();
  #waiters: Array<(cmd: RemotingCommand) => void> = [];
  #read = 0;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.#decoder.push(chunk)) {
        const cmd = decodeFrame(f);
        this.received.push(cmd);
        this.#waiters.shift()?.(cmd);
      }
    });
  }

  next(): Promise<RemotingCommand> {
    const i = this.#read++;
    if (i < this.received.length) return Promise.resolve(this.received[i]);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** A promise with its resolve function exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
