import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, RocketMQError, errorMessage, isRocketMQError } from '../../src/common/errors.ts';

test('RocketMQError carries code, retriable, responseCode and cause', () => {
  const cause = new Error('socket hang up');
  const e = new RocketMQError(ERROR_CODES.BROKER_RESPONSE, 'topic not exist', { retriable: true, responseCode: 17, cause });
  assert.equal(e.code, 'ERR_ROCKETMQ_BROKER_RESPONSE');
  assert.equal(e.retriable, true);
  assert.equal(e.responseCode, 17);
  assert.equal(e.cause, cause);
  assert.ok(isRocketMQError(e));
  assert.ok(!isRocketMQError(cause));
  assert.equal(errorMessage(e), 'topic not exist');
  assert.equal(errorMessage('x'), 'x');
});

test('error codes are unique stable strings', () => {
  const values = Object.values(ERROR_CODES);
  assert.equal(new Set(values).size, values.length);
  for (const v of values) assert.match(v, /^ERR_ROCKETMQ_[A-Z_]+$/);
});
