import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeConfigFileAtomic } from '../../../src/broker/config/config-file.ts';
import { ConsumerOffsetManager } from '../../../src/broker/offset/consumer-offset-manager.ts';
import { tempDir } from '../config/temp-dir.ts';

function setup(versionStep = 500) {
  const { dir, cleanup } = tempDir('offsets');
  const configPath = join(dir, 'config', 'consumerOffset.json');
  const make = () => new ConsumerOffsetManager({ configPath, flushIntervalMs: 5000, versionStep, now: () => 42 });
  return { cleanup, configPath, make };
}

test('commit and query; negative offsets are ignored', () => {
  const s = setup();
  try {
    const m = s.make();
    assert.equal(m.queryOffset('g', 'T', 0), -1);
    assert.equal(m.commitOffset('1.1.1.1:1', 'g', 'T', 0, 17), true);
    assert.equal(m.commitOffset('1.1.1.1:1', 'g', 'T', 0, -1), false, 'ali-ons sends -1');
    assert.equal(m.queryOffset('g', 'T', 0), 17);
    m.commitOffset('x', 'g', 'T', 0, 5);
    assert.equal(m.queryOffset('g', 'T', 0), 5, 'moving backwards is allowed (reset by client)');
    assert.deepEqual([...(m.queryOffsets('g', 'T') ?? new Map())], [[0, 5]]);
  } finally {
    s.cleanup();
  }
});

test('QUERY_CONSUMER_OFFSET rule: stored → 0, else setZeroIfNotFound/min offset decide between 0 and 22', () => {
  const s = setup();
  try {
    const m = s.make();
    const fresh = { minOffsetInQueue: () => 0 };
    const trimmed = { minOffsetInQueue: () => 100 };
    const notInMem = { minOffsetInQueue: () => 0, checkInMemByConsumeOffset: () => false };
    assert.deepEqual(m.queryOffsetForRequest('g', 'T', 1, undefined, fresh), { code: 0, offset: 0 });
    assert.deepEqual(m.queryOffsetForRequest('g', 'T', 1, true, fresh), { code: 0, offset: 0 });
    assert.deepEqual(m.queryOffsetForRequest('g', 'T', 1, false, fresh), { code: 22 });
    assert.deepEqual(m.queryOffsetForRequest('g', 'T', 1, true, trimmed), { code: 22 });
    assert.deepEqual(m.queryOffsetForRequest('g', 'T', 1, true, notInMem), { code: 22 });
    m.commitOffset('x', 'g', 'T', 1, 9);
    assert.deepEqual(m.queryOffsetForRequest('g', 'T', 1, false, trimmed), { code: 0, offset: 9 });
  } finally {
    s.cleanup();
  }
});

test('persistence round trip; quoted keys on disk; DataVersion bumps every versionStep commits', () => {
  const s = setup(2);
  try {
    const m = s.make();
    m.commitOffset('x', 'g1', 'TopicA', 0, 100);
    m.commitOffset('x', 'g1', 'TopicA', 3, 300);
    m.commitOffset('x', 'g2', '%RETRY%g2', 0, 1);
    assert.equal(m.dataVersion.counter, 1);
    m.persist();
    const onDisk = JSON.parse(readFileSync(s.configPath, 'utf8')) as { offsetTable: Record<string, Record<string, number>> };
    assert.deepEqual(onDisk.offsetTable, { 'TopicA@g1': { 0: 100, 3: 300 }, '%RETRY%g2@g2': { 0: 1 } });
    const again = s.make();
    assert.equal(again.load(), 'main');
    assert.equal(again.queryOffset('g1', 'TopicA', 3), 300);
    assert.equal(again.queryOffset('g2', '%RETRY%g2', 0), 1);
    assert.equal(again.dataVersion.counter, 1);
  } finally {
    s.cleanup();
  }
});

test('fastjson bare numeric keys written by a Java broker are read', () => {
  const s = setup();
  try {
    writeConfigFileAtomic(s.configPath, '{"offsetTable":{"TopicTest@please_rename_unique_group_name_4":{0:250,1:249,2:251,3:250}},"dataVersion":{"counter":4,"stateVersion":0,"timestamp":1}}');
    const m = s.make();
    assert.equal(m.load(), 'main');
    assert.equal(m.queryOffset('please_rename_unique_group_name_4', 'TopicTest', 2), 251);
    assert.equal(m.dataVersion.counter, 4);
  } finally {
    s.cleanup();
  }
});

