import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { parseTopicRouteData } from '../../../src/remoting/protocol/body/topic-route-data.ts';
import { registerRequest, uniq } from '../namesrv-test-helpers.ts';
import { kit } from './processor-test-kit.ts';

test('unknown topic → 17 TOPIC_NOT_EXIST with Java\'s remark', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const res = k.call(k.req(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'NoSuchTopic' }));
  assert.equal(res.code, ResponseCode.TOPIC_NOT_EXIST);
  assert.equal(res.remark, 'No topic route info in name server for the topic: NoSuchTopic\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.');
  assert.equal(res.body, undefined);
});

test('known topic → compact route body, same for old (v121, ali-ons) and new clients', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const topic = uniq('T');
  k.call(registerRequest({ cluster: 'C1', brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', topics: { [topic]: { readQueueNums: 4, writeQueueNums: 4 }, x: {} } }));
  const old = k.req(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
  old.version = 121;
  const r1 = k.call(old);
  const r2 = k.call(k.req(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic, acceptStandardJsonOnly: 'true' }));
  assert.equal(r1.code, ResponseCode.SUCCESS);
  assert.deepEqual(r1.body, r2.body);
  const text = r1.body?.toString() ?? '';
  assert.equal(text, '{"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911"},"brokerName":"broker-a","cluster":"C1","enableActingMaster":false}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}');
  assert.equal(k.ctrl.stats().routeQueriesTotal, 2);
});

test('orderTopicConf comes from ORDER_TOPIC_CONFIG only when orderMessageEnable (Java default false)', (t) => {
  const off = kit();
  const on = kit({ orderMessageEnable: true });
  t.after(() => { off.cleanup(); on.cleanup(); });
  const topic = uniq('T');
  for (const k of [off, on]) {
    k.call(registerRequest({ cluster: 'C1', brokerName: 'broker-a', brokerAddr: 'a:1', topics: { [topic]: {}, y: {} } }));
    k.ctrl.kv.put('ORDER_TOPIC_CONFIG', topic, 'broker-a:16');
  }
  assert.equal(parseTopicRouteData(off.call(off.req(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic })).body).orderTopicConf, undefined);
  assert.equal(parseTopicRouteData(on.call(on.req(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic })).body).orderTopicConf, 'broker-a:16');
});

test('missing topic header → 1 SYSTEM_ERROR naming the field; needWaitForService → "name server not ready"', (t) => {
  const k = kit();
  const wait = kit({ needWaitForService: true, waitSecondsForService: 45 });
  t.after(() => { k.cleanup(); wait.cleanup(); });
  const res = k.call(k.req(RequestCode.GET_ROUTEINFO_BY_TOPIC, {}));
  assert.equal(res.code, ResponseCode.SYSTEM_ERROR);
  assert.equal(res.remark, "GetRouteInfoRequestHeader: missing required field 'topic'");
  const w = wait.call(wait.req(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'x' }));
  assert.equal(w.code, ResponseCode.SYSTEM_ERROR);
  assert.equal(w.remark, 'name server not ready');
});
