import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBrokerConfig } from '../../../src/broker/config/broker-config.ts';
import type { BrokerConfig } from '../../../src/broker/config/broker-config.ts';
import { writeConfigFileAtomic } from '../../../src/broker/config/config-file.ts';
import { subscriptionGroupConfigFromJson } from '../../../src/broker/subscription/subscription-group-config.ts';
import { newSubscriptionGroupConfig } from '../../../src/remoting/protocol/body/subscription-group-config.ts';
import {
  SubscriptionGroupManager,
  isSystemConsumerGroup,
} from '../../../src/broker/subscription/subscription-group-manager.ts';
import { RocketMQError } from '../../../src/common/errors.ts';
import { tempDir } from '../config/temp-dir.ts';

function setup(overrides: Partial<BrokerConfig> = {}) {
  const { dir, cleanup } = tempDir('subgroup');
  let clock = 1_700_000_000_000;
  const brokerConfig = defaultBrokerConfig(overrides, {});
  const configPath = join(dir, 'config', 'subscriptionGroup.json');
  const make = () => new SubscriptionGroupManager({ brokerConfig, configPath, now: () => (clock += 10) });
  return { cleanup, configPath, make, brokerConfig };
}

test('system groups exist at start', () => {
  const s = setup();
  try {
    const m = s.make();
    for (const g of ['TOOLS_CONSUMER', 'FILTERSRV_CONSUMER', 'SELF_TEST_C_GROUP', 'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PERMISSION', 'CID_ONSAPI_OWNER', 'CID_ONSAPI_PULL', 'CID_RMQ_SYS_TRANS']) {
      assert.ok(m.containsSubscriptionGroup(g), g);
      assert.ok(isSystemConsumerGroup(g), g);
    }
    assert.ok(isSystemConsumerGroup('CID_RMQ_SYS_ANYTHING'));
    assert.ok(!isSystemConsumerGroup('my-group'));
  } finally {
    s.cleanup();
  }
});

test('auto-create on find, bumping the DataVersion and persisting; invalid names are not created', () => {
  const s = setup();
  try {
    const m = s.make();
    assert.equal(m.selectSubscriptionGroupConfig('GroupX'), undefined);
    const c = m.findSubscriptionGroupConfig('GroupX');
    assert.equal(c?.retryMaxTimes, 16);
    assert.equal(m.dataVersion.counter, 1);
    assert.equal(m.findSubscriptionGroupConfig('GroupX'), c);
    assert.equal(m.dataVersion.counter, 1, 'second find creates nothing');
    assert.equal(m.findSubscriptionGroupConfig('bad group!'), undefined);
    const onDisk = JSON.parse(readFileSync(s.configPath, 'utf8')) as { subscriptionGroupTable: Record<string, unknown> };
    assert.ok('GroupX' in onDisk.subscriptionGroupTable);
  } finally {
    s.cleanup();
  }
});

test('without autoCreateSubscriptionGroup only CID_RMQ_SYS_* groups are created on demand', () => {
  const s = setup({ autoCreateSubscriptionGroup: false });
  try {
    const m = s.make();
    assert.equal(m.findSubscriptionGroupConfig('GroupY'), undefined);
    assert.ok(m.findSubscriptionGroupConfig('CID_RMQ_SYS_X') !== undefined);
    s.brokerConfig.enableCreateSysGroup = false;
    assert.equal(m.findSubscriptionGroupConfig('CID_RMQ_SYS_Z'), undefined);
  } finally {
    s.cleanup();
  }
});

