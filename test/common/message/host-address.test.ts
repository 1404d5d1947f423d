import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipBytes, formatIp, normalizeHost, parseHostPort, formatHostPort } from '../../../src/common/message/host-address.ts';
import { RocketMQError } from '../../../src/common/errors.ts';

test('ipBytes parses IPv4, IPv6 (compressed, embedded IPv4, zone) and maps IPv4-mapped IPv6 to IPv4', () => {
  assert.equal(ipBytes('10.218.145.166').toString('hex'), '0ada91a6');
  assert.equal(ipBytes('::1').toString('hex'), '00000000000000000000000000000001');
  assert.equal(ipBytes('2001:db8:0:0:1::2').toString('hex'), '20010db8000000000001000000000002');
  assert.equal(ipBytes('fe80::1%eth0').toString('hex'), 'fe800000000000000000000000000001');
  assert.equal(ipBytes('[::2]').toString('hex'), '00000000000000000000000000000002');
  assert.equal(ipBytes('::ffff:1.2.3.4').toString('hex'), '01020304');
  assert.equal(ipBytes('::ffff:0102:0304').toString('hex'), '01020304');
  assert.equal(ipBytes('64:ff9b::1.2.3.4').toString('hex'), '0064ff9b000000000000000001020304');
  assert.throws(() => ipBytes('localhost'), RocketMQError);
  assert.throws(() => ipBytes('1.2.3.256'), RocketMQError);
});

test('formatIp prints RFC 5952 text', () => {
  assert.equal(formatIp(Buffer.from('0ada91a6', 'hex')), '10.218.145.166');
  assert.equal(formatIp(Buffer.from('20010db8000000000001000000000002', 'hex')), '2001:db8::1:0:0:2');
  assert.equal(formatIp(Buffer.from('00000000000000000000000000000000', 'hex')), '::');
  assert.equal(formatIp(Buffer.from('20010db8000100020003000400050006', 'hex')), '2001:db8:1:2:3:4:5:6');
  assert.equal(formatIp(Buffer.from('00000000000000000000ffff01020304', 'hex')), '1.2.3.4');
  assert.throws(() => formatIp(Buffer.alloc(5)), RocketMQError);
});

test('host helpers', () => {
  assert.deepEqual(normalizeHost({ address: '::ffff:10.0.0.1', port: 5 }), { address: '10.0.0.1', port: 5 });
  assert.deepEqual(parseHostPort('10.0.0.1:10911'), { address: '10.0.0.1', port: 10911 });
  assert.deepEqual(parseHostPort('[::1]:10911'), { address: '::1', port: 10911 });
  assert.equal(formatHostPort({ address: '::1', port: 1 }), '[::1]:1');
  assert.equal(formatHostPort({ address: '1.2.3.4', port: 1 }), '1.2.3.4:1');
  assert.throws(() => parseHostPort('10.0.0.1'), RocketMQError);
});
