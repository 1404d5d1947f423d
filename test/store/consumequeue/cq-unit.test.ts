import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCqUnit, readCqUnit, isValidCqUnit, CQ_UNIT_SIZE } from '../../../src/store/consumequeue/cq-unit.ts';

test('CQ unit is int64 offset, int32 size, int64 tagsCode (golden bytes)', () => {
  const buf = encodeCqUnit(0x0001020304050607, 0x11121314, -2);
  assert.equal(buf.length, CQ_UNIT_SIZE);
  assert.equal(buf.toString('hex'), '0001020304050607' + '11121314' + 'fffffffffffffffe');
  assert.deepEqual(readCqUnit(buf, 0), { commitLogOffset: 0x0001020304050607, size: 0x11121314, tagsCode: -2 });
  assert.equal(isValidCqUnit(buf, 0), true);
});

test('a zero unit or a negative offset ends the queue', () => {
  assert.equal(isValidCqUnit(Buffer.alloc(20), 0), false);
  assert.equal(isValidCqUnit(encodeCqUnit(-1, 10, 0), 0), false);
  assert.equal(isValidCqUnit(encodeCqUnit(5, 0, 0), 0), false);
});
