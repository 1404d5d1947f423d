import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClientId, defaultInstanceName, parseNamesrvAddr, resolveClientConfig } from '../../src/client/client-config.ts';
import { RocketMQError } from '../../src/common/errors.ts';

test('namesrvAddr: ";"-separated string or array, trimmed and de-duplicated', () => {
  assert.deepEqual(parseNamesrvAddr(' a:1; b:2 ;;a:1'), ['a:1', 'b:2']);
  assert.deepEqual(parseNamesrvAddr(['a:1', 'b:2;c:3']), ['a:1', 'b:2', 'c:3']);
});

test('defaults follow Java ClientConfig', () => {
  const c = resolveClientConfig({ namesrvAddr: 'h:9876' });
  assert.equal(c.pollNameServerInterval, 30_000);
  assert.equal(c.heartbeatBrokerInterval, 30_000);
  assert.equal(c.persistConsumerOffsetInterval, 5_000);
  assert.equal(c.requestTimeout, 3_000);
  assert.equal(c.instanceName, defaultInstanceName());
  assert.match(c.clientIP, /^\d+\.\d+\.\d+\.\d+$/);
});

test('clientId is ip@instanceName[@unit]; the default instance name carries the pid and random bytes (rocketmq#1547)', () => {
  assert.equal(buildClientId({ clientIP: '10.0.0.1', instanceName: 'x', unitName: undefined }), '10.0.0.1@x');
  assert.equal(buildClientId({ clientIP: '10.0.0.1', instanceName: 'x', unitName: 'u' }), '10.0.0.1@x@u');
  assert.match(defaultInstanceName(), new RegExp(`^${process.pid}#[0-9a-f]{12}$`));
});

test('bad config is a CONFIG error', () => {
  assert.throws(() => resolveClientConfig({ namesrvAddr: ' ; ' }), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_CONFIG');
  assert.throws(() => resolveClientConfig({ namesrvAddr: 'a:1', requestTimeout: 0 }), RocketMQError);
});
