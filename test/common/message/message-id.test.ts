import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createOffsetMsgId,
  decodeOffsetMsgId,
  UniqKeyGenerator,
  createUniqKey,
  uniqKeyTimestamp,
  isMessageIdShape,
  createOffsetMsgIdFromBytes,
  slowOffsetMsgId,
} from '../../../src/common/message/message-id.ts';
import fc from 'fast-check';
import { RocketMQError } from '../../../src/common/errors.ts';

test('offsetMsgId: PROTOCOL.md §6.1 example', () => {
  assert.equal(createOffsetMsgId({ address: '10.0.0.1', port: 10911 }, 6972), '0A00000100002A9F0000000000001B3C');
  assert.deepEqual(decodeOffsetMsgId('0A00000100002A9F0000000000001B3C'), {
    address: { address: '10.0.0.1', port: 10911 },
    offset: 6972,
  });
});

test('offsetMsgId: ali-ons README example and round trips', () => {
  assert.deepEqual(decodeOffsetMsgId('0ADA91A6000029CC0000006504009B6F'), {
    address: { address: '10.218.145.166', port: 10700 },
    offset: 433858845551,
  });
  assert.deepEqual(decodeOffsetMsgId('0ada91a6000029cc0000006504009b6f').offset, 433858845551);
  assert.equal(createOffsetMsgId({ address: '10.218.145.166', port: 10700 }, 433858845551), '0ADA91A6000029CC0000006504009B6F');
  const big = 2 ** 52 + 3;
  assert.equal(decodeOffsetMsgId(createOffsetMsgId({ address: '1.2.3.4', port: 1 }, big)).offset, big);
});

test('offsetMsgId with an IPv6 store host is 56 chars; IPv4-mapped gives 32', () => {
  const id = createOffsetMsgId({ address: 'fe80::1', port: 10911 }, 1);
  assert.equal(id, 'FE800000000000000000000000000001' + '00002A9F' + '0000000000000001');
  assert.deepEqual(decodeOffsetMsgId(id), { address: { address: 'fe80::1', port: 10911 }, offset: 1 });
  assert.equal(createOffsetMsgId({ address: '::ffff:10.0.0.1', port: 10911 }, 6972), '0A00000100002A9F0000000000001B3C');
});

test('decodeOffsetMsgId rejects malformed ids', () => {
  for (const bad of ['', 'XYZ', '0A00000100002A9F0000000000001B3', '0A00000100002A9F0000000000001B3G']) {
    assert.throws(() => decodeOffsetMsgId(bad), RocketMQError, bad);
  }
  assert.equal(isMessageIdShape('0A00000100002A9F0000000000001B3C'), true);
  assert.equal(isMessageIdShape('0A00000100002A9F'), false);
});

test('UniqKeyGenerator layout: ip, pid, salt, ms since month start, counter', () => {
  const now = new Date(2024, 4, 3, 10, 0, 0, 7).getTime(); // local time
  const monthStart = new Date(2024, 4, 1).getTime();
  const gen = new UniqKeyGenerator({ ip: '10.1.2.3', pid: 0x12345, salt: 0x0a0b0c0d, now: () => now });
  const a = gen.next();
  const b = gen.next();
  const delta = (now - monthStart).toString(16).toUpperCase().padStart(8, '0');
  assert.equal(a, `0A010203` + `2345` + `0A0B0C0D` + delta + '0000');
  assert.equal(b, `0A010203` + `2345` + `0A0B0C0D` + delta + '0001');
  assert.equal(uniqKeyTimestamp(a, now), now);
});

test('UniqKeyGenerator counter wraps at 16 bits and the month rolls over', () => {
  let t = new Date(2024, 0, 31, 23, 59, 59, 999).getTime();
  const gen = new UniqKeyGenerator({ ip: '127.0.0.1', pid: 1, salt: 1, now: () => t });
  let last = '';
  for (let i = 0; i < 65537; i++) last = gen.next();
  assert.equal(last.slice(-4), '0000');
  t = new Date(2024, 1, 1, 0, 0, 0, 5).getTime();
  assert.equal(gen.next().slice(-12, -4), '00000005');
});

test('createUniqKey yields distinct 32-char uppercase hex ids', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 1000; i++) ids.add(createUniqKey());
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[0-9A-F]{32}$|^[0-9A-F]{56}$/);
});

test('offsetMsgId with the cached host part equals the byte-by-byte form', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 })),
      fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: -5, max: 100_000 })),
      fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.maxSafeNat(), fc.constant(0)),
      (ip, port, offset) => {
        assert.equal(createOffsetMsgIdFromBytes(ip, port, offset), slowOffsetMsgId(ip, port, offset));
        assert.equal(createOffsetMsgIdFromBytes(ip, port, offset), createOffsetMsgIdFromBytes(ip, port, offset), 'cached twice');
      },
    ),
  );
});
