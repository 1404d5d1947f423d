import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressionType, buildSubscriptionData, matchesSubscription } from '../../../src/client/consumer/subscription.ts';
import { javaStringHashCode } from '../../../src/common/java-hash.ts';

test('"*", empty and undefined subscribe to everything', () => {
  for (const e of ['*', '', '  *  ', undefined]) {
    const s = buildSubscriptionData('T', e, ExpressionType.TAG, 42);
    assert.deepEqual(s, { topic: 'T', subString: '*', tagsSet: [], codeSet: [], subVersion: 42, expressionType: 'TAG', classFilterMode: false });
    assert.equal(matchesSubscription(s, undefined), true);
    assert.equal(matchesSubscription(s, 'any'), true);
  }
});

test('"tagA || tagB" → trimmed tags with Java hash codes; subString kept verbatim', () => {
  const s = buildSubscriptionData('T', 'TagA ||TagB|| TagA ||  ', ExpressionType.TAG, 7);
  assert.deepEqual(s.tagsSet, ['TagA', 'TagB']);
  assert.deepEqual(s.codeSet, [javaStringHashCode('TagA'), javaStringHashCode('TagB')]);
  assert.deepEqual(s.codeSet, [2598919, 2598920]);
  assert.equal(s.subString, 'TagA ||TagB|| TagA ||  ');
  assert.equal(matchesSubscription(s, 'TagB'), true);
  assert.equal(matchesSubscription(s, 'TagC'), false);
  assert.equal(matchesSubscription(s, undefined), false, 'tag-less messages are filtered out like Java');
  assert.throws(() => buildSubscriptionData('T', '||  ||'), /names no tag/);
  assert.throws(() => buildSubscriptionData('', '*'), /topic/);
});

test('SQL92 passes through with its type; the client does not filter it', () => {
  const s = buildSubscriptionData('T', "a > 5 AND b = 'x'", ExpressionType.SQL92, 1);
  assert.equal(s.expressionType, 'SQL92');
  assert.equal(s.subString, "a > 5 AND b = 'x'");
  assert.deepEqual(s.tagsSet, []);
  assert.equal(matchesSubscription(s, undefined), true);
  assert.throws(() => buildSubscriptionData('T', ' ', ExpressionType.SQL92), /SQL92/);
});

test('subVersion defaults to now', () => {
  const before = Date.now();
  const s = buildSubscriptionData('T', '*');
  assert.ok(s.subVersion >= before && s.subVersion <= Date.now());
});
