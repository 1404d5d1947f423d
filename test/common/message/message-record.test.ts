import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  MAGIC_V1,
  MAGIC_V2,
  BLANK_MAGIC_CODE,
  RecordPos,
  recordSize,
  writeRecord,
  encodeRecord,
  patchRecordOffsets,
  decodeRecord,
  decodeRecords,
  checkRecord,
  storeTimestampPos,
} from '../../../src/common/message/message-record.ts';
import type { MessageRecordInput } from '../../../src/common/message/message-record.ts';
import { decompressBody } from '../../../src/common/message/full-message.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { bodyCrc } from '../../../src/common/crc32.ts';
import { RocketMQError } from '../../../src/common/errors.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/golden/message/ali-ons');

function input(over: Partial<MessageRecordInput> = {}): MessageRecordInput {
  return {
    topic: 'T1',
    queueId: 0x01020304,
    flag: 0x05060708,
    body: Buffer.from('0102030405060708', 'hex'),
    properties: 'TAGS\u0001a\u0002',
    sysFlag: 0x8,
    bornTimestamp: 0x18f0a0b0c0d,
    bornHost: { address: '192.168.1.2', port: 0x1234 },
    storeTimestamp: 0x18f0e0f1011,
    storeHost: { address: '10.0.0.1', port: 10911 },
    reconsumeTimes: 3,
    preparedTransactionOffset: 0xa0b0c0d0e,
    queueOffset: 0x11121314151617,
    commitLogOffset: 0x1020304050607,
    ...over,
  };
}

// §5.2 field by field, IPv4 hosts, magic V1
const GOLDEN_V1 = [
  '0000006c', // TOTALSIZE 108 = 91 + 8 + 2 + 7
  'daa320a7', // MAGIC V1
  '3fca88c5', // BODYCRC
  '01020304', // QUEUEID
  '05060708', // FLAG
  '0011121314151617', // QUEUEOFFSET
  '0001020304050607', // PHYSICALOFFSET
  '00000008', // SYSFLAG (commit)
  '0000018f0a0b0c0d', // BORNTIMESTAMP
  'c0a80102', '00001234', // BORNHOST
  '0000018f0e0f1011', // STORETIMESTAMP @56
  '0a000001', '00002a9f', // STOREHOST
  '00000003', // RECONSUMETIMES
  '0000000a0b0c0d0e', // PREPARED TRANSACTION OFFSET
  '00000008', '0102030405060708', // BODY
  '02', '5431', // TOPIC
  '0007', '5441475301610' + '2', // PROPERTIES "TAGS\1a\2"
].join('');

test('golden V1 record with IPv4 hosts', () => {
  const buf = encodeRecord(input());
  assert.equal(buf.toString('hex'), GOLDEN_V1);
  assert.equal(recordSize(input()), 108);
  assert.equal(storeTimestampPos(0), 56);
  assert.equal(buf.readBigInt64BE(storeTimestampPos(0)), 0x18f0e0f1011n);
  const m = decodeRecord(buf);
  assert.equal(m.storeSize, 108);
  assert.equal(m.recordLength, 108);
  assert.equal(m.magic, MAGIC_V1);
  assert.equal(m.bodyCrc, 0x3fca88c5);
  assert.equal(m.queueId, 0x01020304);
  assert.equal(m.flag, 0x05060708);
  assert.equal(m.queueOffset, 0x11121314151617);
  assert.equal(m.commitLogOffset, 0x1020304050607);
  assert.equal(m.sysFlag, 8);
  assert.equal(m.bornTimestamp, 0x18f0a0b0c0d);
  assert.deepEqual(m.bornHost, { address: '192.168.1.2', port: 0x1234 });
  assert.equal(m.storeTimestamp, 0x18f0e0f1011);
  assert.deepEqual(m.storeHost, { address: '10.0.0.1', port: 10911 });
  assert.equal(m.reconsumeTimes, 3);
  assert.equal(m.preparedTransactionOffset, 0xa0b0c0d0e);
  assert.equal(m.body.toString('hex'), '0102030405060708');
  assert.equal(m.topic, 'T1');
  assert.deepEqual({ ...m.properties }, { TAGS: 'a' });
  assert.equal(m.msgId, '0A00000100002A9F0001020304050607');
});

