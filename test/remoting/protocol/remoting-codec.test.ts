import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import {
  decodeCommand,
  decodeFrame,
  encodeCommand,
  encodeHeader,
  encodedFrameLength,
  serializeJsonHeader,
} from '../../../src/remoting/protocol/remoting-codec.ts';
import { RemotingCommand, SerializeType } from '../../../src/remoting/protocol/remoting-command.ts';
import { LANGUAGE_CODES } from '../../../src/remoting/protocol/language-code.ts';
import { readGolden } from '../helpers.ts';

const BODY = Buffer.from('0102030405060708', 'hex');
const OPAQUE = 0x01020304;

function isProtocolError(e: unknown): boolean {
  return e instanceof RocketMQError && e.code === ERROR_CODES.PROTOCOL;
}

/** A frame (bytes after the length field) with a JSON header of the given text and an optional body. */
function jsonFrame(headerText: string, body = Buffer.alloc(0)): Buffer {
  const h = Buffer.from(headerText, 'utf8');
  const word = Buffer.alloc(4);
  word.writeUInt32BE(h.length);
  return Buffer.concat([word, h, body]);
}

describe('golden frames', () => {
  test('JSON request: encode matches golden bytes, header and body written separately', () => {
    const golden = readGolden('json-request.hex');
    const cmd = new RemotingCommand({
      code: 310,
      opaque: OPAQUE,
      extFields: { e: '2', a: 'PID_x', b: 'TopicTest' }, // unsorted on purpose
      body: BODY,
    });
    const header = encodeHeader(cmd);
    assert.equal(header.length, golden.length - BODY.length, 'encodeHeader must not include the body');
    assert.equal(encodedFrameLength(header), golden.length - 4);
    assert.deepEqual(Buffer.concat([header, BODY]), golden);
    assert.deepEqual(encodeCommand(cmd), golden);
  });

  test('JSON request: decode gives every field and the body as a view', () => {
    const golden = readGolden('json-request.hex');
    const cmd = decodeCommand(golden);
    assert.equal(cmd.code, 310);
    assert.equal(cmd.language, 'JAVA');
    assert.equal(cmd.version, 479);
    assert.equal(cmd.opaque, OPAQUE);
    assert.equal(cmd.flag, 0);
    assert.equal(cmd.remark, undefined);
    assert.equal(cmd.serializeType, SerializeType.JSON);
    assert.deepEqual(cmd.extFields, { a: 'PID_x', b: 'TopicTest', e: '2' });
    assert.deepEqual(cmd.body, BODY);
    assert.equal(cmd.body?.buffer, golden.buffer, 'body must share memory with the frame');
    assert.equal(cmd.body?.byteOffset, golden.byteOffset + golden.length - BODY.length);
  });

  test('JSON response: encode and decode', () => {
    const golden = readGolden('json-response.hex');
    const req = new RemotingCommand({ code: 310, opaque: OPAQUE });
    const reply = RemotingCommand.responseTo(req, 0, 'ok', {
      queueOffset: '42',
      msgId: '0A0B0C0D00002A9F0000000000000102',
      queueId: '3',
    });
    assert.deepEqual(encodeCommand(reply), golden);
    const back = decodeCommand(golden);
    assert.equal(back.isResponse, true);
    assert.equal(back.remark, 'ok');
    assert.equal(back.body, undefined);
    assert.deepEqual(back.extFields, reply.extFields);
  });

  test('ROCKETMQ binary request: encode and decode', () => {
    const golden = readGolden('binary-request.hex');
    const cmd = new RemotingCommand({
      code: 310,
      language: 'GO',
      version: 317,
      opaque: OPAQUE,
      flag: 2,
      remark: 'ré',
      extFields: { bb: 'xyz', a: '1' },
      body: BODY,
      serializeType: SerializeType.ROCKETMQ,
    });
    const header = encodeHeader(cmd);
    assert.deepEqual(Buffer.concat([header, BODY]), golden);
    const back = decodeCommand(golden);
    assert.equal(back.serializeType, SerializeType.ROCKETMQ);
    assert.equal(back.code, 310);
    assert.equal(back.language, 'GO');
    assert.equal(back.version, 317);
    assert.equal(back.opaque, OPAQUE);
    assert.equal(back.isOneway, true);
    assert.equal(back.remark, 'ré');
    assert.deepEqual(back.extFields, { a: '1', bb: 'xyz' });
    assert.deepEqual(back.body, BODY);
    assert.equal(back.body?.buffer, golden.buffer);
  });

  test('ROCKETMQ binary response: empty remark/extFields decode as absent', () => {
    const golden = readGolden('binary-response.hex');
    const back = decodeCommand(golden);
    assert.equal(back.code, 2);
    assert.equal(back.version, 479);
    assert.equal(back.opaque, 0x7f000001);
    assert.equal(back.isResponse, true);
    assert.equal(back.remark, undefined);
    assert.equal(back.extFields, undefined);
    assert.equal(back.body, undefined);
    const cmd = new RemotingCommand({ code: 2, opaque: 0x7f000001, flag: 1, serializeType: SerializeType.ROCKETMQ });
    assert.deepEqual(encodeCommand(cmd), golden);
  });

  test('ali-ons request: typed extFields values become strings, null dropped', () => {
    const cmd = decodeCommand(readGolden('json-ali-ons-request.hex'));
    assert.equal(cmd.code, 310);
    assert.equal(cmd.version, 121);
    assert.equal(cmd.opaque, 7);
    assert.equal(cmd.remark, undefined);
    assert.deepEqual(cmd.extFields, {
      a: 'PID_x',
      d: '4',
      e: '0',
      g: '1700000000123',
      k: 'false',
      i: 'TAGS\u0001TagA\u0002',
    });
    assert.equal(Object.hasOwn(cmd.extFields ?? {}, 'n'), false);
    assert.deepEqual(cmd.body, BODY);
  });
});

