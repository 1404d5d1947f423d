import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyConfigUpdate,
  configToProperties,
  loadBrokerConf,
  parseBrokerConf,
} from '../../../src/broker/config/broker-conf.ts';
import { parseProperties } from '../../../src/common/properties-file.ts';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import { tempDir } from './temp-dir.ts';

const NO_ENV = {};

test('a typical broker.conf: broker keys, store keys, coercion, unknown keys', () => {
  const text = [
    '# RocketMQ broker.conf',
    'brokerClusterName = ClusterX',
    'brokerName = broker-b',
    'brokerId = 1',
    'namesrvAddr = 10.0.0.1:9876;10.0.0.2:9876',
    'deleteWhen = 04',
    'fileReservedTime = 48',
    'brokerRole = SYNC_MASTER',
    'flushDiskType = SYNC_FLUSH',
    'autoCreateTopicEnable = FALSE',
    'listenPort = 30911',
    'storePathRootDir = /data/rmq/store',
    'maxMessageSize = 1048576',
    'sendMessageThreadPoolNums = 16',
    'aclEnable = false',
  ].join('\n');
  const { brokerConfig: b, messageStoreConfig: s, unknownKeys } = parseBrokerConf(text, 'broker.conf', NO_ENV);
  assert.equal(b.brokerClusterName, 'ClusterX');
  assert.equal(b.brokerName, 'broker-b');
  assert.equal(b.brokerId, 1);
  assert.equal(b.namesrvAddr, '10.0.0.1:9876;10.0.0.2:9876');
  assert.equal(b.brokerRole, 'SYNC_MASTER');
  assert.equal(b.autoCreateTopicEnable, false);
  assert.equal(b.listenPort, 30911);
  assert.equal(s.deleteWhen, '04', 'string keys stay strings even when numeric-looking');
  assert.equal(s.fileReservedTime, 48);
  assert.equal(s.flushDiskType, 'SYNC_FLUSH');
  assert.equal(s.maxMessageSize, 1048576);
  assert.equal(s.storePathRootDir, '/data/rmq/store');
  assert.equal(s.storePathCommitLog, join('/data/rmq/store', 'commitlog'), 'commit-log path follows the root');
  assert.deepEqual(unknownKeys, ['sendMessageThreadPoolNums', 'aclEnable']);
  // untouched defaults
  assert.equal(b.defaultTopicQueueNums, 8);
  assert.equal(b.autoCreateSubscriptionGroup, true);
  assert.equal(s.flushIntervalCommitLog, 500);
});

test('defaults follow RocketMQ', () => {
  const { brokerConfig: b, unknownKeys } = parseBrokerConf('', '', NO_ENV);
  assert.deepEqual(unknownKeys, []);
  assert.equal(b.brokerClusterName, 'DefaultCluster');
  assert.equal(b.brokerName, 'broker-a');
  assert.equal(b.brokerId, 0);
  assert.equal(b.listenPort, 10911);
  assert.equal(b.brokerPermission, 6);
  assert.equal(b.registerNameServerPeriod, 30000);
  assert.equal(b.brokerRole, 'ASYNC_MASTER');
  assert.equal(b.shortPollingTimeMills, 1000);
  assert.equal(b.regionId, 'DefaultRegion');
  assert.equal(b.traceOn, true);
  assert.equal(b.transactionCheckMax, 15);
  assert.equal(b.namesrvAddr, '');
  assert.match(b.brokerIP1, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(parseBrokerConf('', '', { NAMESRV_ADDR: '1.2.3.4:9876' }).brokerConfig.namesrvAddr, '1.2.3.4:9876');
});

function assertConfigError(fn: () => unknown, key: string, extra?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RocketMQError);
    assert.equal(e.code, ERROR_CODES.CONFIG);
    assert.equal(e.responseCode, 29);
    assert.ok(e.message.includes(key), e.message);
    if (extra !== undefined) assert.match(e.message, extra);
    return true;
  });
}

