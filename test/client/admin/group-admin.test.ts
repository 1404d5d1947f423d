import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newSubscriptionGroupConfig, parseSubscriptionGroupConfig, serializeSubscriptionGroupConfig, serializeSubscriptionGroupWrapper,
} from '../../../src/remoting/protocol/body/subscription-group-config.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { uniqueName } from '../helpers.ts';
import { AdminFixture, CLUSTER } from './admin-fakes.ts';

let f: AdminFixture;
before(async () => {
  f = await AdminFixture.start();
});
after(async () => {
  await f.close();
});

test('createOrUpdateSubscriptionGroup: SubscriptionGroupConfig body with defaults to every master', async () => {
  for (const b of [f.brokerA, f.brokerB]) b.on(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
  const g = uniqueName('G');
  const addrs = await f.admin.createOrUpdateSubscriptionGroup({ groupName: g, retryMaxTimes: 5, consumeMessageOrderly: true }, { clusterName: CLUSTER });
  assert.deepEqual(addrs, [f.brokerA.address, f.brokerB.address]);
  for (const b of [f.brokerA, f.brokerB]) {
    const req = b.received(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP).at(-1);
    assert.equal(req?.extFields, undefined);
    const sent = parseSubscriptionGroupConfig(req?.body);
    assert.deepEqual(sent, newSubscriptionGroupConfig(g, { retryMaxTimes: 5, consumeMessageOrderly: true }));
    assert.equal(req?.body?.toString(), serializeSubscriptionGroupConfig(sent).toString());
  }
});

test('deleteSubscriptionGroup: groupName and cleanOffset', async () => {
  f.brokerB.on(RequestCode.DELETE_SUBSCRIPTIONGROUP, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
  assert.deepEqual(await f.admin.deleteSubscriptionGroup('G1', { brokerAddr: f.brokerB.address }, { cleanOffset: true }), [f.brokerB.address]);
  assert.deepEqual(f.brokerB.received(RequestCode.DELETE_SUBSCRIPTIONGROUP).at(-1)?.extFields, { groupName: 'G1', cleanOffset: 'true' });
  await f.admin.deleteSubscriptionGroup('G2', { brokerAddr: f.brokerB.address });
  assert.deepEqual(f.brokerB.received(RequestCode.DELETE_SUBSCRIPTIONGROUP).at(-1)?.extFields, { groupName: 'G2', cleanOffset: 'false' });
});

test('getSubscriptionGroup: 352 when served, else picked out of 201; absent → undefined', async () => {
  f.brokerA.reply(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, undefined, serializeSubscriptionGroupConfig(newSubscriptionGroupConfig('G1', { retryQueueNums: 2 })));
  assert.equal((await f.admin.getSubscriptionGroup(f.brokerA.address, 'G1'))?.retryQueueNums, 2);
  assert.deepEqual(f.brokerA.received(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG).at(-1)?.extFields, { group: 'G1' });
  f.brokerA.reply(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, undefined, undefined, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
  assert.equal(await f.admin.getSubscriptionGroup(f.brokerA.address, 'G1'), undefined);

  // broker-b does not serve 352 (fake answers 3): the admin falls back to GET_ALL_SUBSCRIPTIONGROUP_CONFIG.
  f.brokerB.reply(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, undefined, serializeSubscriptionGroupWrapper({
    subscriptionGroupTable: { G7: newSubscriptionGroupConfig('G7', { consumeEnable: false }) },
    forbiddenTable: {},
    dataVersion: { stateVersion: 0, timestamp: 1, counter: 1 },
  }));
  assert.equal((await f.admin.getSubscriptionGroup(f.brokerB.address, 'G7'))?.consumeEnable, false);
  assert.equal(await f.admin.getSubscriptionGroup(f.brokerB.address, 'G8'), undefined);
  assert.equal(f.brokerB.received(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG).length, 2);
  assert.deepEqual(Object.keys((await f.admin.getAllSubscriptionGroups(f.brokerB.address)).subscriptionGroupTable), ['G7']);
});
