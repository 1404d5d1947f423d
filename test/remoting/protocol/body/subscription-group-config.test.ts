import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newSubscriptionGroupConfig, parseSubscriptionGroupConfig, parseSubscriptionGroupWrapper, serializeSubscriptionGroupConfig,
  serializeSubscriptionGroupWrapper,
} from '../../../../src/remoting/protocol/body/subscription-group-config.ts';

test('defaults of a new group follow SubscriptionGroupConfig.java', () => {
  assert.deepEqual(newSubscriptionGroupConfig('g'), {
    groupName: 'g',
    consumeEnable: true,
    consumeFromMinEnable: true,
    consumeBroadcastEnable: true,
    consumeMessageOrderly: false,
    retryQueueNums: 1,
    retryMaxTimes: 16,
    groupRetryPolicy: { type: 'CUSTOMIZED' },
    brokerId: 0,
    whichBrokerWhenConsumeSlowly: 1,
    notifyConsumerIdsChangedEnable: true,
    groupSysFlag: 0,
    consumeTimeoutMinute: 15,
    subscriptionDataSet: undefined,
    attributes: {},
  });
});

test('SubscriptionGroupConfig: Java defaults, sorted fields, lenient parse', () => {
  const c = newSubscriptionGroupConfig('G1', { retryMaxTimes: 3 });
  assert.equal(
    serializeSubscriptionGroupConfig(c).toString(),
    '{"attributes":{},"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,"consumeMessageOrderly":false,' +
      '"consumeTimeoutMinute":15,"groupName":"G1","groupRetryPolicy":{"type":"CUSTOMIZED"},"groupSysFlag":0,"notifyConsumerIdsChangedEnable":true,' +
      '"retryMaxTimes":3,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}',
  );
  assert.deepEqual(parseSubscriptionGroupConfig(serializeSubscriptionGroupConfig(c)), c);
  const p = parseSubscriptionGroupConfig('{"groupName":"G2","consumeEnable":"false","retryQueueNums":"2","subscriptionDataSet":[{"topic":"T"}]}');
  assert.equal(p.consumeEnable, false);
  assert.equal(p.retryQueueNums, 2);
  assert.equal(p.retryMaxTimes, 16);
  assert.deepEqual(p.subscriptionDataSet, [{ topic: 'T' }]);
  assert.throws(() => parseSubscriptionGroupConfig('{"retryQueueNums":1}'), /groupName/);
  assert.throws(() => parseSubscriptionGroupConfig('{"groupName":"G","retryMaxTimes":"many"}'), /retryMaxTimes/);
});

test('SubscriptionGroupWrapper: table keyed by group, forbiddenTable, dataVersion', () => {
  const body = serializeSubscriptionGroupWrapper({
    subscriptionGroupTable: { G1: newSubscriptionGroupConfig('G1') },
    forbiddenTable: { G1: { T: 1 } },
    dataVersion: { stateVersion: 0, timestamp: 5, counter: 2 },
  });
  const w = parseSubscriptionGroupWrapper(body);
  assert.equal(w.subscriptionGroupTable.G1.groupName, 'G1');
  assert.deepEqual(w.forbiddenTable, { G1: { T: 1 } });
  assert.deepEqual(w.dataVersion, { stateVersion: 0, timestamp: 5, counter: 2 });
  // groupName missing inside an entry: taken from the key.
  assert.equal(parseSubscriptionGroupWrapper('{"subscriptionGroupTable":{"G9":{"retryMaxTimes":2}}}').subscriptionGroupTable.G9.groupName, 'G9');
});
