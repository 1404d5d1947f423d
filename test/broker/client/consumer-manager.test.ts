import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsumerManager } from '../../../src/broker/client/consumer-manager.ts';
import type { ConsumerGroupEvent } from '../../../src/broker/client/consumer-manager.ts';
import type { SubscriptionData } from '../../../src/remoting/protocol/body/heartbeat-data.ts';
import { parseHeartbeatData } from '../../../src/broker/client/heartbeat-data.ts';
import { FakeChannel } from './fake-channel.ts';

function sub(topic: string, subVersion = 1, subString = '*'): SubscriptionData {
  return { topic, subString, tagsSet: [], codeSet: [], subVersion, expressionType: 'TAG', classFilterMode: false };
}

function setup() {
  let clock = 5_000_000;
  const m = new ConsumerManager({ channelExpiredTimeoutMs: 120_000, now: () => clock });
  const events: ConsumerGroupEvent[] = [];
  m.onEvent((e) => events.push(e));
  const changes = () => events.filter((e) => e.type === 'change').map((e) => (e.type === 'change' ? e.channels.map((c) => c.id).sort() : []));
  return { m, events, changes, advance: (ms: number) => (clock += ms) };
}

function register(m: ConsumerManager, group: string, ch: FakeChannel, clientId: string, subs: SubscriptionData[], model: 'CLUSTERING' | 'BROADCASTING' = 'CLUSTERING') {
  return m.registerConsumer(group, { channel: ch, clientId, language: 'JAVA', version: 479 }, 'CONSUME_PASSIVELY', model, 'CONSUME_FROM_LAST_OFFSET', subs);
}

test('a joining member triggers change with all members; refresh does not', () => {
  const { m, changes } = setup();
  const a = new FakeChannel();
  const b = new FakeChannel();
  assert.equal(register(m, 'G', a, 'a', [sub('T')]), true);
  assert.equal(register(m, 'G', a, 'a', [sub('T')]), false);
  assert.equal(register(m, 'G', b, 'b', [sub('T')]), true);
  assert.deepEqual(changes(), [[a.id], [a.id, b.id].sort()]);
  assert.deepEqual(m.getConsumerIdList('G').sort(), ['a', 'b']);
  assert.equal(m.findChannel('G', 'b')?.channel, b);
  assert.equal(m.findChannel('G', 'zzz'), undefined);
  assert.deepEqual(m.getConsumerIdList('unknown'), []);
});

test('subscription changes: new topic → change; higher subVersion replaces silently; dropped topic → change', () => {
  const { m, changes } = setup();
  const a = new FakeChannel();
  register(m, 'G', a, 'a', [sub('T', 1, 'TagA')]);
  register(m, 'G', a, 'a', [sub('T', 2, 'TagB')]);
  assert.equal(m.findSubscriptionData('G', 'T')?.subString, 'TagB');
  register(m, 'G', a, 'a', [sub('T', 1, 'Old')]);
  assert.equal(m.findSubscriptionData('G', 'T')?.subString, 'TagB', 'older subVersion ignored');
  assert.equal(changes().length, 1);
  register(m, 'G', a, 'a', [sub('T', 2), sub('U')]);
  assert.equal(changes().length, 2);
  register(m, 'G', a, 'a', [sub('U')]);
  assert.equal(changes().length, 3);
  assert.equal(m.findSubscriptionData('G', 'T'), undefined);
  assert.deepEqual([...m.queryTopicConsumeByWho('U')], ['G']);
});

test('notifyConsumerIdsChanged=false and BROADCASTING groups do not emit change', () => {
  const { m, changes, events } = setup();
  const a = new FakeChannel();
  m.registerConsumer('Q', { channel: a, clientId: 'a', language: 'GO', version: 1 }, 'CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET', [sub('T')], false);
  register(m, 'B', new FakeChannel(), 'b1', [sub('T')], 'BROADCASTING');
  register(m, 'B', new FakeChannel(), 'b2', [sub('T')], 'BROADCASTING');
  assert.deepEqual(changes(), []);
  assert.equal(events.filter((e) => e.type === 'client-register').length, 3);
  assert.equal(events.filter((e) => e.type === 'register').length, 3);
});