test('update, delete, disableConsume, forbidden bits; round trip through the file', () => {
  const s = setup();
  try {
    const m = s.make();
    m.updateSubscriptionGroupConfig(newSubscriptionGroupConfig('G1', { retryMaxTimes: 3, consumeMessageOrderly: true, attributes: { a: 'b' } }));
    assert.throws(() => m.updateSubscriptionGroupConfig(newSubscriptionGroupConfig('bad name')), (e: unknown) => e instanceof RocketMQError && e.responseCode === 29);
    m.updateSubscriptionGroupConfig(newSubscriptionGroupConfig('G2'));
    assert.equal(m.deleteSubscriptionGroupConfig('G2'), true);
    assert.equal(m.deleteSubscriptionGroupConfig('G2'), false);
    m.disableConsume('G1');
    m.updateForbidden('G1', 'T', 2, true);
    m.updateForbidden('G1', 'T', 0, true);
    m.updateForbidden('G1', 'T', 2, false);
    assert.equal(m.getForbidden('G1', 'T'), 1);
    const version = m.dataVersion;
    assert.equal(version.counter, 7);

    const again = s.make();
    assert.equal(again.load(), 'main');
    assert.deepEqual(again.selectSubscriptionGroupConfig('G1'), { ...newSubscriptionGroupConfig('G1', { retryMaxTimes: 3, consumeMessageOrderly: true, attributes: { a: 'b' } }), consumeEnable: false });
    assert.equal(again.containsSubscriptionGroup('G2'), false);
    assert.equal(again.getForbidden('G1', 'T'), 1);
    assert.deepEqual(again.dataVersion, version);
    const wrapper = JSON.parse(again.encode()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(wrapper), ['dataVersion', 'forbiddenTable', 'subscriptionGroupTable']);
  } finally {
    s.cleanup();
  }
});

test('corrupt subscriptionGroup.json → .bak', () => {
  const s = setup();
  try {
    const m = s.make();
    m.updateSubscriptionGroupConfig(newSubscriptionGroupConfig('Old'));
    m.updateSubscriptionGroupConfig(newSubscriptionGroupConfig('New'));
    writeFileSync(s.configPath, '\u0000\u0000\u0000');
    const again = s.make();
    assert.equal(again.load(), 'bak');
    assert.ok(again.containsSubscriptionGroup('Old'));
    assert.ok(!again.containsSubscriptionGroup('New'));
  } finally {
    s.cleanup();
  }
});

test('reads a Java-written file with missing fields and a groupRetryPolicy object', () => {
  const s = setup();
  try {
    writeConfigFileAtomic(s.configPath, JSON.stringify({
      dataVersion: { counter: 3, stateVersion: 0, timestamp: 5 },
      forbiddenTable: {},
      subscriptionGroupTable: {
        JG: { groupName: 'JG', consumeBroadcastEnable: false, groupRetryPolicy: { type: 'EXPONENTIAL', exponentialRetryPolicy: { initial: 1000, max: 60000, multiplier: 2 } }, retryQueueNums: 1 },
      },
    }));
    const m = s.make();
    m.load();
    const g = m.selectSubscriptionGroupConfig('JG');
    assert.equal(g?.consumeBroadcastEnable, false);
    assert.equal(g?.retryMaxTimes, 16);
    assert.deepEqual(g?.groupRetryPolicy, { type: 'EXPONENTIAL', exponentialRetryPolicy: { initial: 1000, max: 60000, multiplier: 2 } });
  } finally {
    s.cleanup();
  }
});

test('subscriptionGroupConfigFromJson rejects wrong types with 29', () => {
  for (const bad of [{ groupName: 'g', retryMaxTimes: 'x' }, { groupName: 'g', consumeEnable: 3 }, { retryQueueNums: 1 }, [], { groupName: 'g', retryQueueNums: -1 }]) {
    assert.throws(() => subscriptionGroupConfigFromJson(bad), (e: unknown) => e instanceof RocketMQError && e.responseCode === 29, JSON.stringify(bad));
  }
  assert.equal(subscriptionGroupConfigFromJson({ groupName: 'g', retryMaxTimes: '5' }).retryMaxTimes, 5);
});

test('subscriptionGroupConfigFromJson: broker-only checks beyond the shared decoder also answer 29', () => {
  for (const bad of [{ groupName: 'g', retryMaxTimes: 1.5 }, { groupName: 'g', groupRetryPolicy: 'x' }, { groupName: 'g', subscriptionDataSet: {} }]) {
    assert.throws(() => subscriptionGroupConfigFromJson(bad), (e: unknown) => e instanceof RocketMQError && e.responseCode === 29, JSON.stringify(bad));
  }
  assert.equal(subscriptionGroupConfigFromJson({ retryMaxTimes: 2 }, 'FromKey').groupName, 'FromKey');
});
