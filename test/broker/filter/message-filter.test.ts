// Broker message filters built from subscriptions: TAG expressions matched by ConsumeQueue tag hash codes, SQL92
// selectors over stored properties, the compile cache, and both driving the real MessageStore's getMessage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, isRocketMQError } from '../../../src/common/errors.ts';
import { javaStringHashCode } from '../../../src/common/java-hash.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import type { MessageFilter as StoreMessageFilter } from '../../../src/store/query/get-message-result.ts';
import { GetMessageStatus } from '../../../src/store/query/get-message-result.ts';
import type { SubscriptionData } from '../../../src/remoting/protocol/body/heartbeat-data.ts';
import {
  ExpressionType,
  MessageFilterCache,
  SUB_ALL,
  Sql92MessageFilter,
  TagExpressionFilter,
  buildMessageFilter,
  isTagType,
  parseTagExpression,
} from '../../../src/broker/filter/message-filter.ts';
import type { MessageFilter } from '../../../src/broker/filter/message-filter.ts';
import { Sql92ParseError } from '../../../src/broker/filter/sql92-error.ts';
import { bodies, msg, newStore, storeConfig } from '../../store/message-store-helpers.ts';

const BIG = 1 << 30;

function assertParseFailed(fn: () => unknown, fragment: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isRocketMQError(e), String(e));
    assert.equal(e.code, ERROR_CODES.INVALID_ARGUMENT);
    assert.equal(e.responseCode, ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    assert.match(e.message, fragment);
    return true;
  });
}

test('Java String.hashCode tag codes: known values', () => {
  // Values Java computes for these strings (and the ConsumeQueue stores as tagsCode).
  assert.equal(javaStringHashCode('TagA'), 2598919);
  assert.equal(javaStringHashCode(''), 0);
  assert.equal(javaStringHashCode('Aa'), javaStringHashCode('BB')); // the classic collision: both 2112
  assert.equal(javaStringHashCode('Aa'), 2112);
  assert.equal(javaStringHashCode('a much longer tag that overflows int'), javaStringHashCode('a much longer tag that overflows int') | 0);
});

test('TAG expressions: "*", "a || b", whitespace, duplicates, empty parts', () => {
  assert.deepEqual(parseTagExpression('*'), []);
  assert.deepEqual(parseTagExpression(''), []);
  assert.deepEqual(parseTagExpression('  '), []);
  assert.deepEqual(parseTagExpression('TagA'), ['TagA']);
  assert.deepEqual(parseTagExpression(' TagA || TagB ||TagA|| '), ['TagA', 'TagB']);
  assert.deepEqual(parseTagExpression('a|b'), ['a|b']); // a single bar is part of the tag

  const all: MessageFilter = buildMessageFilter({ subString: '*' });
  assert.equal(all.isMatchedByProperties, undefined, 'tag filters leave the record undecoded');
  assert.ok(all instanceof TagExpressionFilter);
  assert.equal(all.expressionType, ExpressionType.TAG);
  assert.equal(all.expression, SUB_ALL);
  for (const code of [0, 1, -1, 2147483647, javaStringHashCode('anything')]) assert.equal(all.isMatchedByTagsCode(code), true);

  const ab = buildMessageFilter({ subString: 'TagA || TagB', expressionType: 'TAG' });
  assert.equal(ab.expression, 'TagA || TagB');
  assert.equal(ab.isMatchedByTagsCode(javaStringHashCode('TagA')), true);
  assert.equal(ab.isMatchedByTagsCode(javaStringHashCode('TagB')), true);
  assert.equal(ab.isMatchedByTagsCode(javaStringHashCode('TagC')), false);
  assert.equal(ab.isMatchedByTagsCode(0), false, 'an untagged message (tagsCode 0) is not TagA or TagB');

  // Matching is by hash only, as on a Java broker: a colliding tag passes (the client filters by tag string).
  const aa = buildMessageFilter({ subString: 'Aa' });
  assert.equal(aa.isMatchedByTagsCode(javaStringHashCode('BB')), true);

  // Codes arrive as 64-bit ConsumeQueue values; compare as int.
  assert.equal(ab.isMatchedByTagsCode(javaStringHashCode('TagA') + 2 ** 32), true);
});

test('TAG filters honour the client-sent codeSet and class-filter mode; expression types', () => {
  const fromHeartbeat = buildMessageFilter({ subString: 'x || y', codeSet: [42] });
  assert.equal(fromHeartbeat.isMatchedByTagsCode(42), true);
  assert.equal(fromHeartbeat.isMatchedByTagsCode(javaStringHashCode('x')), false);
  const classMode = buildMessageFilter({ subString: 'x', classFilterMode: true });
  assert.equal(classMode.isMatchedByTagsCode(7), true);

  for (const t of [undefined, null, '', 'TAG']) assert.equal(isTagType(t), true, String(t));
  for (const t of ['SQL92', 'tag', 'sql92']) assert.equal(isTagType(t), false, t);
  assertParseFailed(() => buildMessageFilter({ subString: 'a > 1', expressionType: 'sql92' }), /expression type sql92 is not supported/);
  assertParseFailed(() => buildMessageFilter({ subString: 'x', expressionType: 'CLASS' }), /not supported/);
});

