import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { parseKVTable } from '../../../src/remoting/protocol/body/kv-table.ts';
import { parseTopicList } from '../../../src/remoting/protocol/body/topic-list.ts';
import { parseClusterInfo } from '../../../src/remoting/protocol/body/cluster-info.ts';
import { serializeTopicRouteData } from '../../../src/remoting/protocol/body/topic-route-data.ts';
import { parseProperties } from '../../../src/common/properties-file.ts';
import { registerRequest } from '../namesrv-test-helpers.ts';
import { kit } from './processor-test-kit.ts';

test('KV config: put, get, list, delete; not found → 22 with Java remarks; persisted to kvConfig.json', (t) => {
  const k = kit();
  t.after(k.cleanup);
  assert.equal(k.call(k.req(RequestCode.PUT_KV_CONFIG, { namespace: 'NS', key: 'k1', value: 'v1' })).code, ResponseCode.SUCCESS);
  k.call(k.req(RequestCode.PUT_KV_CONFIG, { namespace: 'NS', key: 'k2', value: 'v2' }));
  const got = k.call(k.req(RequestCode.GET_KV_CONFIG, { namespace: 'NS', key: 'k1' }));
  assert.deepEqual([got.code, got.extFields], [ResponseCode.SUCCESS, { value: 'v1' }]);
  assert.deepEqual(parseKVTable(k.call(k.req(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'NS' })).body), { table: { k1: 'v1', k2: 'v2' } });
  assert.deepEqual(JSON.parse(readFileSync(join(k.dir, 'kvConfig.json'), 'utf8')), { configTable: { NS: { k1: 'v1', k2: 'v2' } } });
  assert.equal(k.call(k.req(RequestCode.DELETE_KV_CONFIG, { namespace: 'NS', key: 'k1' })).code, ResponseCode.SUCCESS);
  const miss = k.call(k.req(RequestCode.GET_KV_CONFIG, { namespace: 'NS', key: 'k1' }));
  assert.deepEqual([miss.code, miss.remark], [ResponseCode.QUERY_NOT_FOUND, 'No config item, Namespace: NS Key: k1']);
  const missNs = k.call(k.req(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'Other' }));
  assert.deepEqual([missNs.code, missNs.remark], [ResponseCode.QUERY_NOT_FOUND, 'No config item, Namespace: Other']);
  const bad = k.call(k.req(RequestCode.PUT_KV_CONFIG, { namespace: 'NS', key: 'k' }));
  assert.deepEqual([bad.code, bad.remark], [ResponseCode.SYSTEM_ERROR, "PutKVConfigRequestHeader: missing required field 'value'"]);
});

test('cluster info, write perm, topic lists, delete/register topic', (t) => {
  const k = kit();
  t.after(k.cleanup);
  k.call(registerRequest({ cluster: 'C1', brokerName: 'broker-a', brokerAddr: 'a:1', topics: { T1: {}, T2: { topicSysFlag: 1 } } }));
  k.call(registerRequest({ cluster: 'C2', brokerName: 'broker-b', brokerAddr: 'b:1', topics: { T1: {}, T3: {} } }));

  const ci = parseClusterInfo(k.call(k.req(RequestCode.GET_BROKER_CLUSTER_INFO)).body);
  assert.deepEqual(ci.clusterAddrTable, { C1: ['broker-a'], C2: ['broker-b'] });
  assert.deepEqual(ci.brokerAddrTable['broker-b'].brokerAddrs, { 0: 'b:1' });

  const wipe = k.call(k.req(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { brokerName: 'broker-a' }));
  assert.deepEqual(wipe.extFields, { wipeTopicCount: '2' });
  const add = k.call(k.req(RequestCode.ADD_WRITE_PERM_OF_BROKER, { brokerName: 'broker-a' }));
  assert.deepEqual(add.extFields, { addTopicCount: '2' });

  const list = (code: number, ext?: Record<string, string>) => parseTopicList(k.call(k.req(code, ext)).body).topicList.sort();
  assert.deepEqual(list(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER), ['T1', 'T2', 'T3']);
  assert.deepEqual(list(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'C2' }), ['T1', 'T3']);
  assert.deepEqual(list(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS), ['C1', 'C2', 'broker-a', 'broker-b']);
  assert.deepEqual(list(RequestCode.GET_UNIT_TOPIC_LIST), ['T2']);
  assert.deepEqual(list(RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST), []);
  assert.deepEqual(list(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST), []);

  assert.equal(k.call(k.req(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'T1', clusterName: 'C1' })).code, ResponseCode.SUCCESS);
  assert.deepEqual(k.ctrl.routes.pickupTopicRouteData('T1')?.queueDatas.map((q) => q.brokerName), ['broker-b']);
  k.call(k.req(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'T1' }));
  assert.equal(k.ctrl.routes.pickupTopicRouteData('T1'), undefined);

  const body = serializeTopicRouteData({
    queueDatas: [{ brokerName: 'broker-b', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 }], brokerDatas: [], filterServerTable: {},
  });
  assert.equal(k.call(k.req(RequestCode.REGISTER_TOPIC_IN_NAMESRV, { topic: 'T9' }, body)).code, ResponseCode.SUCCESS);
  assert.equal(k.ctrl.routes.pickupTopicRouteData('T9')?.queueDatas[0].readQueueNums, 2);
  const badBody = k.call(k.req(RequestCode.REGISTER_TOPIC_IN_NAMESRV, { topic: 'T9' }, '{"queueDatas":[{]}'));
  assert.equal(badBody.code, ResponseCode.SYSTEM_ERROR);
  assert.match(badBody.remark ?? '', /^TopicRouteData: invalid JSON/);
});

test('topic lists answer 1 "disable" when switched off', (t) => {
  const k = kit({ enableAllTopicList: false, enableTopicList: false });
  t.after(k.cleanup);
  for (const code of [RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, RequestCode.GET_UNIT_TOPIC_LIST, RequestCode.GET_TOPICS_BY_CLUSTER]) {
    const r = k.call(k.req(code, { cluster: 'C1' }));
    assert.deepEqual([r.code, r.remark], [ResponseCode.SYSTEM_ERROR, 'disable']);
  }
  assert.equal(k.call(k.req(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)).code, ResponseCode.SUCCESS);
});

test('GET/UPDATE_NAMESRV_CONFIG: properties text, black list → 16, bad value → 1, update persisted', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const get = () => parseProperties(k.call(k.req(RequestCode.GET_NAMESRV_CONFIG)).body?.toString() ?? '');
  assert.equal(get().scanNotActiveBrokerInterval, '5000');
  assert.equal(get().enableTopicList, 'true');

  const up = k.call(k.req(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, 'enableTopicList=false\norderMessageEnable=true\n'));
  assert.equal(up.code, ResponseCode.SUCCESS);
  assert.equal(k.ctrl.config.enableTopicList, false);
  assert.equal(get().orderMessageEnable, 'true');
  assert.equal(parseProperties(readFileSync(join(k.dir, 'namesrv.properties'), 'utf8')).enableTopicList, 'false');

  const black = k.call(k.req(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, 'kvConfigPath=/etc/evil\n'));
  assert.equal(black.code, ResponseCode.NO_PERMISSION);
  assert.match(black.remark ?? '', /^Can not update config in black list\. \(kvConfigPath\)/);
  assert.equal(k.ctrl.config.kvConfigPath, join(k.dir, 'kvConfig.json'));

  const bad = k.call(k.req(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, 'waitSecondsForService=soon\n'));
  assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
  assert.match(bad.remark ?? '', /config 'waitSecondsForService' must be an integer, got 'soon'/);
});
