import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProducerManager } from '../../../src/broker/client/producer-manager.ts';
import { FakeChannel } from './fake-channel.ts';

function setup() {
  let clock = 1_000_000;
  const m = new ProducerManager({ channelExpiredTimeoutMs: 120_000, now: () => clock });
  return { m, advance: (ms: number) => (clock += ms) };
}

const input = (channel: FakeChannel, clientId: string) => ({ channel, clientId, language: 'JAVA', version: 479 });

test('register, connections list, findChannel and unregister', () => {
  const { m } = setup();
  const a = new FakeChannel();
  const b = new FakeChannel();
  assert.equal(m.registerProducer('PG', input(a, 'ip@a')), true);
  assert.equal(m.registerProducer('PG', input(a, 'ip@a')), false, 'a heartbeat refresh is not new');
  assert.equal(m.registerProducer('PG', input(b, 'ip@b')), true);
  m.registerProducer('CLIENT_INNER_PRODUCER', input(a, 'ip@a'));
  assert.deepEqual(m.getProducerConnections('PG').map((c) => [c.clientId, c.language, c.version, c.remoteAddress]), [
    ['ip@a', 'JAVA', 479, a.remoteAddress],
    ['ip@b', 'JAVA', 479, b.remoteAddress],
  ]);
  assert.equal(m.findChannel('ip@b'), b);
  assert.equal(m.unregisterProducer('PG', b), true);
  assert.equal(m.unregisterProducer('PG', b), false);
  assert.equal(m.findChannel('ip@b'), undefined);
  assert.equal(m.findChannel('ip@a'), a, 'still registered in two groups');
  assert.deepEqual(m.groupNames().sort(), ['CLIENT_INNER_PRODUCER', 'PG']);
});

test('getAvailableChannel rotates over live channels only', () => {
  const { m } = setup();
  const a = new FakeChannel();
  const b = new FakeChannel();
  m.registerProducer('TX', input(a, 'a'));
  m.registerProducer('TX', input(b, 'b'));
  const picks = new Set([m.getAvailableChannel('TX'), m.getAvailableChannel('TX')]);
  assert.deepEqual(picks, new Set([a, b]));
  a.close();
  assert.equal(m.getAvailableChannel('TX'), b);
  assert.equal(m.getAvailableChannel('TX'), b);
  assert.equal(m.groupOnline('TX'), true);
  b.close();
  assert.equal(m.getAvailableChannel('TX'), undefined);
  assert.equal(m.groupOnline('TX'), false);
  assert.equal(m.getAvailableChannel('nobody'), undefined);
});

test('expiry after 120 s without heartbeat closes and removes the channel', () => {
  const { m, advance } = setup();
  const a = new FakeChannel();
  const b = new FakeChannel();
  m.registerProducer('PG', input(a, 'a'));
  m.registerProducer('PG', input(b, 'b'));
  advance(100_000);
  m.registerProducer('PG', input(b, 'b')); // b heartbeats
  advance(20_000);
  assert.deepEqual(m.scanNotActiveChannel(), [], 'exactly 120 s is not yet expired');
  advance(1);
  const removed = m.scanNotActiveChannel();
  assert.deepEqual(removed.map((r) => [r.group, r.client.clientId]), [['PG', 'a']]);
  assert.equal(a.closed, true);
  assert.equal(a.closeReason, 'producer heartbeat expired');
  assert.equal(b.closed, false);
  assert.deepEqual(m.getProducerConnections('PG').map((c) => c.clientId), ['b']);
});

test('channel close removes it from every group', () => {
  const { m } = setup();
  const a = new FakeChannel();
  m.registerProducer('P1', input(a, 'a'));
  m.registerProducer('P2', input(a, 'a'));
  assert.deepEqual(m.doChannelCloseEvent(a).map((r) => r.group).sort(), ['P1', 'P2']);
  assert.deepEqual(m.groupNames(), []);
  assert.equal(m.findChannel('a'), undefined);
});
