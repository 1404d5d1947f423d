import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGroupList, serializeGroupList } from '../../../../src/remoting/protocol/body/group-list.ts';

test('GroupList: {"groupList":[…]}', () => {
  assert.equal(serializeGroupList({ groupList: ['g1', 'g2'] }).toString(), '{"groupList":["g1","g2"]}');
  assert.deepEqual(parseGroupList('{"groupList":["g2"]}'), { groupList: ['g2'] });
  assert.deepEqual(parseGroupList('{}'), { groupList: [] });
  assert.throws(() => parseGroupList('{"groupList":[1]}'), /groupList\[0\] must be a string/);
});
