import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brokerAddr, defaultBrokerConfig, localIPv4, namesrvAddrList } from '../../../src/broker/config/broker-config.ts';

test('namesrvAddr splits on ";" and ignores blanks', () => {
  assert.deepEqual(namesrvAddrList({ namesrvAddr: '10.0.0.1:9876; 10.0.0.2:9876;;' }), ['10.0.0.1:9876', '10.0.0.2:9876']);
  assert.deepEqual(namesrvAddrList({ namesrvAddr: '' }), []);
});

test('brokerAddr and IP defaults', () => {
  const c = defaultBrokerConfig({ listenPort: 20911 }, { ROCKETMQ_HOME: '/opt/rmq' });
  assert.equal(c.brokerIP1, localIPv4());
  assert.equal(c.brokerIP2, c.brokerIP1);
  assert.equal(c.rocketmqHome, '/opt/rmq');
  assert.equal(brokerAddr(c), `${c.brokerIP1}:20911`);
  assert.equal(defaultBrokerConfig({}, {}).channelExpiredTimeout, 120_000);
  assert.equal(defaultBrokerConfig({}, {}).flushConsumerOffsetInterval, 5000);
});
