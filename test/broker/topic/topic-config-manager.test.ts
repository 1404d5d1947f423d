import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBrokerConfig } from '../../../src/broker/config/broker-config.ts';
import type { BrokerConfig } from '../../../src/broker/config/broker-config.ts';
import { writeConfigFileAtomic } from '../../../src/broker/config/config-file.ts';
import { newTopicConfig } from '../../../src/broker/topic/topic-config.ts';
import { TopicConfigManager } from '../../../src/broker/topic/topic-config-manager.ts';
import type { TopicChangeEvent } from '../../../src/broker/topic/topic-config-manager.ts';
import { RocketMQError } from '../../../src/common/errors.ts';
import { topicConfigSerializeWrapperToJson } from '../../../src/remoting/protocol/body/topic-config-serialize-wrapper.ts';
import { tempDir } from '../config/temp-dir.ts';

function setup(overrides: Partial<BrokerConfig> = {}) {
  const { dir, cleanup } = tempDir('topics');
  let clock = 1_700_000_000_000;
  const brokerConfig = defaultBrokerConfig({ brokerClusterName: 'C1', brokerName: 'b1', ...overrides }, {});
  const configPath = join(dir, 'config', 'topics.json');
  const make = (persistDelayMs?: number): TopicConfigManager =>
    new TopicConfigManager({ brokerConfig, configPath, now: () => clock, ...(persistDelayMs === undefined ? {} : { persistDelayMs }) });
  return { dir, cleanup, brokerConfig, configPath, make, tick: (ms: number) => (clock += ms) };
}