test('writeRecord writes in place at an offset and returns the bytes written', () => {
  const target = Buffer.alloc(300, 0xee);
  assert.equal(writeRecord(input(), target, 100), 108);
  assert.equal(target.subarray(100, 208).toString('hex'), GOLDEN_V1);
  assert.equal(target[99], 0xee);
  assert.equal(target[208], 0xee);
  assert.throws(() => writeRecord(input(), target, 250), RocketMQError);
});

test('patchRecordOffsets rewrites queue and commit-log offsets', () => {
  const buf = encodeRecord(input());
  patchRecordOffsets(buf, 0, 7, 2 ** 40 + 5);
  const m = decodeRecord(buf);
  assert.equal(m.queueOffset, 7);
  assert.equal(m.commitLogOffset, 2 ** 40 + 5);
  assert.equal(buf.readBigInt64BE(RecordPos.PHYSICAL_OFFSET), BigInt(2 ** 40 + 5));
});

test('V2 magic (2-byte topic length) only when the topic exceeds 127 UTF-8 bytes', () => {
  const t127 = 'x'.repeat(127);
  assert.equal(encodeRecord(input({ topic: t127 })).readInt32BE(4), MAGIC_V1);
  // 64 two-byte chars = 128 bytes although only 64 UTF-16 units
  const t128 = 'é'.repeat(64);
  const buf = encodeRecord(input({ topic: t128 }));
  assert.equal(buf.readInt32BE(RecordPos.MAGIC), MAGIC_V2);
  assert.equal(buf.length, 91 + 1 + 8 + 128 + 7);
  const m = decodeRecord(buf);
  assert.equal(m.topic, t128);
  assert.equal(m.magic, MAGIC_V2);
  assert.equal(checkRecord(buf, 0, buf.length, true).kind, 'ok');
});

test('IPv6 hosts set sysFlag bits 0x10/0x20 and take 20 bytes each; IPv4-mapped IPv6 is stored as IPv4', () => {
  const v6 = input({ bornHost: { address: '2001:db8::1', port: 1 }, storeHost: { address: '::1', port: 10911 }, sysFlag: 0 });
  const buf = encodeRecord(v6);
  assert.equal(buf.length, 108 + 24);
  assert.equal(buf.readInt32BE(RecordPos.SYS_FLAG), 0x30);
  assert.equal(storeTimestampPos(0x30), 68);
  assert.equal(buf.subarray(48, 64).toString('hex'), '20010db8000000000000000000000001');
  const m = decodeRecord(buf);
  assert.deepEqual(m.bornHost, { address: '2001:db8::1', port: 1 });
  assert.deepEqual(m.storeHost, { address: '::1', port: 10911 });
  assert.equal(m.storeTimestamp, 0x18f0e0f1011);
  assert.equal(m.msgId, '00000000000000000000000000000001' + '00002A9F' + '0001020304050607');
  const c = checkRecord(buf, 0, buf.length, true);
  assert.equal(c.kind, 'ok');
  assert.equal(c.kind === 'ok' && c.info.storeTimestamp, 0x18f0e0f1011);

  const mapped = encodeRecord(input({ bornHost: { address: '::ffff:192.168.1.2', port: 0x1234 }, sysFlag: 0x8 | 0x30 }));
  assert.equal(mapped.toString('hex'), GOLDEN_V1, 'mapped address stored as IPv4 and the stale IPv6 bits cleared');
});

test('encode rejects oversize properties and non-IP hosts', () => {
  assert.throws(() => encodeRecord(input({ properties: `A\u0001${'v'.repeat(32767)}\u0002` })), RocketMQError);
  assert.throws(() => encodeRecord(input({ storeHost: { address: 'broker-a.local', port: 1 } })), RocketMQError);
  assert.throws(() => encodeRecord(input({ topic: 'x'.repeat(32768) })), RocketMQError);
});