test('SQL92 filters: every tag code passes, properties (TAGS included) decide, bad selectors fail with 23', () => {
  const f = buildMessageFilter({ subString: "TAGS = 'TagA' AND price > 10", expressionType: 'SQL92' });
  assert.ok(f instanceof Sql92MessageFilter);
  assert.equal(f.expressionType, ExpressionType.SQL92);
  assert.equal(f.isMatchedByTagsCode(12345), true);
  assert.ok(f.isMatchedByProperties !== undefined);
  assert.equal(f.isMatchedByProperties({ TAGS: 'TagA', price: '11' }), true);
  assert.equal(f.isMatchedByProperties({ TAGS: 'TagB', price: '11' }), false);
  assert.equal(f.isMatchedByProperties({ TAGS: 'TagA' }), false);
  assert.equal(f.isMatchedByProperties({ TAGS: 'TagA', price: 'cheap' }), false);
  assert.equal(f.isMatchedByProperties({}), false);

  assertParseFailed(() => buildMessageFilter({ subString: 'price >', expressionType: 'SQL92' }), /line 1, column 8: expected/);
  assert.throws(() => new Sql92MessageFilter("a = 'x"), Sql92ParseError);
});

test('both filters satisfy the store MessageFilter shape and accept a heartbeat SubscriptionData', () => {
  const sub: SubscriptionData = {
    topic: 'T',
    subString: 'a || b',
    tagsSet: ['a', 'b'],
    codeSet: [javaStringHashCode('a'), javaStringHashCode('b')],
    subVersion: 1,
    expressionType: 'TAG',
    classFilterMode: false,
  };
  const asStore: StoreMessageFilter[] = [buildMessageFilter(sub), buildMessageFilter({ ...sub, subString: 'x IS NULL', expressionType: 'SQL92' })];
  assert.equal(asStore[0]?.isMatchedByTagsCode(javaStringHashCode('b')), true);
  assert.equal(asStore[1]?.isMatchedByProperties?.({}), true);
});

test('the cache returns the same compiled filter per (group, topic, type, expression) and re-throws parse failures', () => {
  const cache = new MessageFilterCache({ maxEntries: 3 });
  const sql = { subString: 'a > 1', expressionType: 'SQL92' };
  const f1 = cache.get('g1', 't1', sql);
  assert.equal(cache.get('g1', 't1', { ...sql }), f1, 'same key → same filter');
  const g2 = cache.get('g2', 't1', sql);
  assert.notEqual(g2, f1, 'another group');
  assert.notEqual(cache.get('g1', 't2', sql), f1, 'another topic');
  assert.equal(cache.size, 3);

  // Touch f1, then add a 4th entry: the least recently used (g2/t1) goes, f1 stays.
  assert.equal(cache.get('g1', 't1', sql), f1);
  const tag = cache.get('g1', 't1', { subString: 'a > 1' }); // the same text as a TAG expression is another filter
  assert.equal(tag.expressionType, ExpressionType.TAG);
  assert.equal(cache.size, 3, 'bounded');
  assert.equal(cache.get('g1', 't1', sql), f1);
  assert.notEqual(cache.get('g2', 't1', sql), g2, 'evicted, so rebuilt');

  let first: unknown;
  try {
    cache.get('g1', 't1', { subString: 'a >', expressionType: 'SQL92' });
  } catch (e) {
    first = e;
  }
  assert.ok(first instanceof Sql92ParseError);
  assert.throws(() => cache.get('g1', 't1', { subString: 'a >', expressionType: 'SQL92' }), (e: unknown) => e === first);

  cache.invalidate('g1', 't1');
  assert.notEqual(cache.get('g1', 't1', sql), f1, 'rebuilt after invalidate');
  cache.invalidate('g1');
  cache.clear();
  assert.equal(cache.size, 0);
  assert.throws(() => new MessageFilterCache({ maxEntries: 0 }), /maxEntries/);
});

test('filters drive the real store: tag codes from the ConsumeQueue, SQL92 over the stored properties', async (t) => {
  const config = storeConfig(t);
  const store = newStore(config);
  await store.start();
  const topic = `TopicFilter_${process.pid}_${Date.now()}`;
  const rows: [string, Record<string, string>][] = [
    ['m0', { TAGS: 'TagA', price: '5', region: 'eu' }],
    ['m1', { TAGS: 'TagB', price: '15', region: 'eu' }],
    ['m2', { price: '25', region: 'us' }],
    ['m3', { TAGS: 'TagA', price: '35' }],
    ['m4', { TAGS: 'TagC', price: 'n/a', region: 'eu' }],
  ];
  for (const [body, props] of rows) await store.putMessage(msg(topic, 0, body, props));
  store.dispatchNow();

  const pull = (f: MessageFilter): string[] => bodies(store.getMessage('g', topic, 0, 0, 32, BIG, f).messages);
  assert.deepEqual(pull(buildMessageFilter({ subString: '*' })), ['m0', 'm1', 'm2', 'm3', 'm4']);
  assert.deepEqual(pull(buildMessageFilter({ subString: 'TagA || TagC' })), ['m0', 'm3', 'm4']);
  const sql = (e: string): string[] => pull(buildMessageFilter({ subString: e, expressionType: 'SQL92' }));
  assert.deepEqual(sql("TAGS = 'TagA'"), ['m0', 'm3']);
  assert.deepEqual(sql('price BETWEEN 10 AND 30'), ['m1', 'm2']);
  assert.deepEqual(sql("region = 'eu' OR TAGS IS NULL"), ['m0', 'm1', 'm2', 'm4']);
  assert.deepEqual(sql("region <> 'eu'"), ['m2']); // m3 has no region: unknown, not a match
  assert.deepEqual(sql("TAGS IN ('TagA', 'TagB') AND price > 10"), ['m1', 'm3']);
  const none = store.getMessage('g', topic, 0, 0, 32, BIG, buildMessageFilter({ subString: 'price > 100', expressionType: 'SQL92' }));
  assert.equal(none.status, GetMessageStatus.NO_MATCHED_MESSAGE);
  assert.equal(none.nextBeginOffset, 5, 'the consumer still moves past the scanned units');
  await store.shutdown();
});
