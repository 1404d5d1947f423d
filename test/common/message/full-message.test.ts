import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { encodeFullMessage, decompressBody } from '../../../src/common/message/full-message.ts';
import { decodeRecord, MAGIC_V1 } from '../../../src/common/message/message-record.ts';
import { RocketMQError } from '../../../src/common/errors.ts';

const base = {
  topic: 'TopicTest',
  queueId: 2,
  flag: 0,
  body: Buffer.from('hello full message'),
  properties: { TAGS: 'TagB', UNIQ_KEY: '0A0000010001000000000000000000AA' },
  sysFlag: 0x4,
  bornTimestamp: 1700000000000,
  bornHost: { address: '10.0.0.9', port: 5555 },
  storeTimestamp: 1700000000100,
  storeHost: { address: '10.0.0.1', port: 10911 },
  reconsumeTimes: 0,
  preparedTransactionOffset: 0,
  queueOffset: 0,
  commitLogOffset: 4096,
};

test('encodeFullMessage writes a V1 record that decodes back', () => {
  const buf = encodeFullMessage(base);
  assert.equal(buf.readInt32BE(4), MAGIC_V1);
  const m = decodeRecord(buf);
  assert.equal(m.storeSize, buf.length);
  assert.equal(m.body.toString(), 'hello full message');
  assert.equal(m.properties.UNIQ_KEY, '0A0000010001000000000000000000AA');
  assert.equal(m.msgId, '0A00000100002A9F0000000000001000');
  assert.throws(() => encodeFullMessage({ ...base, topic: 'x'.repeat(128) }), RocketMQError);
});

test('encodeFullMessage can compress the body with zlib', () => {
  const body = Buffer.alloc(5000, 'abc');
  const m = decodeRecord(encodeFullMessage({ ...base, body }, { compress: true }));
  assert.equal(m.sysFlag & 0x301, 0x301);
  assert.ok(m.body.length < body.length);
  assert.ok(decompressBody(m).equals(body));
});

test('decompressBody: legacy ZLIB flag, unsupported types, corrupt data', () => {
  const body = deflateSync(Buffer.from('x'));
  assert.equal(decompressBody({ body, sysFlag: 0x1 }).toString(), 'x');
  assert.equal(decompressBody({ body, sysFlag: 0 }), body);
  assert.throws(() => decompressBody({ body, sysFlag: 0x101 }), RocketMQError);
  assert.throws(() => decompressBody({ body: Buffer.from('nope'), sysFlag: 0x1 }), RocketMQError);
});
