import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { MQVersion } from '../../../src/remoting/protocol/version.ts';
import { parseDataVersion, serializeDataVersion } from '../../../src/remoting/protocol/body/data-version.ts';
import { parseKVTable } from '../../../src/remoting/protocol/body/kv-table.ts';
import { serializeTopicConfigSerializeWrapper } from '../../../src/remoting/protocol/body/topic-config-serialize-wrapper.ts';
import { newTopicConfig } from '../../../src/remoting/protocol/body/topic-config.ts';
import { bodyCrc32 } from '../../../src/namesrv/processor/broker-request-processor.ts';
import { FakeChannel, registerRequest, uniq } from '../namesrv-test-helpers.ts';
import { kit } from './processor-test-kit.ts';

const brokerSpec = (topics: string[], extra: Record<string, unknown> = {}) => ({
  cluster: 'C1', brokerName: uniq('broker'), brokerAddr: '10.0.0.1:10911',
  topics: Object.fromEntries(topics.map((t) => [t, { readQueueNums: 4, writeQueueNums: 4 }])), ...extra,
});

test('REGISTER_BROKER with a matching bodyCrc32 registers; response extFields are strings', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const topic = uniq('T');
  const res = k.call(registerRequest(brokerSpec([topic, uniq('T')])));
  assert.equal(res.code, ResponseCode.SUCCESS);
  assert.ok(res.isResponse);
  assert.deepEqual(res.extFields ?? {}, {});
  assert.equal(res.body, undefined); // no ORDER_TOPIC_CONFIG namespace yet
  assert.ok(k.ctrl.routes.pickupTopicRouteData(topic));
  assert.equal(k.ctrl.stats().registrationsTotal, 1);
});

test('REGISTER_BROKER with a wrong bodyCrc32 → 1 SYSTEM_ERROR "crc32 not match", nothing registered', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const topic = uniq('T');
  const res = k.call(registerRequest(brokerSpec([topic, 'x']), { crc: 'bad' }));
  assert.equal(res.code, ResponseCode.SYSTEM_ERROR);
  assert.equal(res.remark, 'crc32 not match');
  assert.equal(k.ctrl.routes.pickupTopicRouteData(topic), undefined);
  assert.equal(k.ctrl.routes.brokerCount, 0);
});

test('bodyCrc32 is CRC32 & 0x7FFFFFFF', () => {
  assert.equal(bodyCrc32(Buffer.from('hello')), 907060870 & 0x7fffffff);
  assert.equal(bodyCrc32(Buffer.from([0xff, 0xff, 0xff, 0xff])) >= 0, true);
  assert.equal(bodyCrc32(undefined), 0);
});

test('REGISTER_BROKER compressed body (zlib) registers the same topics', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const topic = uniq('T');
  const res = k.call(registerRequest(brokerSpec([topic, 'other'], { compressed: true })));
  assert.equal(res.code, ResponseCode.SUCCESS);
  assert.equal(k.ctrl.routes.pickupTopicRouteData(topic)?.queueDatas[0].writeQueueNums, 4);
});

test('REGISTER_BROKER from a pre-3.0.11 broker: body is a bare TopicConfigSerializeWrapper', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const topic = uniq('T');
  const req = registerRequest(brokerSpec([]), { crc: 'none' });
  req.version = 10;
  req.body = serializeTopicConfigSerializeWrapper({
    dataVersion: { stateVersion: 0, timestamp: 1, counter: 1 },
    topicConfigTable: { [topic]: newTopicConfig(topic), x: newTopicConfig('x') },
  });
  assert.equal(k.call(req).code, ResponseCode.SUCCESS);
  assert.ok(k.ctrl.routes.pickupTopicRouteData(topic));
});

test('slave registration gets masterAddr and haServerAddr; ORDER_TOPIC_CONFIG KV comes back as a KVTable body', (t) => {
  const k = kit();
  t.after(k.cleanup);
  k.ctrl.kv.put('ORDER_TOPIC_CONFIG', 'OrderTopic', 'broker-a:4');
  const name = uniq('broker');
  k.call(registerRequest({ cluster: 'C1', brokerName: name, brokerAddr: '10.0.0.1:10911', topics: { a: {}, b: {} } }));
  const res = k.call(registerRequest({ cluster: 'C1', brokerName: name, brokerAddr: '10.0.0.2:10911', brokerId: 1, topics: { a: {}, b: {} } }));
  assert.equal(res.code, ResponseCode.SUCCESS);
  assert.deepEqual(res.extFields, { masterAddr: '10.0.0.1:10911', haServerAddr: '10.0.0.1:10912' });
  assert.deepEqual(parseKVTable(res.body), { table: { OrderTopic: 'broker-a:4' } });
});

