// SQL92 property filters on the pull path over TCP (enablePropertyFilter): matching on user properties and TAGS,
// missing properties never match, bad selectors answer 23 with the parse error, long polling wakes only for a
// matching message, and a broker without enablePropertyFilter refuses SQL92 like Java (1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { BrokerHarness, decodeBody, uniq } from '../../integration/broker-harness.ts';

const SUSPEND_AND_SUB = 2 | 4;

async function sendAll(h: BrokerHarness, topic: string, items: Array<{ body: string; tags?: string; props?: Record<string, string> }>): Promise<void> {
  for (const it of items) {
    const r = await h.send(topic, it.body, { tags: it.tags, props: it.props });
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
  }
  h.dispatch();
}

test('SQL92 pull: numeric, string, BETWEEN, IN, IS NULL and TAGS; a missing property never matches', async () => {
  const h = await BrokerHarness.start({ namesrv: false, brokerConfig: { enablePropertyFilter: true } });
  try {
    const topic = uniq('T_sql');
    const group = uniq('CG_sql');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    await sendAll(h, topic, [
      { body: 'm1', tags: 'TagA', props: { a: '1', region: 'eu' } },
      { body: 'm2', tags: 'TagB', props: { a: '5', region: 'us' } },
      { body: 'm3', tags: 'TagA', props: { a: '9', region: 'us' } },
      { body: 'm4', tags: 'TagA' },
      { body: 'm5', props: { a: 'not-a-number' } },
    ]);
    const cases: Array<[string, string[]]> = [
      ['a > 2', ['m2', 'm3']],
      ["a BETWEEN 1 AND 5 AND region = 'us'", ['m2']],
      ["region IN ('eu', 'us') AND TAGS = 'TagA'", ['m1', 'm3']],
      ['a IS NULL', ['m4']],
      ["NOT (region = 'us')", ['m1']],
      ["TAGS <> 'TagA' OR a >= 9", ['m2', 'm3']],
      ['missing = 3', []],
      ['TRUE', ['m1', 'm2', 'm3', 'm4', 'm5']],
    ];
    for (const [expr, want] of cases) {
      const r = await h.pull({ topic, consumerGroup: group, subscription: expr, expressionType: 'SQL92' });
      const got = r.code === ResponseCode.SUCCESS ? decodeBody(r).map((m) => m.body.toString()) : [];
      assert.deepEqual(got, want, `${expr} → ${r.code} ${r.remark ?? ''}`);
      if (want.length === 0) assert.notEqual(r.code, ResponseCode.SUCCESS);
    }
  } finally {
    await h.close();
  }
});

test('a bad SQL92 selector answers 23 with the parse error; SQL92 without enablePropertyFilter answers 1', async () => {
  const h = await BrokerHarness.start({ namesrv: false, brokerConfig: { enablePropertyFilter: true } });
  try {
    const topic = uniq('T_bad');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    for (const expr of ['a >', "a = 'unterminated", 'a IN ()', '']) {
      const r = await h.pull({ topic, consumerGroup: uniq('CG_bad'), subscription: expr, expressionType: 'SQL92' });
      assert.equal(r.code, ResponseCode.SUBSCRIPTION_PARSE_FAILED, `${JSON.stringify(expr)}: ${r.code} ${r.remark ?? ''}`);
      assert.match(r.remark ?? '', /Invalid MessageSelector|SQL92|expression/i);
    }
    const again = await h.pull({ topic, consumerGroup: uniq('CG_bad'), subscription: 'a >', expressionType: 'SQL92' });
    assert.match(again.remark ?? '', /line 1, column \d+/, 'the cached failure keeps the position');
    const unknownType = await h.pull({ topic, consumerGroup: uniq('CG_bad'), subscription: 'x', expressionType: 'XPATH' });
    assert.equal(unknownType.code, ResponseCode.SUBSCRIPTION_PARSE_FAILED);
  } finally {
    await h.close();
  }
  const off = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_off');
    off.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const r = await off.pull({ topic, consumerGroup: uniq('CG_off'), subscription: 'a > 1', expressionType: 'SQL92' });
    assert.equal(r.code, ResponseCode.SYSTEM_ERROR);
    assert.match(r.remark ?? '', /does not support consumer to filter message by SQL92/);
    const tag = await off.pull({ topic, consumerGroup: uniq('CG_off'), subscription: '*', expressionType: 'TAG' });
    assert.equal(tag.code, ResponseCode.PULL_NOT_FOUND, 'TAG still works');
  } finally {
    await off.close();
  }
});

test('long polling with SQL92: only a matching message wakes the parked pull', async () => {
  const h = await BrokerHarness.start({ namesrv: false, brokerConfig: { enablePropertyFilter: true } });
  try {
    const topic = uniq('T_lp');
    const group = uniq('CG_lp');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const hold = h.broker.pullMessageProcessor.hold;
    const pending = h.pull(
      { topic, consumerGroup: group, subscription: "color = 'red' AND size > 10", expressionType: 'SQL92', sysFlag: SUSPEND_AND_SUB, suspendTimeoutMillis: 20_000 },
      30_000,
    );
    const deadline = Date.now() + 10_000;
    while (hold.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(hold.size, 1, 'the pull is parked');
    let answered = false;
    void pending.then(() => {
      answered = true;
    });
    await sendAll(h, topic, [
      { body: 'blue', props: { color: 'blue', size: '20' } },
      { body: 'small-red', props: { color: 'red', size: '5' } },
      { body: 'no-props' },
    ]);
    await new Promise((r) => setImmediate(r));
    assert.equal(hold.size, 1, 'non-matching messages leave it parked');
    assert.equal(answered, false);
    await sendAll(h, topic, [{ body: 'big-red', props: { color: 'red', size: '11' } }]);
    const r = await pending;
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    assert.deepEqual(decodeBody(r).map((m) => m.body.toString()), ['big-red']);
    assert.equal(hold.size, 0);
  } finally {
    await h.close();
  }
});

test('SQL92 from the heartbeat subscription (no subscription in the PULL header)', async () => {
  const h = await BrokerHarness.start({ namesrv: false, brokerConfig: { enablePropertyFilter: true } });
  try {
    const topic = uniq('T_hb');
    const group = uniq('CG_hb');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const hb = {
      clientID: 'cid-sql',
      producerDataSet: [],
      consumerDataSet: [
        {
          groupName: group,
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
          unitMode: false,
          subscriptionDataSet: [
            { topic, subString: 'n >= 2', expressionType: 'SQL92', tagsSet: [], codeSet: [], subVersion: 1, classFilterMode: false },
          ],
        },
      ],
    };
    const r0 = await h.invoke(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(hb)));
    assert.equal(r0.code, ResponseCode.SUCCESS, r0.remark);
    await sendAll(h, topic, [1, 2, 3].map((n) => ({ body: `n${n}`, props: { n: String(n) } })));
    const r = await h.pull({ topic, consumerGroup: group, sysFlag: 0, subscription: undefined, subVersion: 1 });
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    assert.deepEqual(decodeBody(r).map((m) => m.body.toString()), ['n2', 'n3']);
  } finally {
    await h.close();
  }
});
