// The example configs under conf/ parse with no unknown keys and describe what their comments say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { loadBrokerConf } from '../../src/broker/config/broker-conf.ts';
import { loadNamesrvConfig } from '../../src/namesrv/namesrv-config.ts';

const CONF = resolve(import.meta.dirname, '..', '..', 'conf');

test('conf/broker.conf: a single master with the default ports', () => {
  const c = loadBrokerConf(resolve(CONF, 'broker.conf'), {});
  assert.deepEqual(c.unknownKeys, []);
  assert.equal(c.brokerConfig.brokerId, 0);
  assert.equal(c.brokerConfig.listenPort, 10911);
  assert.equal(c.brokerConfig.namesrvAddr, '127.0.0.1:9876');
});

test('conf/2m-noslave: two masters of one cluster with distinct names, ports and stores', () => {
  const a = loadBrokerConf(resolve(CONF, '2m-noslave', 'broker-a.properties'), {});
  const b = loadBrokerConf(resolve(CONF, '2m-noslave', 'broker-b.properties'), {});
  assert.deepEqual([...a.unknownKeys, ...b.unknownKeys], []);
  assert.equal(a.brokerConfig.brokerClusterName, b.brokerConfig.brokerClusterName);
  assert.notEqual(a.brokerConfig.brokerName, b.brokerConfig.brokerName);
  assert.equal(a.brokerConfig.brokerId + b.brokerConfig.brokerId, 0);
  assert.ok(Math.abs(a.brokerConfig.listenPort - b.brokerConfig.listenPort) > 3, 'main, VIP and HA ports do not overlap');
  assert.notEqual(a.messageStoreConfig.storePathRootDir, b.messageStoreConfig.storePathRootDir);
});

test('conf/namesrv.properties: known keys only', () => {
  const { config, unknown } = loadNamesrvConfig(resolve(CONF, 'namesrv.properties'));
  assert.deepEqual(unknown, []);
  assert.equal(config.listenPort, 9876);
});