test('bad values name the key (and file:line)', () => {
  assertConfigError(() => parseBrokerConf('\nbrokerId = one', 'conf/broker.conf', NO_ENV), 'brokerId', /conf\/broker\.conf: .*integer/);
  assertConfigError(() => parseBrokerConf('listenPort=1.5', '', NO_ENV), 'listenPort');
  assertConfigError(() => parseBrokerConf('listenPort=70000', '', NO_ENV), 'listenPort', /65535/);
  assertConfigError(() => parseBrokerConf('autoCreateTopicEnable=yes', '', NO_ENV), 'autoCreateTopicEnable', /true or false/);
  assertConfigError(() => parseBrokerConf('brokerRole=MASTER', '', NO_ENV), 'brokerRole', /ASYNC_MASTER/);
  assertConfigError(() => parseBrokerConf('flushDiskType=SOMETIMES', '', NO_ENV), 'flushDiskType');
  assertConfigError(() => parseBrokerConf('fileReservedTime=', '', NO_ENV), 'fileReservedTime');
});

test('loadBrokerConf reads a file and records its path; a missing file is a CONFIG error', () => {
  const { dir, cleanup } = tempDir('brokerconf');
  try {
    const path = join(dir, 'broker.conf');
    writeFileSync(path, 'brokerName=broker-z\nflushDiskType=SYNC_FLUSH\nmystery=1\n');
    const loaded = loadBrokerConf(path, NO_ENV);
    assert.equal(loaded.brokerConfig.brokerName, 'broker-z');
    assert.equal(loaded.brokerConfig.brokerConfigPath, path);
    assert.equal(loaded.messageStoreConfig.flushDiskType, 'SYNC_FLUSH');
    assert.deepEqual(loaded.unknownKeys, ['mystery']);
    assert.throws(() => loadBrokerConf(join(dir, 'missing.conf'), NO_ENV), (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.CONFIG && e.message.includes('missing.conf'));
  } finally {
    cleanup();
  }
});

test('configToProperties lists every key once, sorted, and parses back to the same configs', () => {
  const original = parseBrokerConf('brokerName=b-1\nnamesrvAddr=a:1;b:2\nfileReservedTime=5\nautoCreateTopicEnable=false', '', NO_ENV);
  const text = configToProperties(original);
  const keys = Object.keys(parseProperties(text));
  assert.match(text, /^namesrvAddr=a:1;b:2$/m, 'raw key=value lines like Java');
  assert.deepEqual(keys, [...keys].sort());
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(keys.includes('brokerName') && keys.includes('flushDiskType') && keys.includes('listenPort'));
  const again = parseBrokerConf(text, '', NO_ENV);
  assert.deepEqual(again.unknownKeys, []);
  assert.deepEqual(again.brokerConfig, original.brokerConfig);
  assert.deepEqual(again.messageStoreConfig, original.messageStoreConfig);
});

test('applyConfigUpdate applies valid values, reports unknown keys, and is all-or-nothing', () => {
  const configs = parseBrokerConf('', '', NO_ENV);
  const r = applyConfigUpdate('brokerPermission=4\nfileReservedTime=24\nnotAKey=1\n', configs);
  assert.deepEqual(r.updatedKeys.sort(), ['brokerPermission', 'fileReservedTime']);
  assert.deepEqual(r.unknownKeys, ['notAKey']);
  assert.equal(configs.brokerConfig.brokerPermission, 4);
  assert.equal(configs.messageStoreConfig.fileReservedTime, 24);

  assertConfigError(() => applyConfigUpdate('defaultTopicQueueNums=4\nlongPollingEnable=maybe', configs), 'longPollingEnable');
  assert.equal(configs.brokerConfig.defaultTopicQueueNums, 8, 'nothing applied when one value is bad');
});

test('applyConfigUpdate refuses black-listed keys with 16 NO_PERMISSION', () => {
  const configs = parseBrokerConf('', '', NO_ENV);
  for (const body of ['brokerConfigPath=/tmp/x', 'configBlackList=', 'brokerName=x\nbrokerConfigPath=/y']) {
    assert.throws(
      () => applyConfigUpdate(body, configs),
      (e: unknown) => e instanceof RocketMQError && e.responseCode === 16 && e.message === 'Can not update config in black list.',
    );
  }
  assert.equal(configs.brokerConfig.brokerName, 'broker-a');
});
