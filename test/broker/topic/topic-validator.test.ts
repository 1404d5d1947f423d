import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isBaseSystemTopic,
  isNotAllowedSendTopic,
  validateGroup,
  validateTopic,
} from '../../../src/broker/topic/topic-validator.ts';

function remarkOf(r: ReturnType<typeof validateTopic>): string {
  assert.equal(r.valid, false);
  return r.valid ? '' : r.remark;
}

test('valid topic names', () => {
  for (const t of ['TopicTest', 'a', 'a-b_c|d%e', '%RETRY%group-1', 'x'.repeat(127), `%DLQ%${'g'.repeat(250)}`]) {
    assert.deepEqual(validateTopic(t), { valid: true }, t);
  }
});

test('invalid topic names give the remark that says what is wrong', () => {
  assert.equal(remarkOf(validateTopic('')), 'The specified topic is blank.');
  assert.equal(remarkOf(validateTopic('   ')), 'The specified topic is blank.');
  assert.equal(remarkOf(validateTopic(undefined)), 'The specified topic is blank.');
  assert.match(remarkOf(validateTopic('bad topic')), /contains illegal characters, allowing only \^\[%\|a-zA-Z0-9_-\]\+\$/);
  assert.match(remarkOf(validateTopic('tópico')), /illegal characters/);
  assert.match(remarkOf(validateTopic('a.b')), /illegal characters/);
  assert.match(remarkOf(validateTopic('x'.repeat(128))), /longer than topic max length: 127/);
  assert.match(remarkOf(validateTopic(`%RETRY%${'g'.repeat(249)}`)), /DLQ or Retry topic.*255/);
});

test('group names: ≤ 120 chars, same character set', () => {
  assert.deepEqual(validateGroup('CID_consumer-1'), { valid: true });
  assert.deepEqual(validateGroup('g'.repeat(120)), { valid: true });
  assert.equal(validateGroup('g'.repeat(121)).valid, false);
  assert.equal(validateGroup('g g').valid, false);
  assert.equal(validateGroup('').valid, false);
});

test('system and not-allowed-send topics', () => {
  for (const t of ['TBW102', 'SCHEDULE_TOPIC_XXXX', 'RMQ_SYS_TRANS_HALF_TOPIC', 'BenchmarkTest', 'rmq_sys_wheel_timer']) {
    assert.ok(isBaseSystemTopic(t), t);
  }
  assert.ok(!isBaseSystemTopic('TopicTest'));
  for (const t of ['TBW102', 'SCHEDULE_TOPIC_XXXX', 'RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'TRANS_CHECK_MAX_TIME_TOPIC', 'SELF_TEST_TOPIC', 'OFFSET_MOVED_EVENT']) {
    assert.ok(isNotAllowedSendTopic(t), t);
  }
  assert.ok(!isNotAllowedSendTopic('BenchmarkTest'));
  assert.ok(!isNotAllowedSendTopic('%RETRY%g'));
});