test('channel close: remaining members get change; the last member leaving removes the group', () => {
  const { m, events, changes } = setup();
  const a = new FakeChannel();
  const b = new FakeChannel();
  register(m, 'G', a, 'a', [sub('T')]);
  register(m, 'G', b, 'b', [sub('T')]);
  register(m, 'H', a, 'a', [sub('T')]);
  events.length = 0;
  assert.equal(m.doChannelCloseEvent(a), true);
  assert.deepEqual(changes(), [[b.id]]);
  assert.deepEqual(events.filter((e) => e.type === 'unregister').map((e) => e.group), ['H']);
  assert.deepEqual(events.filter((e) => e.type === 'client-unregister').map((e) => e.group).sort(), ['G', 'H']);
  assert.equal(m.getConsumerGroupInfo('H'), undefined);
  assert.deepEqual(m.getConsumerIdList('G'), ['b']);
  assert.equal(m.doChannelCloseEvent(a), false);
});

test('unregisterConsumer (UNREGISTER_CLIENT)', () => {
  const { m, changes, events } = setup();
  const a = new FakeChannel();
  const b = new FakeChannel();
  register(m, 'G', a, 'a', [sub('T')]);
  register(m, 'G', b, 'b', [sub('T')]);
  assert.equal(m.unregisterConsumer('G', b), true);
  assert.deepEqual(changes().at(-1), [a.id]);
  assert.equal(m.unregisterConsumer('G', b), false);
  assert.equal(m.unregisterConsumer('G', a), true);
  assert.equal(m.getConsumerGroupInfo('G'), undefined);
  assert.equal(events.at(-1)?.type, 'unregister');
});

test('expiry after 120 s without heartbeat, with an injected clock', () => {
  const { m, changes, advance, events } = setup();
  const a = new FakeChannel();
  const b = new FakeChannel();
  register(m, 'G', a, 'a', [sub('T')]);
  register(m, 'G', b, 'b', [sub('T')]);
  advance(60_000);
  register(m, 'G', b, 'b', [sub('T')]);
  advance(60_000);
  assert.deepEqual(m.scanNotActiveChannel(), []);
  advance(1);
  const removed = m.scanNotActiveChannel();
  assert.deepEqual(removed.map((r) => [r.group, r.client.clientId]), [['G', 'a']]);
  assert.equal(a.closed, true);
  assert.deepEqual(changes().at(-1), [b.id]);
  advance(60_000);
  assert.deepEqual(m.scanNotActiveChannel().map((r) => r.client.clientId), ['b']);
  assert.equal(events.at(-1)?.type, 'unregister');
  assert.deepEqual(m.groupNames(), []);
});

test('registerFromHeartbeat takes a parsed HEART_BEAT body', () => {
  const { m } = setup();
  const ch = new FakeChannel();
  const hb = parseHeartbeatData('{"clientID":"ip@1","consumerDataSet":[{"groupName":"G","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","subscriptionDataSet":[{"topic":"T","subString":"*","tagsSet":[],"codeSet":[],"subVersion":1}]}]}');
  for (const c of hb.consumerDataSet) m.registerFromHeartbeat(c, { channel: ch, clientId: hb.clientID, language: 'NODE_JS', version: 1 });
  const info = m.getConsumerGroupInfo('G');
  assert.equal(info?.consumeFromWhere, 'CONSUME_FROM_FIRST_OFFSET');
  assert.deepEqual(info?.allClientIds(), ['ip@1']);
  assert.equal(info?.members()[0]?.language, 'NODE_JS');
});

test('a throwing listener does not break registration', () => {
  const { m } = setup();
  m.onEvent(() => {
    throw new Error('boom');
  });
  assert.equal(register(m, 'G', new FakeChannel(), 'a', [sub('T')]), true);
  assert.deepEqual(m.getConsumerIdList('G'), ['a']);
});
