import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBatchBody, encodeBatchBody } from '../../../src/common/message/message-batch.ts';
import { decodeProperties } from '../../../src/common/message/message-properties.ts';
import { RocketMQError } from '../../../src/common/errors.ts';

// §5.5: totalSize, magic 0, bodyCRC 0, flag, bodyLen, body, propsLen, props
const GOLDEN = [
  '00000023', '00000000', '00000000', '01020304', '00000003', 'aabbcc', '000a', Buffer.from('TAGS\u0001TagA\u0002').toString('hex'),
  '00000016', '00000000', '00000000', '00000000', '00000000', '0000',
].join('');

test('golden batch body: encode and decode', () => {
  const body = encodeBatchBody([
    { flag: 0x01020304, body: Buffer.from('aabbcc', 'hex'), properties: { TAGS: 'TagA' } },
    { body: Buffer.alloc(0), properties: '' },
  ]);
  assert.equal(body.toString('hex'), GOLDEN);
  const entries = decodeBatchBody(Buffer.from(GOLDEN, 'hex'));
  assert.equal(entries.length, 2);
  assert.equal(entries[0].flag, 0x01020304);
  assert.equal(entries[0].body.toString('hex'), 'aabbcc');
  assert.deepEqual({ ...decodeProperties(entries[0].propertiesText) }, { TAGS: 'TagA' });
  assert.equal(entries[1].body.length, 0);
  assert.deepEqual({ ...decodeProperties(entries[1].propertiesText) }, {});
});

test('decodeBatchBody ignores TOTALSIZE like the Java broker and keeps per-entry properties', () => {
  const body = encodeBatchBody([
    { body: Buffer.from('one'), properties: { UNIQ_KEY: 'U1', KEYS: 'a b' } },
    { body: Buffer.from('two'), properties: { UNIQ_KEY: 'U2' } },
    { body: Buffer.from('three'), properties: { UNIQ_KEY: 'U3', WAIT: 'false' } },
  ]);
  body.writeInt32BE(999, 0);
  const entries = decodeBatchBody(body);
  assert.deepEqual(entries.map((e) => e.body.toString()), ['one', 'two', 'three']);
  assert.deepEqual(entries.map((e) => decodeProperties(e.propertiesText).UNIQ_KEY), ['U1', 'U2', 'U3']);
  assert.equal(decodeProperties(entries[0].propertiesText).KEYS, 'a b');
  assert.equal(decodeProperties(entries[2].propertiesText).WAIT, 'false');
});

test('decodeBatchBody throws PROTOCOL on malformed input', () => {
  const good = Buffer.from(GOLDEN, 'hex');
  for (let cut = 1; cut < good.length; cut++) {
    if (cut === 0x23) continue; // a whole first entry is a valid body
    assert.throws(() => decodeBatchBody(good.subarray(0, cut)), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_PROTOCOL', `cut ${cut}`);
  }
  const negative = Buffer.from(good);
  negative.writeInt32BE(-1, 16);
  assert.throws(() => decodeBatchBody(negative), RocketMQError);
  assert.deepEqual(decodeBatchBody(Buffer.alloc(0)), []);
});

test('encodeBatchBody rejects oversize properties', () => {
  assert.throws(() => encodeBatchBody([{ body: Buffer.alloc(1), properties: { A: 'x'.repeat(40000) } }]), RocketMQError);
});