test('built-in system topics with RocketMQ queue counts and perms', () => {
  const s = setup();
  try {
    const m = s.make();
    const get = (t: string) => m.selectTopicConfig(t);
    assert.deepEqual([get('TBW102')?.readQueueNums, get('TBW102')?.writeQueueNums, get('TBW102')?.perm], [8, 8, 7]);
    assert.equal(get('SCHEDULE_TOPIC_XXXX')?.writeQueueNums, 18);
    assert.equal(get('SCHEDULE_TOPIC_XXXX')?.readQueueNums, 18);
    for (const t of ['RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'SELF_TEST_TOPIC', 'OFFSET_MOVED_EVENT', 'C1_REPLY_TOPIC']) {
      assert.equal(get(t)?.writeQueueNums, 1, t);
      assert.equal(get(t)?.perm, 6, t);
    }
    assert.equal(get('BenchmarkTest')?.writeQueueNums, 1024);
    assert.equal(get('C1')?.perm, 7, 'cluster topic with clusterTopicEnable');
    assert.equal(get('b1')?.perm, 7);
    assert.equal(get('b1')?.writeQueueNums, 1);
    assert.equal(get('RMQ_SYS_TRACE_TOPIC'), undefined, 'trace topic only with traceTopicEnable');
    assert.ok(m.isSystemTopic('C1') && m.isSystemTopic('b1') && m.isSystemTopic('TBW102') && m.isSystemTopic('rmq_sys_x'));
    assert.ok(!m.isSystemTopic('TopicTest'));
    assert.ok(m.isNotAllowedSendTopic('SCHEDULE_TOPIC_XXXX'));
    assert.equal(m.dataVersion.counter, 0);
  } finally {
    s.cleanup();
  }
});

test('config switches: no TBW102 without auto-create, inherit-only cluster/broker topics, trace topic', () => {
  const s = setup({ autoCreateTopicEnable: false, clusterTopicEnable: false, brokerTopicEnable: false, traceTopicEnable: true, defaultTopicQueueNums: 4 });
  try {
    const m = s.make();
    assert.equal(m.selectTopicConfig('TBW102'), undefined);
    assert.equal(m.selectTopicConfig('C1')?.perm, 1);
    assert.equal(m.selectTopicConfig('b1')?.perm, 1);
    assert.equal(m.selectTopicConfig('RMQ_SYS_TRACE_TOPIC')?.writeQueueNums, 1);
    assert.ok(m.isSystemTopic('RMQ_SYS_TRACE_TOPIC'));
    assert.equal(m.createTopicInSendMessageMethod('NewTopic', 'TBW102', '1.2.3.4:5', 4), undefined);
  } finally {
    s.cleanup();
  }
});

test('auto-create on send: min(client queues, TBW102 write queues), perm 6, persisted, DataVersion bumped, event', () => {
  const s = setup();
  try {
    const m = s.make();
    const events: TopicChangeEvent[] = [];
    m.onChange((e) => events.push(e));
    const before = m.dataVersion;
    s.tick(1000);
    const tc = m.createTopicInSendMessageMethod('OrderEvents', 'TBW102', '10.0.0.9:50000', 16);
    assert.deepEqual(
      tc && [tc.topicName, tc.readQueueNums, tc.writeQueueNums, tc.perm, tc.topicFilterType],
      ['OrderEvents', 8, 8, 6, 'SINGLE_TAG'],
    );
    assert.equal(m.createTopicInSendMessageMethod('Small', 'TBW102', 'x', 4)?.writeQueueNums, 4);
    assert.equal(m.dataVersion.counter, before.counter + 2);
    assert.equal(m.dataVersion.timestamp, before.timestamp + 1000);
    assert.deepEqual(events.map((e) => [e.kind, e.topic]), [['create', 'OrderEvents'], ['create', 'Small']]);
    assert.equal(events[1]?.dataVersion.counter, 2);
    assert.equal(m.persistPending, true, 'the write is coalesced, not done per create');
    m.flush();
    assert.equal(m.persistPending, false);
    const onDisk = JSON.parse(readFileSync(s.configPath, 'utf8')) as { topicConfigTable: Record<string, { perm: number }>; dataVersion: { counter: number } };
    assert.equal(onDisk.topicConfigTable.OrderEvents?.perm, 6);
    assert.equal(onDisk.dataVersion.counter, 2);
    // existing topic: returned unchanged, no new version
    assert.equal(m.createTopicInSendMessageMethod('OrderEvents', 'TBW102', 'x', 2)?.writeQueueNums, 8);
    assert.equal(m.dataVersion.counter, 2);
    // a default topic without inherit perm cannot spawn topics
    assert.equal(m.createTopicInSendMessageMethod('Nope', 'OrderEvents', 'x', 2), undefined);
    assert.equal(m.createTopicInSendMessageMethod('Nope', 'NoSuchDefault', 'x', 2), undefined);
    assert.equal(events.length, 2);
  } finally {
    s.cleanup();
  }
});

test('retry, DLQ and transaction-check topics', () => {
  const s = setup();
  try {
    const m = s.make();
    const retry = m.createTopicOfRetry('GroupA');
    assert.deepEqual([retry.topicName, retry.readQueueNums, retry.writeQueueNums, retry.perm], ['%RETRY%GroupA', 1, 1, 6]);
    const dlq = m.createTopicOfDLQ('GroupA');
    assert.deepEqual([dlq.topicName, dlq.writeQueueNums, dlq.perm], ['%DLQ%GroupA', 1, 6]);
    const counter = m.dataVersion.counter;
    assert.equal(m.createTopicOfRetry('GroupA', 3), retry, 'idempotent');
    assert.equal(m.dataVersion.counter, counter);
    assert.equal(m.createTopicOfRetry('GroupA', 1, true).order, true, 'order flag updated');
    assert.equal(m.dataVersion.counter, counter + 1);
    assert.equal(m.createTopicOfTranCheckMaxTime().topicName, 'TRANS_CHECK_MAX_TIME_TOPIC');
  } finally {
    s.cleanup();
  }
});

test('update/delete, validation of queue counts and perm, serialize wrapper', () => {
  const s = setup();
  try {
    const m = s.make();
    const events: string[] = [];
    m.onChange((e) => events.push(`${e.kind}:${e.topic}`));
    m.updateTopicConfig(newTopicConfig('T1', { readQueueNums: 4, writeQueueNums: 2, perm: 4, order: true, attributes: { '+message.type': 'FIFO' } }));
    m.updateTopicConfig(newTopicConfig('T1', { readQueueNums: 4, writeQueueNums: 4 }));
    assert.throws(() => m.updateTopicConfig(newTopicConfig('T2', { writeQueueNums: -1 })), (e: unknown) => e instanceof RocketMQError && e.responseCode === 29 && /writeQueueNums/.test(e.message));
    assert.throws(() => m.updateTopicConfig(newTopicConfig('T2', { perm: 16 })), (e: unknown) => e instanceof RocketMQError && e.responseCode === 29);
    assert.equal(m.containsTopic('T2'), false);
    assert.equal(m.deleteTopicConfig('T1'), true);
    assert.equal(m.deleteTopicConfig('T1'), false);
    assert.deepEqual(events, ['create:T1', 'update:T1', 'delete:T1']);

    m.updateTopicConfig(newTopicConfig('T3', { readQueueNums: 2, writeQueueNums: 2 }));
    const w = m.buildSerializeWrapper();
    assert.deepEqual(w.dataVersion, m.dataVersion);
    const json = topicConfigSerializeWrapperToJson(w) as { topicConfigTable: Record<string, object> };
    assert.deepEqual(Object.keys(json.topicConfigTable.T3 ?? {}), ['attributes', 'order', 'perm', 'readQueueNums', 'topicFilterType', 'topicName', 'topicSysFlag', 'writeQueueNums']);
    assert.equal(w.topicConfigTable.T3?.perm, 6);
    const readOnly = m.buildSerializeWrapper({ brokerPermission: 4 });
    assert.equal(readOnly.topicConfigTable.T3?.perm, 4, 'read-only broker advertises its own perm');
    assert.equal(m.buildSerializeWrapper({ brokerPermission: 6 }).topicConfigTable.T3?.perm, 6);
  } finally {
    s.cleanup();
  }
});

test('persistence round trip keeps topics and DataVersion; file entries override built-ins', () => {
  const s = setup();
  try {
    const m = s.make();
    m.updateTopicConfig(newTopicConfig('Persisted', { readQueueNums: 3, writeQueueNums: 3, topicFilterType: 'MULTI_TAG' }));
    m.updateTopicConfig(newTopicConfig('SCHEDULE_TOPIC_XXXX', { readQueueNums: 18, writeQueueNums: 18, perm: 4 }));
    m.persist();
    const version = m.dataVersion;
    const again = s.make();
    assert.equal(again.load(), 'main');
    assert.deepEqual(again.selectTopicConfig('Persisted'), m.selectTopicConfig('Persisted'));
    assert.equal(again.selectTopicConfig('SCHEDULE_TOPIC_XXXX')?.perm, 4);
    assert.deepEqual(again.dataVersion, version);
    assert.equal(s.make().load() === 'main', true);
  } finally {
    s.cleanup();
  }
});

test('corrupt topics.json → loads topics.json.bak', () => {
  const s = setup();
  try {
    const m = s.make(0); // write-through: one file write per change
    m.updateTopicConfig(newTopicConfig('First'));
    m.updateTopicConfig(newTopicConfig('Second'));
    writeFileSync(s.configPath, '{"dataVersion":{"counter":');
    const again = s.make();
    assert.equal(again.load(), 'bak');
    assert.ok(again.containsTopic('First'), 'the .bak holds the state before the last write');
    assert.ok(!again.containsTopic('Second'));
    assert.equal(again.dataVersion.counter, 1);
  } finally {
    s.cleanup();
  }
});

test('reads a topics.json written by Java RocketMQ (tabs, missing fields, numbers as strings)', () => {
  const s = setup();
  try {
    const javaFile = `{
\t"dataVersion":{
\t\t"counter":7,
\t\t"stateVersion":0,
\t\t"timestamp":1690000000000
\t},
\t"topicConfigTable":{
\t\t"JavaTopic":{
\t\t\t"order":false,
\t\t\t"perm":6,
\t\t\t"readQueueNums":4,
\t\t\t"topicFilterType":"SINGLE_TAG",
\t\t\t"topicName":"JavaTopic",
\t\t\t"topicSysFlag":0,
\t\t\t"writeQueueNums":"4"
\t\t},
\t\t"Sparse":{}
\t}
}`;
    writeConfigFileAtomic(s.configPath, javaFile);
    const m = s.make();
    assert.equal(m.load(), 'main');
    assert.deepEqual(m.selectTopicConfig('JavaTopic'), newTopicConfig('JavaTopic', { readQueueNums: 4, writeQueueNums: 4 }));
    assert.deepEqual(m.selectTopicConfig('Sparse'), newTopicConfig('Sparse'));
    assert.deepEqual(m.dataVersion, { counter: 7, stateVersion: 0, timestamp: 1690000000000 });
  } finally {
    s.cleanup();
  }
});

test('topic changes within the persist window share one topics.json write; persist() flushes at once', () => {
  const s = setup();
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const m = s.make(100);
    const events: string[] = [];
    m.onChange((e) => events.push(`${e.kind}:${e.topic}`));
    for (let i = 0; i < 50; i++) m.updateTopicConfig(newTopicConfig(`Coalesced${i}`));
    assert.equal(events.length, 50, 'every change is still announced at once (re-register)');
    assert.equal(m.dataVersion.counter, 50);
    assert.equal(existsSync(s.configPath), false, 'nothing written inside the window');
    assert.equal(m.persistPending, true);
    mock.timers.tick(99);
    assert.equal(existsSync(s.configPath), false);
    mock.timers.tick(1);
    assert.equal(m.persistPending, false);
    assert.equal(existsSync(`${s.configPath}.bak`), false, 'one write: no previous copy was rotated to .bak');
    const onDisk = JSON.parse(readFileSync(s.configPath, 'utf8')) as { topicConfigTable: Record<string, unknown>; dataVersion: { counter: number } };
    assert.ok('Coalesced0' in onDisk.topicConfigTable && 'Coalesced49' in onDisk.topicConfigTable);
    assert.equal(onDisk.dataVersion.counter, 50);

    // A later change starts a new window; an explicit persist() writes it now and cancels the timer.
    m.deleteTopicConfig('Coalesced0');
    assert.equal(m.persistPending, true);
    m.persist();
    assert.equal(m.persistPending, false);
    assert.ok(!('Coalesced0' in (JSON.parse(readFileSync(s.configPath, 'utf8')) as { topicConfigTable: object }).topicConfigTable));
    writeFileSync(s.configPath, 'sentinel');
    mock.timers.tick(1000);
    assert.equal(readFileSync(s.configPath, 'utf8'), 'sentinel', 'no write left over after persist()');

    // shutdown() writes what is pending.
    m.updateTopicConfig(newTopicConfig('AtShutdown'));
    m.shutdown();
    assert.ok(readFileSync(s.configPath, 'utf8').includes('AtShutdown'));
    const again = s.make();
    assert.equal(again.load(), 'main');
    assert.ok(again.containsTopic('AtShutdown') && again.containsTopic('Coalesced49') && !again.containsTopic('Coalesced0'));
  } finally {
    mock.timers.reset();
    s.cleanup();
  }
});
