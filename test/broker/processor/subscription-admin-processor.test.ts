// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP 200 / GET_ALL_SUBSCRIPTIONGROUP_CONFIG 201 / GET_SUBSCRIPTIONGROUP_CONFIG 352 /
// DELETE_SUBSCRIPTIONGROUP 207 over real TCP, bodies parsed back with the shared parsers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseSubscriptionGroupConfig,
  parseSubscriptionGroupWrapper,
} from '../../../src/remoting/protocol/body/subscription-group-config.ts';
import {
  DeleteSubscriptionGroupRequestHeader,
  GetSubscriptionGroupConfigRequestHeader,
} from '../../../src/remoting/protocol/headers/admin-headers.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';

test('create, read one, read all, update, delete (with cleanOffset) a subscription group', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const group = uniq('G_sub');
    const body = { groupName: group, consumeBroadcastEnable: false, retryMaxTimes: 3, brokerId: 1, attributes: { k: 'v' } };
    const c = await h.invoke(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, Buffer.from(JSON.stringify(body)));
    assert.equal(c.code, ResponseCode.SUCCESS, c.remark);

    const one = await h.invoke(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, GetSubscriptionGroupConfigRequestHeader.encode({ group }));
    assert.equal(one.code, ResponseCode.SUCCESS, one.remark);
    const cfg = parseSubscriptionGroupConfig(one.body);
    assert.equal(cfg.groupName, group);
    assert.equal(cfg.consumeBroadcastEnable, false);
    assert.equal(cfg.retryMaxTimes, 3);
    assert.equal(cfg.brokerId, 1);
    assert.equal(cfg.consumeEnable, true, 'default kept');
    assert.equal(cfg.retryQueueNums, 1, 'default kept');
    assert.deepEqual(cfg.attributes, { k: 'v' });

    // Update replaces the config.
    const u = await h.invoke(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, Buffer.from(JSON.stringify({ groupName: group, consumeEnable: false })));
    assert.equal(u.code, ResponseCode.SUCCESS);
    const all = await h.invoke(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG);
    assert.equal(all.code, ResponseCode.SUCCESS);
    const w = parseSubscriptionGroupWrapper(all.body);
    assert.equal(w.subscriptionGroupTable[group]?.consumeEnable, false);
    assert.equal(w.subscriptionGroupTable[group]?.retryMaxTimes, 16);
    assert.ok(w.subscriptionGroupTable.TOOLS_CONSUMER, 'built-in groups listed');
    assert.ok(w.dataVersion.counter > 0);
    assert.equal(all.ext('totalGroupNum'), String(Object.keys(w.subscriptionGroupTable).length));

    const topic = uniq('T_sub');
    h.broker.consumerOffsetManager.commitOffset('test', group, topic, 0, 7);
    const del = await h.invoke(RequestCode.DELETE_SUBSCRIPTIONGROUP, DeleteSubscriptionGroupRequestHeader.encode({ groupName: group, cleanOffset: true }));
    assert.equal(del.code, ResponseCode.SUCCESS, del.remark);
    assert.equal(h.broker.subscriptionGroupManager.selectSubscriptionGroupConfig(group), undefined);
    assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), -1, 'offsets cleaned');
    const gone = await h.invoke(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, GetSubscriptionGroupConfigRequestHeader.encode({ group }));
    assert.equal(gone.code, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    assert.match(gone.remark ?? '', /No group/);
    assert.equal(h.broker.subscriptionGroupManager.selectSubscriptionGroupConfig(group), undefined, 'a query does not auto-create');

    // Deleting without cleanOffset keeps offsets; deleting an unknown group succeeds with a remark.
    const g2 = uniq('G_keep');
    await h.invoke(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, Buffer.from(JSON.stringify({ groupName: g2 })));
    h.broker.consumerOffsetManager.commitOffset('test', g2, topic, 0, 9);
    assert.equal((await h.invoke(RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: g2 })).code, ResponseCode.SUCCESS);
    assert.equal(h.broker.consumerOffsetManager.queryOffset(g2, topic, 0), 9);
    const unknown = await h.invoke(RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: uniq('G_unknown') });
    assert.equal(unknown.code, ResponseCode.SUCCESS);
    assert.match(unknown.remark ?? '', /did not exist/);
  } finally {
    await h.close();
  }
});

test('bad subscription group requests get precise codes and remarks', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const cases: Array<[string, Buffer | undefined, number, RegExp]> = [
      ['no body', undefined, ResponseCode.INVALID_PARAMETER, /needs a SubscriptionGroupConfig JSON body/],
      ['not JSON', Buffer.from('{"groupName":'), ResponseCode.INVALID_PARAMETER, /not JSON/],
      ['no name', Buffer.from('{"consumeEnable":true}'), ResponseCode.INVALID_PARAMETER, /groupName/],
      ['bad name', Buffer.from('{"groupName":"a b"}'), ResponseCode.INVALID_PARAMETER, /illegal characters|group/i],
      ['wrong type', Buffer.from('{"groupName":"Gx","retryQueueNums":"many"}'), ResponseCode.INVALID_PARAMETER, /retryQueueNums/],
      ['negative retries', Buffer.from('{"groupName":"Gx","retryMaxTimes":-5}'), ResponseCode.INVALID_PARAMETER, /retryMaxTimes/],
    ];
    for (const [what, body, code, remark] of cases) {
      const r = await h.invoke(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, body);
      assert.equal(r.code, code, `${what}: ${r.remark ?? ''}`);
      assert.match(r.remark ?? '', remark, what);
    }
    assert.equal(h.broker.subscriptionGroupManager.selectSubscriptionGroupConfig('Gx'), undefined);

    const noHeader = await h.invoke(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG);
    assert.equal(noHeader.code, ResponseCode.SYSTEM_ERROR);
    assert.match(noHeader.remark ?? '', /group/);
    const blank = await h.invoke(RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: ' ' });
    assert.equal(blank.code, ResponseCode.INVALID_PARAMETER);
    const missing = await h.invoke(RequestCode.DELETE_SUBSCRIPTIONGROUP);
    assert.equal(missing.code, ResponseCode.SYSTEM_ERROR);
    assert.match(missing.remark ?? '', /groupName/);
  } finally {
    await h.close();
  }
});