test('REGISTER_BROKER with a missing header field or a broken body → 1 SYSTEM_ERROR naming the problem', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const missing = registerRequest(brokerSpec(['a', 'b']), { crc: 'none' });
  delete missing.extFields?.clusterName;
  const r1 = k.call(missing);
  assert.equal(r1.code, ResponseCode.SYSTEM_ERROR);
  assert.match(r1.remark ?? '', /RegisterBrokerRequestHeader: missing required field 'clusterName'/);

  const badId = registerRequest(brokerSpec(['a', 'b']), { crc: 'none' });
  badId.extFields = { ...badId.extFields, brokerId: 'zero' };
  assert.match(k.call(badId).remark ?? '', /field 'brokerId' must be an integer, got 'zero'/);

  const badBody = registerRequest(brokerSpec(['a', 'b']), { crc: 'none' });
  badBody.body = Buffer.from('{"topicConfigSerializeWrapper":');
  const r3 = k.call(badBody);
  assert.equal(r3.code, ResponseCode.SYSTEM_ERROR);
  assert.match(r3.remark ?? '', /^RegisterBrokerBody: invalid JSON: .* at offset \d+$/);
  assert.equal(k.ctrl.routes.brokerCount, 0);
});

test('QUERY_DATA_VERSION: changed flag, namesrv-side DataVersion body, refreshes liveness', (t) => {
  let now = 1_000_000;
  const k = kit({}, () => now);
  t.after(k.cleanup);
  const spec = { ...brokerSpec(['a', 'b']), dataVersion: { stateVersion: 0, timestamp: 77, counter: 3 } };
  k.call(registerRequest(spec));
  const ext = { brokerName: spec.brokerName, brokerAddr: spec.brokerAddr, clusterName: 'C1', brokerId: '0' };
  const same = k.call(k.req(RequestCode.QUERY_DATA_VERSION, ext, serializeDataVersion(spec.dataVersion)));
  assert.equal(same.code, ResponseCode.SUCCESS);
  assert.deepEqual(same.extFields, { changed: 'false' });
  assert.deepEqual(parseDataVersion(same.body), spec.dataVersion);
  const changed = k.call(k.req(RequestCode.QUERY_DATA_VERSION, ext, serializeDataVersion({ ...spec.dataVersion, counter: 4 })));
  assert.deepEqual(changed.extFields, { changed: 'true' });
  now += 119_000;
  k.call(k.req(RequestCode.QUERY_DATA_VERSION, ext, serializeDataVersion(spec.dataVersion)));
  now += 119_000;
  k.ctrl.scanNotActiveBroker();
  assert.equal(k.ctrl.routes.brokerCount, 1);
  const noBody = k.call(k.req(RequestCode.QUERY_DATA_VERSION, ext));
  assert.equal(noBody.code, ResponseCode.SYSTEM_ERROR);
  assert.match(noBody.remark ?? '', /DataVersion: empty body/);
});

test('BROKER_HEARTBEAT refreshes liveness; UNREGISTER_BROKER removes the broker', (t) => {
  let now = 5_000_000;
  const k = kit({}, () => now);
  t.after(k.cleanup);
  const topic = uniq('T');
  const spec = brokerSpec([topic, 'x']);
  const ch = new FakeChannel();
  k.call(registerRequest(spec), ch);
  now += 100_000;
  const hb = k.call(k.req(RequestCode.BROKER_HEARTBEAT, { clusterName: 'C1', brokerAddr: spec.brokerAddr, brokerName: spec.brokerName, brokerId: '0' }));
  assert.equal(hb.code, ResponseCode.SUCCESS);
  now += 100_000;
  k.ctrl.scanNotActiveBroker();
  assert.ok(k.ctrl.routes.pickupTopicRouteData(topic));
  const un = k.call(k.req(RequestCode.UNREGISTER_BROKER, { clusterName: 'C1', brokerAddr: spec.brokerAddr, brokerName: spec.brokerName, brokerId: '0' }));
  assert.equal(un.code, ResponseCode.SUCCESS);
  assert.equal(k.ctrl.routes.pickupTopicRouteData(topic), undefined);
  assert.equal(ch.closed, false); // unregister does not close the connection
  const bad = k.call(k.req(RequestCode.UNREGISTER_BROKER, { clusterName: 'C1' }));
  assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
  assert.match(bad.remark ?? '', /UnRegisterBrokerRequestHeader: missing required field/);
});

test('registrations carry the request version through (V5_0_0 compressed mapping section)', (t) => {
  const k = kit();
  t.after(k.cleanup);
  const res = k.call(registerRequest({ ...brokerSpec(['a', 'b']), compressed: true, version: MQVersion.V5_3_3 }));
  assert.equal(res.code, ResponseCode.SUCCESS);
});
