import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, bodyCrc } from '../../src/common/crc32.ts';

test('crc32 is the ISO-HDLC CRC (java.util.zip.CRC32), unsigned', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
});

test('bodyCrc masks the sign bit, matching the CRC a real broker stored', () => {
  assert.equal(bodyCrc(Buffer.from('123456789')), 0xcbf43926 & 0x7fffffff);
  // message.bin (real broker bytes) stores 0x55BDF8FC for this body
  assert.equal(bodyCrc(Buffer.from('{"room":"1","msg":"1"}')), 0x55bdf8fc);
  assert.equal(bodyCrc(Buffer.from('0102030405060708', 'hex')), 0x3fca88c5);
});