describe('JSON header encoding', () => {
  test('keys are alphabetical, absent fields omitted, extFields sorted and stringified', () => {
    const cmd = new RemotingCommand({ code: 34, opaque: 5 });
    assert.equal(
      serializeJsonHeader(cmd),
      '{"code":34,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":479}',
    );
    const withExt = new RemotingCommand({ code: 34, opaque: 5, remark: '', extFields: { z: 'last', b: 'x"y', n: undefined as unknown as string } });
    assert.equal(
      serializeJsonHeader(withExt),
      '{"code":34,"extFields":{"b":"x\\"y","z":"last"},"flag":0,"language":"JAVA","opaque":5,"remark":"","serializeTypeCurrentRPC":"JSON","version":479}',
    );
    const numeric = new RemotingCommand({ code: 1, extFields: { q: 7 as unknown as string } });
    assert.match(serializeJsonHeader(numeric), /"extFields":\{"q":"7"\}/);
  });

  test('replies built with responseTo are JSON with version 479 and the request opaque', () => {
    const req = new RemotingCommand({ code: 11, opaque: 99, serializeType: SerializeType.ROCKETMQ, version: 121 });
    const reply = RemotingCommand.responseTo(req, 19, 'none');
    const header = encodeHeader(reply);
    assert.equal(header[4], 0, 'serialize type byte must be JSON');
    const back = decodeCommand(header);
    assert.equal(back.opaque, 99);
    assert.equal(back.version, 479);
    assert.equal(back.isResponse, true);
  });

  test('strings are escaped exactly as JSON.stringify does, keys sorted whatever their insertion order', () => {
    // Reference: the plain JSON.stringify + sort encoder the fast path must match byte for byte.
    const reference = (cmd: RemotingCommand): string => {
      const ext = cmd.extFields ?? {};
      const pairs = Object.keys(ext).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(ext[k])}`);
      return (
        `{"code":${cmd.code},"extFields":{${pairs.join(',')}},"flag":${cmd.flag},"language":${JSON.stringify(cmd.language)},` +
        `"opaque":${cmd.opaque},"remark":${JSON.stringify(cmd.remark)},"serializeTypeCurrentRPC":"JSON","version":${cmd.version}}`
      );
    };
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }), // lone surrogates included
      fc.constantFrom('a"b', 'back\\slash', 'tab\tnl\n', '\u0000\u001f\u007f', '\u2028\u2029', '\ud83d\ude00', '\ud800x', 'é€'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 8 }), text, (entries, remark) => {
        const extFields: Record<string, string> = Object.create(null) as Record<string, string>;
        for (const [k, v] of entries) extFields[k] = v;
        const cmd = new RemotingCommand({ code: 310, opaque: 77, remark, extFields });
        const json = serializeJsonHeader(cmd);
        assert.equal(json, reference(cmd));
        const header = encodeHeader(cmd);
        assert.equal(header.readUInt32BE(4) & 0xffffff, Buffer.byteLength(json), 'header length = UTF-8 bytes');
        assert.equal(header.toString('utf8', 8), json);
        assert.equal(encodedFrameLength(header), header.length - 4);
      }),
      { numRuns: 500 },
    );
    const sorted = new RemotingCommand({ code: 1, extFields: { A: '1', a: '2', b: '3' } });
    const unsorted = new RemotingCommand({ code: 1, extFields: { b: '3', a: '2', A: '1' } });
    assert.equal(serializeJsonHeader(unsorted), serializeJsonHeader(sorted));
    assert.match(serializeJsonHeader(unsorted), /"extFields":\{"A":"1","a":"2","b":"3"\}/);
  });

  test('many headers in a row each keep their own bytes (shared slab), large headers too', () => {
    const headers: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const extFields = { k: 'v'.repeat(i * 7), n: String(i) };
      headers.push(encodeHeader(new RemotingCommand({ code: 10, opaque: i, extFields })));
    }
    const big = encodeHeader(new RemotingCommand({ code: 10, opaque: 1, remark: 'ü'.repeat(5000) }));
    headers.forEach((h, i) => {
      const back = decodeCommand(h);
      assert.equal(back.opaque, i);
      assert.equal(back.extFields?.k, 'v'.repeat(i * 7));
    });
    assert.equal(decodeCommand(big).remark, 'ü'.repeat(5000));
  });

  test('a non-integer field cannot be encoded', () => {
    assert.throws(() => encodeHeader(new RemotingCommand({ code: 1.5 })), isProtocolError);
    assert.throws(() => encodeHeader(new RemotingCommand({ code: 40000, serializeType: SerializeType.ROCKETMQ })), isProtocolError);
  });
});

describe('JSON header decoding is lenient', () => {
  test('unknown language becomes OTHER; numeric language is a byte code', () => {
    assert.equal(decodeFrame(jsonFrame('{"code":1,"language":"KOTLIN"}')).language, 'OTHER');
    assert.equal(decodeFrame(jsonFrame('{"code":1,"language":9}')).language, 'GO');
    assert.equal(decodeFrame(jsonFrame('{"code":1,"language":"CPP"}')).language, 'CPP');
  });

  test('remark null / "" / absent; extFields absent or null; extra keys ignored', () => {
    const a = decodeFrame(jsonFrame('{"code":1,"remark":null,"extFields":null,"serializeTypeCurrentRPC":"JSON","foo":[1]}'));
    assert.equal(a.remark, undefined);
    assert.equal(a.extFields, undefined);
    assert.equal(decodeFrame(jsonFrame('{"code":1,"remark":""}')).remark, '');
    const b = decodeFrame(jsonFrame('{"code":"34","opaque":"12","flag":1}'));
    assert.equal(b.code, 34);
    assert.equal(b.opaque, 12);
    assert.equal(b.version, 0);
  });

  test('extFields: numbers, booleans and nested JSON become strings; null values dropped', () => {
    const cmd = decodeFrame(
      jsonFrame('{"code":11,"extFields":{"queueId":2,"neg":-1,"f":1.5,"t":true,"s":"x","nil":null,"obj":{"k":1},"arr":[1,"a"]}}'),
    );
    assert.deepEqual(cmd.extFields, { queueId: '2', neg: '-1', f: '1.5', t: 'true', s: 'x', obj: '{"k":1}', arr: '[1,"a"]' });
  });

  test('"__proto__" in extFields stays an ordinary key', () => {
    const cmd = decodeFrame(jsonFrame('{"code":1,"extFields":{"__proto__":5,"a":"b"}}'));
    assert.equal(Object.getPrototypeOf(cmd.extFields), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(cmd.extFields, '__proto__')?.value, '5');
    assert.equal(({} as Record<string, unknown>).a, undefined);
  });
});

describe('decode errors are RocketMQError(PROTOCOL)', () => {
  const bad: Array<[string, string]> = [
    ['not JSON', '{"code":1'],
    ['array header', '[1,2]'],
    ['null header', 'null'],
    ['number header', '42'],
    ['missing code', '{"opaque":1}'],
    ['fractional code', '{"code":1.5}'],
    ['string code', '{"code":"abc"}'],
    ['extFields array', '{"code":1,"extFields":["a"]}'],
    ['extFields string', '{"code":1,"extFields":"a=b"}'],
    ['extFields number', '{"code":1,"extFields":3}'],
    ['remark object', '{"code":1,"remark":{"a":1}}'],
  ];
  for (const [name, text] of bad) {
    test(name, () => {
      assert.throws(() => decodeFrame(jsonFrame(text)), (e: unknown) => {
        assert.ok(isProtocolError(e), `expected PROTOCOL error, got ${String(e)}`);
        assert.ok((e as Error).message.length > 10);
        return true;
      });
    });
  }

  test('unknown serialize type, header longer than the frame, short frames', () => {
    const f = jsonFrame('{"code":1}');
    f[0] = 2;
    assert.throws(() => decodeFrame(f), /unknown serializeType 2/);
    const g = jsonFrame('{"code":1}');
    g.writeUInt32BE(100);
    assert.throws(() => decodeFrame(g), /header length 100 exceeds/);
    assert.throws(() => decodeFrame(Buffer.alloc(2)), isProtocolError);
    assert.throws(() => decodeCommand(Buffer.alloc(5)), isProtocolError);
  });

  test('length field must match the bytes that follow', () => {
    const golden = readGolden('json-request.hex');
    assert.throws(() => decodeCommand(golden.subarray(0, golden.length - 1)), /does not match/);
  });

  test('every truncation of a binary header is rejected cleanly', () => {
    const golden = readGolden('binary-request.hex');
    const headerLength = golden.readUInt32BE(4) & 0xffffff;
    for (let cut = 0; cut < headerLength; cut++) {
      // Frame whose header word claims `cut` bytes of header: the parse must fail or succeed, never crash.
      const frame = Buffer.from(golden.subarray(4, 8 + cut));
      frame.writeUInt32BE(((1 << 24) | cut) >>> 0, 0);
      assert.throws(() => decodeFrame(frame), isProtocolError, `cut at ${cut}`);
    }
  });

  test('binary header with negative or oversize inner lengths', () => {
    const golden = readGolden('binary-request.hex');
    const negRemark = Buffer.from(golden);
    negRemark.writeInt32BE(-1, 8 + 13);
    assert.throws(() => decodeCommand(negRemark), /remark length -1/);
    const bigExt = Buffer.from(golden);
    bigExt.writeInt32BE(1000, 8 + 17 + 3);
    assert.throws(() => decodeCommand(bigExt), /extFields length 1000/);
    const bigKey = Buffer.from(golden);
    bigKey.writeInt16BE(500, 8 + 21 + 3);
    assert.throws(() => decodeCommand(bigKey), /key length 500/);
    const bigValue = Buffer.from(golden);
    bigValue.writeInt32BE(99, 8 + 21 + 3 + 3);
    assert.throws(() => decodeCommand(bigValue), /value length 99/);
  });
});

describe('round trip (property)', () => {
  const str = fc.string({ unit: 'binary', maxLength: 40 });
  const command = (type: SerializeType) =>
    fc.record({
      code: type === SerializeType.ROCKETMQ ? fc.integer({ min: -32768, max: 32767 }) : fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      language: fc.constantFrom(...LANGUAGE_CODES),
      version: type === SerializeType.ROCKETMQ ? fc.integer({ min: 0, max: 32767 }) : fc.nat(),
      opaque: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      flag: fc.integer({ min: 0, max: 3 }),
      remark: fc.option(str, { nil: undefined }),
      extFields: fc.option(fc.dictionary(str.filter((k) => k.length > 0 && k !== '__proto__'), str, { maxKeys: 8, noNullPrototype: true }), { nil: undefined }),
      body: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
    });

  for (const type of [SerializeType.JSON, SerializeType.ROCKETMQ] as const) {
    test(`serializeType ${type}`, () => {
      fc.assert(
        fc.property(command(type), (init) => {
          const cmd = new RemotingCommand({ ...init, body: init.body ? Buffer.from(init.body) : undefined, serializeType: type });
          const back = decodeCommand(encodeCommand(cmd));
          assert.equal(back.code, cmd.code);
          assert.equal(back.language, cmd.language);
          assert.equal(back.version, cmd.version);
          assert.equal(back.opaque, cmd.opaque);
          assert.equal(back.flag, cmd.flag);
          // The binary header cannot tell an empty remark from none.
          assert.equal(back.remark, type === SerializeType.ROCKETMQ && cmd.remark === '' ? undefined : cmd.remark);
          const ext = cmd.extFields && (type === SerializeType.JSON || Object.keys(cmd.extFields).length > 0) ? cmd.extFields : undefined;
          assert.deepEqual(back.extFields, ext);
          assert.deepEqual(back.body, cmd.body);
        }),
        { numRuns: 300 },
      );
    });
  }
});
