import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetRouteInfoRequestHeader, QueryDataVersionResponseHeader, RegisterBrokerRequestHeader, RegisterBrokerResponseHeader,
} from '../../../../src/remoting/protocol/headers/namesrv-headers.ts';
import { isRocketMQError } from '../../../../src/common/errors.ts';

test('RegisterBrokerRequestHeader decodes Java string extFields, optional fields absent', () => {
  const h = RegisterBrokerRequestHeader.decode({
    brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', clusterName: 'C', haServerAddr: '10.0.0.1:10912', brokerId: '0',
    compressed: 'false', bodyCrc32: '12345', enableActingMaster: 'false', __ZONE_NAME: 'z', ns: 'ignored',
  });
  assert.equal(h.heartbeatTimeoutMillis, undefined);
  assert.deepEqual(h, {
    brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', clusterName: 'C', haServerAddr: '10.0.0.1:10912', brokerId: 0,
    enableActingMaster: false, compressed: false, bodyCrc32: 12345,
  });
});

test('a missing required field names the header and the field', () => {
  assert.throws(() => RegisterBrokerRequestHeader.decode({ brokerName: 'b', brokerAddr: 'a', clusterName: 'c', brokerId: '0' }), (e: unknown) => {
    assert.ok(isRocketMQError(e));
    assert.equal(e.code, 'ERR_ROCKETMQ_INVALID_HEADER');
    assert.match(e.message, /RegisterBrokerRequestHeader: missing required field 'haServerAddr'/);
    return true;
  });
  assert.throws(() => GetRouteInfoRequestHeader.decode(undefined), /GetRouteInfoRequestHeader: missing required field 'topic'/);
});

test('response headers encode every value as a string and skip absent ones', () => {
  assert.deepEqual(QueryDataVersionResponseHeader.encode({ changed: true }), { changed: 'true' });
  assert.deepEqual(RegisterBrokerResponseHeader.encode({ masterAddr: 'm:1', haServerAddr: undefined }), { masterAddr: 'm:1' });
});