test('the body CRC can be precomputed', () => {
  const buf = encodeRecord(input({ bodyCrc: 0x12345678 }));
  assert.equal(buf.readInt32BE(RecordPos.BODY_CRC), 0x12345678);
  assert.equal(checkRecord(buf, 0, buf.length, false).kind, 'ok');
  assert.equal(checkRecord(buf, 0, buf.length, true).kind, 'invalid');
});

test('ali-ons message.bin: one record with the documented facts', () => {
  const buf = readFileSync(join(FIXTURES, 'message.bin'));
  const msgs = decodeRecords(buf);
  assert.equal(msgs.length, 1);
  const [m] = msgs;
  assert.equal(m.topic, 'TopicTest');
  assert.equal(m.properties.TAGS, 'TagA');
  assert.equal(m.properties.KEYS, undefined);
  assert.equal(m.body.toString(), '{"room":"1","msg":"1"}');
  assert.equal(m.msgId, '0ADA91A6000029CC0000006500E59F3E');
  assert.deepEqual(m.storeHost, { address: '10.218.145.166', port: 10700 });
  assert.equal(m.commitLogOffset, 0x6500e59f3e);
  assert.equal(m.bodyCrc, bodyCrc(m.body));
  // the real broker's record is also a valid store record (CRC and lengths check out)
  const c = checkRecord(buf, 0, buf.length, true);
  assert.equal(c.kind, 'ok');
  if (c.kind === 'ok') {
    assert.equal(c.size, 132);
    assert.equal(c.info.topic, 'TopicTest');
    assert.equal(c.info.tagsCode, 2598919);
    assert.equal(c.info.keys, '');
    assert.equal(c.info.uniqKey, undefined);
  }
});

test('ali-ons message_compress.bin: zlib body that inflates to the documented text', () => {
  const buf = readFileSync(join(FIXTURES, 'message_compress.bin'));
  const msgs = decodeRecords(buf);
  assert.equal(msgs.length, 1);
  const [m] = msgs;
  assert.equal(m.sysFlag & 1, 1);
  assert.equal(m.topic, 'TopicTest');
  assert.equal(m.msgId, '0ADA91A6000029CC000000661A586D98');
  assert.equal(decompressBody(m).toString(), 'Hello MetaQ !!!');
  assert.notEqual(m.body.toString(), 'Hello MetaQ !!!');
  // this fixture's TOTALSIZE was not updated for the compressed body: strict decoding and the store check refuse it
  assert.equal(m.storeSize, 125);
  assert.equal(m.recordLength, 133);
  assert.throws(() => decodeRecords(buf, { strict: true }), RocketMQError);
  assert.equal(checkRecord(buf, 0, buf.length, false).kind, 'invalid');
});

test('ali-ons batch_message.bin: three records', () => {
  const buf = readFileSync(join(FIXTURES, 'batch_message.bin'));
  const msgs = decodeRecords(buf);
  assert.deepEqual(
    msgs.map((m) => m.msgId),
    ['0ADA91A6000029CC000000659560A2AA', '0ADA91A6000029CC000000659560D349', '0ADA91A6000029CC000000659560D578'],
  );
  assert.equal(msgs[0].body.toString(), 'Hello MetaQ !!!');
  let pos = 0;
  for (const m of msgs) {
    const c = checkRecord(buf, pos, buf.length, true);
    assert.equal(c.kind, 'ok');
    pos += m.recordLength;
  }
  // after the records the buffer holds zeroed slack
  assert.equal(checkRecord(buf, pos, buf.length, true).kind, 'end');
});

test('decodeRecords: strict mode for our own bodies; empty input', () => {
  const a = encodeRecord(input({ queueOffset: 1 }));
  const b = encodeRecord(input({ queueOffset: 2, topic: 'é'.repeat(100) }));
  const both = Buffer.concat([a, b]);
  assert.deepEqual(
    decodeRecords(both, { strict: true }).map((m) => m.queueOffset),
    [1, 2],
  );
  assert.deepEqual(decodeRecords(Buffer.alloc(0)), []);
  assert.throws(() => decodeRecords(both.subarray(0, both.length - 1), { strict: true }), RocketMQError);
  // lenient mode keeps what decodes and ignores the torn tail
  assert.equal(decodeRecords(both.subarray(0, both.length - 1)).length, 1);
});