test('corrupt consumerOffset.json → .bak', () => {
  const s = setup();
  try {
    const m = s.make();
    m.commitOffset('x', 'g', 'T', 0, 1);
    m.persist();
    m.commitOffset('x', 'g', 'T', 0, 2);
    m.persist();
    writeFileSync(s.configPath, '{"offsetTable":{"T@g":{0:');
    const again = s.make();
    assert.equal(again.load(), 'bak');
    assert.equal(again.queryOffset('g', 'T', 0), 1);
  } finally {
    s.cleanup();
  }
});

test('start() persists every 5 s only when dirty; shutdown() stops the timer and persists', (t) => {
  const s = setup();
  t.mock.timers.enable({ apis: ['setInterval'] });
  try {
    const m = s.make();
    m.start();
    m.start(); // idempotent
    t.mock.timers.tick(5000);
    assert.equal(existsSync(s.configPath), false, 'nothing to write yet');
    m.commitOffset('x', 'g', 'T', 0, 7);
    t.mock.timers.tick(4999);
    assert.equal(existsSync(s.configPath), false);
    t.mock.timers.tick(1);
    assert.match(readFileSync(s.configPath, 'utf8'), /"0": 7/);
    m.commitOffset('x', 'g', 'T', 0, 8);
    m.shutdown();
    assert.match(readFileSync(s.configPath, 'utf8'), /"0": 8/);
    m.commitOffset('x', 'g', 'T', 0, 9);
    t.mock.timers.tick(20_000);
    assert.match(readFileSync(s.configPath, 'utf8'), /"0": 8/, 'timer is gone after shutdown');
  } finally {
    s.cleanup();
    mock.timers.reset();
  }
});

test('group/topic queries, clone, removal, reset and pull offsets', () => {
  const s = setup();
  try {
    const m = s.make();
    m.commitOffset('x', 'g1', 'A', 0, 10);
    m.commitOffset('x', 'g1', 'B', 0, 20);
    m.commitOffset('x', 'g2', 'A', 1, 30);
    m.commitOffset('x', 'g@weird', 'A', 0, 1); // a key with two '@' is skipped by the split rule
    assert.deepEqual([...m.whichTopicByConsumer('g1')].sort(), ['A', 'B']);
    assert.deepEqual([...m.whichGroupByTopic('A')].sort(), ['g1', 'g2']);
    assert.deepEqual([...(m.getGroupTopicMap().get('g1') ?? [])].sort(), ['A', 'B']);

    assert.equal(m.cloneOffset('g1', 'g3', 'A'), true);
    assert.equal(m.queryOffset('g3', 'A', 0), 10);
    assert.equal(m.cloneOffset('nobody', 'g3', 'A'), false);

    m.assignResetOffset('A', 'g1', 0, 3);
    assert.equal(m.hasOffsetReset('A', 'g1', 0), true);
    assert.equal(m.queryOffset('g1', 'A', 0), 3);
    m.commitOffset('x', 'g1', 'A', 0, 11);
    assert.equal(m.queryOffset('g1', 'A', 0), 3, 'pending reset wins over commits');
    assert.equal(m.queryThenEraseResetOffset('A', 'g1', 0), 3);
    assert.equal(m.queryThenEraseResetOffset('A', 'g1', 0), undefined);
    assert.equal(m.queryOffset('g1', 'A', 0), 11);

    m.commitPullOffset('g1', 'A', 0, 15);
    assert.equal(m.queryPullOffset('g1', 'A', 0), 15);
    assert.equal(m.queryPullOffset('g1', 'B', 0), 20, 'falls back to the committed offset');

    m.resetOffset('g2', 'A', new Map([[1, 0], [2, 5]]));
    assert.equal(m.queryOffset('g2', 'A', 1), 0);
    assert.equal(m.queryOffset('g2', 'A', 2), 5);

    m.removeOffset('g1');
    assert.deepEqual([...m.whichTopicByConsumer('g1')], []);
    assert.equal(m.queryPullOffset('g1', 'A', 0), -1);
    m.cleanOffsetByTopic('A');
    assert.deepEqual([...m.whichGroupByTopic('A')], []);
    assert.equal(m.removeOffsetOf('g9', 'Z'), false);
  } finally {
    s.cleanup();
  }
});
