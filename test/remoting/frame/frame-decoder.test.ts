import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import { FrameDecoder } from '../../../src/remoting/frame/frame-decoder.ts';
import { decodeFrame, encodeCommand } from '../../../src/remoting/protocol/remoting-codec.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { randomChunks, readGolden, seededRandom, testSeed } from '../helpers.ts';

const GOLDENS = ['json-request.hex', 'json-response.hex', 'binary-request.hex', 'binary-response.hex', 'json-ali-ons-request.hex'];
const FRAMES = GOLDENS.map(readGolden);
const STREAM = Buffer.concat(FRAMES);

function isProtocolError(e: unknown): boolean {
  return e instanceof RocketMQError && e.code === ERROR_CODES.PROTOCOL;
}

/** Feed chunks, collect every frame, check each equals the golden frame minus its length field. */
function feedAndCheck(chunks: Buffer[], label: string): void {
  const d = new FrameDecoder();
  const got: Buffer[] = [];
  for (const c of chunks) got.push(...d.push(c));
  assert.equal(got.length, FRAMES.length, `${label}: frame count`);
  for (let i = 0; i < FRAMES.length; i++) {
    assert.deepEqual(got[i], FRAMES[i].subarray(4), `${label}: frame ${i}`);
    decodeFrame(got[i]); // every frame must still decode
  }
  assert.equal(d.bufferedBytes, 0, `${label}: nothing left over`);
}

describe('FrameDecoder splits a byte stream into frames', () => {
  test('all frames in one chunk: views into the chunk, no copies', () => {
    const d = new FrameDecoder();
    const frames = d.push(STREAM);
    assert.equal(frames.length, FRAMES.length);
    let offset = 0;
    for (let i = 0; i < frames.length; i++) {
      assert.equal(frames[i].buffer, STREAM.buffer);
      assert.equal(frames[i].byteOffset, STREAM.byteOffset + offset + 4);
      offset += FRAMES[i].length;
    }
    const cmd = decodeFrame(frames[0]);
    assert.equal(cmd.body?.buffer, STREAM.buffer, 'decoded body is a view of the socket chunk');
  });

  test('one byte at a time', () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < STREAM.length; i++) chunks.push(STREAM.subarray(i, i + 1));
    feedAndCheck(chunks, 'byte-by-byte');
  });

  test('split at every boundary', () => {
    for (let i = 0; i <= STREAM.length; i++) feedAndCheck([STREAM.subarray(0, i), STREAM.subarray(i)], `split at ${i}`);
  });

  test('split at every pair of boundaries inside the first two frames', () => {
    const end = FRAMES[0].length + FRAMES[1].length;
    for (let i = 1; i < end; i += 3) {
      for (let j = i; j < end; j += 5) {
        feedAndCheck([STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)], `split at ${i},${j}`);
      }
    }
  });

  test('seeded random chunker', () => {
    const seed = testSeed('frame-decoder random chunker');
    const rnd = seededRandom(seed);
    for (let round = 0; round < 200; round++) {
      const maxChunk = 1 + Math.floor(rnd() * 64);
      feedAndCheck(randomChunks(STREAM, rnd, maxChunk), `seed ${seed} round ${round} maxChunk ${maxChunk}`);
    }
  });

  test('property: random commands, random chunking, same commands out', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            code: fc.integer({ min: 0, max: 5000 }),
            opaque: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
            body: fc.uint8Array({ maxLength: 300 }),
            ext: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 4, noNullPrototype: true }),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
        (specs, sizes) => {
          const cmds = specs.map(
            (s) => new RemotingCommand({ code: s.code, opaque: s.opaque, extFields: s.ext, body: s.body.length ? Buffer.from(s.body) : undefined }),
          );
          const bytes = Buffer.concat(cmds.map(encodeCommand));
          const d = new FrameDecoder();
          const out: RemotingCommand[] = [];
          let p = 0;
          for (let i = 0; p < bytes.length; i++) {
            const n = sizes[i % sizes.length];
            for (const f of d.push(bytes.subarray(p, p + n))) out.push(decodeFrame(f));
            p += n;
          }
          assert.equal(out.length, cmds.length);
          for (let i = 0; i < cmds.length; i++) {
            assert.equal(out[i].code, cmds[i].code);
            assert.equal(out[i].opaque, cmds[i].opaque);
            assert.deepEqual(out[i].extFields, cmds[i].extFields);
            assert.deepEqual(out[i].body, cmds[i].body);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('bufferedBytes tracks a partial frame; an empty chunk is harmless', () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(Buffer.alloc(0)), []);
    assert.deepEqual(d.push(FRAMES[0].subarray(0, 10)), []);
    assert.equal(d.bufferedBytes, 10);
    assert.equal(d.push(FRAMES[0].subarray(10)).length, 1);
    assert.equal(d.bufferedBytes, 0);
  });

  test('a frame at exactly maxFrameLength is accepted', () => {
    const body = Buffer.alloc(1000, 7);
    const frame = encodeCommand(new RemotingCommand({ code: 1, body }));
    const d = new FrameDecoder({ maxFrameLength: frame.length - 4 });
    const out = d.push(frame);
    assert.equal(out.length, 1);
    assert.deepEqual(decodeFrame(out[0]).body, body);
  });
});

describe('FrameDecoder rejects impossible frames', () => {
  function header(length: number, word: number): Buffer {
    const b = Buffer.alloc(8);
    b.writeInt32BE(length, 0);
    b.writeUInt32BE(word >>> 0, 4);
    return b;
  }

  test('oversize length is rejected as soon as the 4 length bytes arrive', () => {
    const d = new FrameDecoder({ maxFrameLength: 1024 });
    const b = header(1025, 10);
    assert.deepEqual(d.push(b.subarray(0, 3)), []);
    assert.throws(() => d.push(b.subarray(3, 4)), (e: unknown) => isProtocolError(e) && /exceeds the maximum 1024/.test((e as Error).message));
    assert.equal(d.bufferedBytes, 0, 'nothing kept after failure');
    assert.throws(() => d.push(Buffer.from([1, 2, 3])), isProtocolError, 'stays failed');
  });

  test('default maximum is 16 MiB', () => {
    const d = new FrameDecoder();
    assert.equal(d.maxFrameLength, 16 * 1024 * 1024);
    assert.deepEqual(d.push(header(16 * 1024 * 1024, 10)), []);
    assert.throws(() => new FrameDecoder().push(header(16 * 1024 * 1024 + 1, 10)), isProtocolError);
  });

  test('negative and too-small lengths', () => {
    for (const len of [-1, -2147483648, 0, 3]) {
      assert.throws(() => new FrameDecoder().push(header(len, 0)), isProtocolError, `length ${len}`);
    }
    assert.throws(() => new FrameDecoder().push(Buffer.from([0xff, 0xff, 0xff, 0xff])), /frame length -1/);
  });

  test('header length larger than length - 4', () => {
    assert.throws(() => new FrameDecoder().push(header(20, 17)), /header length 17 exceeds/);
    assert.throws(() => new FrameDecoder().push(header(20, (1 << 24) | 0xffffff)), isProtocolError);
    assert.equal(new FrameDecoder().push(Buffer.concat([header(20, 16), Buffer.alloc(16)])).length, 1, 'headerLen = length-4 is fine');
  });

  test('bad maxFrameLength option', () => {
    assert.throws(() => new FrameDecoder({ maxFrameLength: 2 }), (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.CONFIG);
  });
});