test('decodeRecord throws PROTOCOL on bad magic and truncation', () => {
  const buf = encodeRecord(input());
  for (const len of [0, 10, 52, 60, 95, 100, 107]) {
    assert.throws(() => decodeRecord(buf.subarray(0, len)), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_PROTOCOL', `len ${len}`);
  }
  const bad = Buffer.from(buf);
  bad.writeInt32BE(0x12345678, 4);
  assert.throws(() => decodeRecord(bad), RocketMQError);
});

test('checkRecord: end, blank, truncated, corrupt', () => {
  const zero = Buffer.alloc(64);
  assert.deepEqual(checkRecord(zero, 0, 64, true), { kind: 'end' });
  assert.deepEqual(checkRecord(zero, 62, 64, true), { kind: 'end' });
  const blank = Buffer.alloc(100);
  blank.writeInt32BE(100, 0);
  blank.writeInt32BE(BLANK_MAGIC_CODE, 4);
  assert.deepEqual(checkRecord(blank, 0, 100, true), { kind: 'blank', size: 100 });
  assert.equal(checkRecord(blank, 0, 50, true).kind, 'invalid');

  const rec = encodeRecord(input());
  const file = Buffer.alloc(400);
  rec.copy(file, 0);
  rec.copy(file, 108);
  const first = checkRecord(file, 0, 400, true);
  assert.equal(first.kind, 'ok');
  assert.equal(checkRecord(file, 108, 400, true).kind, 'ok');
  assert.equal(checkRecord(file, 216, 400, true).kind, 'end');
  // limit cuts the second record
  assert.equal(checkRecord(file, 108, 200, true).kind, 'invalid');
  // body byte flipped: only the CRC check sees it
  file[108 + 90] ^= 0x40;
  assert.equal(checkRecord(file, 108, 400, true).kind, 'invalid');
  assert.equal(checkRecord(file, 108, 400, false).kind, 'ok');
  // bad magic
  file.writeInt32BE(0x01020304, 4);
  assert.equal(checkRecord(file, 0, 400, true).kind, 'invalid');
});

test('checkRecord dispatch info: tags, keys, uniq key', () => {
  const props = encodeProperties({ TAGS: 'TagA', KEYS: 'k1 k2', UNIQ_KEY: 'ABC' });
  const buf = encodeRecord(input({ properties: props }));
  const c = checkRecord(buf, 0, buf.length, true);
  assert.equal(c.kind, 'ok');
  if (c.kind !== 'ok') return;
  assert.deepEqual(
    { ...c.info, properties: { ...c.info.properties } },
    {
      topic: 'T1',
      queueId: 0x01020304,
      queueOffset: 0x11121314151617,
      commitLogOffset: 0x1020304050607,
      size: buf.length,
      sysFlag: 8,
      storeTimestamp: 0x18f0e0f1011,
      bornTimestamp: 0x18f0a0b0c0d,
      tagsCode: 2598919,
      keys: 'k1 k2',
      uniqKey: 'ABC',
      properties: { TAGS: 'TagA', KEYS: 'k1 k2', UNIQ_KEY: 'ABC' },
    },
  );
});

const arbHost = fc.oneof(
  fc.ipV4().map((address) => ({ address, port: 10911 })),
  fc.constantFrom({ address: '2001:db8::7', port: 1 }, { address: 'fe80::1:2', port: 65535 }),
);
const arbInput = fc.record({
  topic: fc.string({ minLength: 1, maxLength: 140 }),
  queueId: fc.integer({ min: 0, max: 1023 }),
  flag: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  body: fc.uint8Array({ minLength: 0, maxLength: 64 }).map((a) => Buffer.from(a)),
  properties: fc.dictionary(fc.constantFrom('TAGS', 'KEYS', 'UNIQ_KEY', 'X'), fc.stringMatching(/^[a-z0-9 ]{1,10}$/)).map((p) => encodeProperties(p)),
  sysFlag: fc.constantFrom(0, 1, 4, 8, 0xc),
  bornTimestamp: fc.integer({ min: 0, max: 2 ** 45 }),
  bornHost: arbHost,
  storeTimestamp: fc.integer({ min: 0, max: 2 ** 45 }),
  storeHost: arbHost,
  reconsumeTimes: fc.integer({ min: 0, max: 16 }),
  preparedTransactionOffset: fc.integer({ min: 0, max: 2 ** 50 }),
  queueOffset: fc.integer({ min: 0, max: 2 ** 50 }),
  commitLogOffset: fc.integer({ min: 0, max: 2 ** 52 }),
});

test('property: encode → decode round trip', () => {
  fc.assert(
    fc.property(arbInput, (inp) => {
      const buf = encodeRecord(inp);
      assert.equal(buf.length, recordSize(inp));
      const m = decodeRecord(buf);
      assert.equal(m.recordLength, buf.length);
      assert.equal(m.topic, inp.topic);
      assert.equal(m.queueOffset, inp.queueOffset);
      assert.equal(m.commitLogOffset, inp.commitLogOffset);
      assert.equal(m.preparedTransactionOffset, inp.preparedTransactionOffset);
      assert.equal(m.storeTimestamp, inp.storeTimestamp);
      assert.equal(m.flag, inp.flag);
      assert.deepEqual(m.bornHost, inp.bornHost);
      assert.deepEqual(m.storeHost, inp.storeHost);
      assert.ok(m.body.equals(inp.body));
      const c = checkRecord(buf, 0, buf.length, true);
      assert.equal(c.kind, 'ok');
    }),
  );
});

test('property: a truncated record, or one with a byte flipped in a guarded field, is never ok', () => {
  fc.assert(
    fc.property(arbInput, fc.nat(), fc.integer({ min: 1, max: 255 }), (inp, at, mask) => {
      const buf = encodeRecord(inp);
      // truncation: the record is never accepted whatever the cut
      const cut = at % buf.length;
      const file = Buffer.alloc(buf.length + 16);
      buf.copy(file, 0, 0, cut);
      assert.notEqual(checkRecord(file, 0, cut, true).kind, 'ok');
      // flip: TOTALSIZE, magic, CRC, sysFlag host bits, body length, body, topic length, properties length
      const sysFlag = buf.readInt32BE(36);
      const bodyLenPos = storeTimestampPos(sysFlag) + 8 + ((sysFlag & 0x20) === 0 ? 8 : 20) + 12;
      const bodyEnd = bodyLenPos + 4 + inp.body.length;
      const topicLenSize = buf.readInt32BE(4) === MAGIC_V2 ? 2 : 1;
      const topicLen = Buffer.byteLength(inp.topic);
      const propsLenPos = bodyEnd + topicLenSize + topicLen;
      const guarded: number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 39];
      for (let i = bodyLenPos; i < bodyEnd + topicLenSize; i++) guarded.push(i);
      guarded.push(propsLenPos, propsLenPos + 1);
      const pos = guarded[at % guarded.length];
      const flipped = Buffer.from(buf);
      // one IPv6 bit at a time: flipping both when exactly one is set swaps 20 and 8 bytes and is undetectable
      flipped[pos] ^= pos === 39 ? ((mask & 1) === 0 ? 0x10 : 0x20) : mask;
      const c = checkRecord(flipped, 0, flipped.length, true);
      assert.notEqual(c.kind, 'ok', `flip at ${pos}`);
    }),
    { numRuns: 500 },
  );
});

test('property: a flip anywhere never yields ok with a different body, size or offsets than the original', () => {
  fc.assert(
    fc.property(arbInput, fc.nat(), fc.integer({ min: 1, max: 255 }), (inp, at, mask) => {
      const buf = encodeRecord(inp);
      const flipped = Buffer.from(buf);
      const pos = at % buf.length;
      flipped[pos] ^= mask;
      const c = checkRecord(flipped, 0, flipped.length, true);
      if (c.kind !== 'ok') return;
      // undetectable flips are in unguarded scalar fields, topic or properties bytes: size and body stay intact
      assert.equal(c.size, buf.length);
      const m = decodeRecord(flipped);
      assert.ok(m.body.equals(inp.body));
    }),
    { numRuns: 500 },
  );
});
