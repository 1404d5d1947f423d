import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneTopicConfig, isInherited, newTopicConfig, permToString } from '../../../src/broker/topic/topic-config.ts';

test('perm helpers', () => {
  assert.equal(permToString(7), 'RWX');
  assert.equal(permToString(6), 'RW-');
  assert.equal(permToString(4), 'R--');
  assert.equal(permToString(1), '--X');
  assert.ok(isInherited(7) && !isInherited(6));
});

test('cloneTopicConfig copies attributes', () => {
  const a = newTopicConfig('T', { attributes: { k: 'v' } });
  const b = cloneTopicConfig(a);
  b.attributes.k = 'changed';
  assert.equal(a.attributes.k, 'v');
  assert.deepEqual({ ...b, attributes: {} }, { ...a, attributes: {} });
});
