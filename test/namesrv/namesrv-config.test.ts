import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { applyNamesrvProperties, configBlackList, defaultNamesrvConfig, loadNamesrvConfig } from '../../src/namesrv/namesrv-config.ts';
import { tempDir } from './namesrv-test-helpers.ts';

test('defaults match Java NamesrvConfig / NettyServerConfig', () => {
  const c = defaultNamesrvConfig();
  assert.equal(c.listenPort, 9876);
  assert.equal(c.scanNotActiveBrokerInterval, 5000);
  assert.equal(c.kvConfigPath, join(homedir(), 'namesrv', 'kvConfig.json'));
  assert.equal(c.orderMessageEnable, false);
  assert.equal(c.enableAllTopicList, true);
  assert.equal(c.serverChannelMaxIdleTimeSeconds, 120);
});

test('a properties file with Java keys is applied with types; unknown keys reported; overrides win', (t) => {
  const { dir, cleanup } = tempDir('namesrv-config');
  t.after(cleanup);
  const f = join(dir, 'namesrv.properties');
  writeFileSync(f, `listenPort=19876\nkvConfigPath=${dir}/kv.json\norderMessageEnable=TRUE\nsomethingElse=1\n`);
  const { config, unknown } = loadNamesrvConfig(f);
  assert.equal(config.listenPort, 19876);
  assert.equal(config.kvConfigPath, `${dir}/kv.json`);
  assert.equal(config.orderMessageEnable, true);
  assert.deepEqual(unknown, ['somethingElse']);
  assert.equal(loadNamesrvConfig(f, { listenPort: 0 }).config.listenPort, 0);
});

test('bad values and missing files are CONFIG errors naming the key or file', (t) => {
  const { dir, cleanup } = tempDir('namesrv-config-bad');
  t.after(cleanup);
  assert.throws(() => applyNamesrvProperties(defaultNamesrvConfig(), { listenPort: 'abc' }), /config 'listenPort' must be an integer, got 'abc'/);
  assert.throws(() => applyNamesrvProperties(defaultNamesrvConfig(), { enableTopicList: 'yes' }), /must be true or false/);
  assert.throws(() => loadNamesrvConfig(join(dir, 'missing.properties')), /cannot read config file .*missing\.properties/);
  assert.throws(() => loadNamesrvConfig(undefined, { listenPort: 70000 }), /listenPort must be 0..65535/);
  const c = defaultNamesrvConfig();
  const before = { ...c };
  assert.throws(() => applyNamesrvProperties(c, { enableTopicList: 'false', listenPort: 'x' }));
  assert.deepEqual(c, before); // nothing applied when one value is bad
});

test('black list includes Java\'s fixed keys and the configured extra ones', () => {
  const c = { ...defaultNamesrvConfig(), configBlackList: 'configBlackList;listenPort' };
  assert.deepEqual([...configBlackList(c)].sort(), ['configBlackList', 'configStorePath', 'kvConfigPath', 'listenPort', 'rocketmqHome']);
});
