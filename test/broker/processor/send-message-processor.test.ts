// SEND_MESSAGE 10 / SEND_MESSAGE_V2 310 / SEND_BATCH_MESSAGE 320 over the wire: every validation error with its code and
// remark (§2.2), auto-create from TBW102, random queue for queueId < 0, batches, DLQ routing, store statuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeBatchBody } from '../../../src/common/message/message-batch.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { decodeSendHeaderV2 } from '../../../src/broker/processor/send-message-processor.ts';
import {
  SendMessageRequestHeader,
  SendMessageRequestHeaderV2,
  sendHeaderV2ToV1,
} from '../../../src/remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { BrokerHarness, decodeBody, uniq } from '../../integration/broker-harness.ts';

function v2(topic: string, fields: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return { a: 'PG', b: topic, c: 'TBW102', d: 4, e: 0, f: 0, g: Date.now(), h: 0, i: '', ...fields };
}

test('send validation: topic rules, system topics, queue range, sizes, missing fields', async () => {
  const h = await BrokerHarness.start({ namesrv: false, messageStoreConfig: { maxMessageSize: 1024 } });
  try {
    const topic = uniq('T_val');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    const cases: Array<[string, Promise<{ code: number; remark: string | undefined }>, number, RegExp]> = [
      ['illegal chars', h.send('bad topic!', 'x'), ResponseCode.INVALID_PARAMETER, /illegal characters/],
      ['too long', h.send('t'.repeat(128), 'x'), ResponseCode.INVALID_PARAMETER, /longer than topic max length/],
      ['system topic', h.send('SCHEDULE_TOPIC_XXXX', 'x'), ResponseCode.NO_PERMISSION, /forbidden/],
      ['TBW102', h.send('TBW102', 'x'), ResponseCode.NO_PERMISSION, /forbidden/],
      ['queueId too big', h.send(topic, 'x', { queueId: 2 }), ResponseCode.INVALID_PARAMETER, /queueId\[2\] is illegal/],
      ['body too big', h.send(topic, Buffer.alloc(1025)), ResponseCode.MESSAGE_ILLEGAL, /body size 1025 bytes exceeds the limit of 1024/],
      [
        'properties too big',
        h.send(topic, 'x', { props: { big: 'p'.repeat(32_800) } }),
        ResponseCode.MESSAGE_ILLEGAL,
        /properties size \d+ bytes exceeds the limit of 32767/,
      ],
      ['missing field', h.invoke(RequestCode.SEND_MESSAGE_V2, { a: 'PG', b: topic }, Buffer.from('x')), ResponseCode.SYSTEM_ERROR, /missing required field 'c'/],
      ['bad number', h.invoke(RequestCode.SEND_MESSAGE_V2, v2(topic, { e: 'zero' }), Buffer.from('x')), ResponseCode.SYSTEM_ERROR, /field 'e' must be an integer/],
    ];
    for (const [what, p, code, remark] of cases) {
      const r = await p;
      assert.equal(r.code, code, `${what}: ${r.remark}`);
      assert.match(r.remark ?? '', remark, what);
    }
    assert.equal(h.broker.store.getMaxOffsetInQueue(topic, 0), 0, 'nothing was stored');
  } finally {
    await h.close();
  }
});

test('unknown topic: auto-created from TBW102 with min(d, 8) queues; refused with 17 when auto-create is off', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_auto');
    const r = await h.invoke(RequestCode.SEND_MESSAGE_V2, v2(topic, { d: 3, e: 2 }), Buffer.from('x'));
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    const tc = h.broker.topicConfigManager.selectTopicConfig(topic);
    assert.equal(tc?.writeQueueNums, 3);
    assert.equal(tc?.perm, 6);
  } finally {
    await h.close();
  }
  const off = await BrokerHarness.start({ namesrv: false, brokerConfig: { autoCreateTopicEnable: false } });
  try {
    const r = await off.invoke(RequestCode.SEND_MESSAGE_V2, v2(uniq('T_noauto')), Buffer.from('x'));
    assert.equal(r.code, ResponseCode.TOPIC_NOT_EXIST);
    assert.match(r.remark ?? '', /not exist, apply first please/);
  } finally {
    await off.close();
  }
});

test('SEND_MESSAGE (10, long names) works; queueId -1 picks a queue in range; flag and bornTimestamp are stored', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_v1');
    h.createTopic(topic, { readQueueNums: 3, writeQueueNums: 3 });
    const ext = SendMessageRequestHeader.encode({
      producerGroup: 'PG',
      topic,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: -1,
      sysFlag: 0,
      bornTimestamp: 1_700_000_000_000,
      flag: 7,
      properties: encodeProperties({ TAGS: 'T', UNIQ_KEY: '0102030405060708090A0B0C0D0E0F10' }),
    });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await h.invoke(RequestCode.SEND_MESSAGE, ext, Buffer.from(`m${i}`));
      assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
      const q = Number(r.ext('queueId'));
      assert.ok(q >= 0 && q < 3, `queue ${q}`);
      seen.add(String(q));
      assert.equal(r.ext('transactionId'), '0102030405060708090A0B0C0D0E0F10', 'client UNIQ_KEY kept');
    }
    h.dispatch();
    let total = 0;
    for (let q = 0; q < 3; q++) total += h.broker.store.getMaxOffsetInQueue(topic, q);
    assert.equal(total, 12);
    const pulled = await h.pull({ topic, consumerGroup: 'G_v1', queueId: Number([...seen][0]) });
    const m = decodeBody(pulled)[0];
    assert.equal(m.flag, 7);
    assert.equal(m.bornTimestamp, 1_700_000_000_000);
  } finally {
    await h.close();
  }
});

test('batch: consecutive offsets, comma-joined msgIds; batch rules → 13', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_batch');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const body = encodeBatchBody([0, 1, 2].map((i) => ({ body: Buffer.from(`b${i}`), properties: { KEYS: `bk${i}`, TAGS: 'B' } })));
    const r = await h.invoke(RequestCode.SEND_BATCH_MESSAGE, v2(topic, { m: true }), body);
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    assert.equal(r.ext('queueOffset'), '0');
    const ids = (r.ext('msgId') ?? '').split(',');
    assert.equal(ids.length, 3);
    h.dispatch();
    const msgs = decodeBody(await h.pull({ topic, consumerGroup: 'G_b' }));
    assert.deepEqual(msgs.map((m) => [m.body.toString(), m.queueOffset, m.msgId, m.properties.KEYS]), [
      ['b0', 0, ids[0], 'bk0'],
      ['b1', 1, ids[1], 'bk1'],
      ['b2', 2, ids[2], 'bk2'],
    ]);

    const bad: Array<[string, Promise<{ code: number; remark: string | undefined }>, RegExp]> = [
      ['retry topic', h.invoke(RequestCode.SEND_BATCH_MESSAGE, v2('%RETRY%G_b'), body), /does not support retry group/],
      ['delay', h.invoke(RequestCode.SEND_BATCH_MESSAGE, v2(topic, { i: encodeProperties({ DELAY: '2' }) }), body), /delay level/],
      ['malformed', h.invoke(RequestCode.SEND_BATCH_MESSAGE, v2(topic), Buffer.from([0, 0, 0, 9, 1])), /batch body is malformed/],
      ['empty', h.invoke(RequestCode.SEND_BATCH_MESSAGE, v2(topic), Buffer.alloc(0)), /contains no message/],
    ];
    for (const [what, p, remark] of bad) {
      const res = await p;
      assert.equal(res.code, ResponseCode.MESSAGE_ILLEGAL, `${what}: ${res.remark}`);
      assert.match(res.remark ?? '', remark, what);
    }
  } finally {
    await h.close();
  }
});

test('batch: entry properties kept as sent or merged — both give the batch-level pairs, CLUSTER and a UNIQ_KEY', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_batchprops');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const entries: Array<Record<string, string>> = [
      { KEYS: 'k0', UNIQ_KEY: 'U0' }, // as sent + appended pairs
      { KEYS: 'k1' }, // no UNIQ_KEY: the broker makes one
      { UNIQ_KEY: 'U2', CLUSTER: 'client-said', WAIT: 'false' }, // CLUSTER replaced by the broker's
      { UNIQ_KEY: 'U3', B: 'entry' }, // a batch-level key overrides the entry's
      { UNIQ_KEY: 'U4', WAIT: 'true', KEYS: 'k4' }, // batch-level key with the batch's value: kept as sent
    ];
    const body = encodeBatchBody(entries.map((properties, i) => ({ body: Buffer.from(`e${i}`), properties })));
    const r = await h.invoke(RequestCode.SEND_BATCH_MESSAGE, v2(topic, { m: true, i: encodeProperties({ B: 'batch', WAIT: 'true' }) }), body);
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    h.dispatch();
    const msgs = decodeBody(await h.pull({ topic, consumerGroup: 'G_bp' }));
    assert.equal(msgs.length, 5);
    const cluster = h.broker.brokerConfig.brokerClusterName;
    for (const [i, m] of msgs.entries()) {
      assert.equal(m.properties.CLUSTER, cluster, `entry ${i}`);
      assert.equal(m.properties.B, 'batch', `entry ${i}`);
      assert.equal(m.properties.WAIT, 'true', `entry ${i}`);
      assert.match(m.properties.UNIQ_KEY ?? '', /\S/, `entry ${i}`);
    }
    assert.equal(msgs[0].properties.UNIQ_KEY, 'U0');
    assert.equal(msgs[0].properties.KEYS, 'k0');
    assert.equal(msgs[1].properties.KEYS, 'k1');
    assert.equal(msgs[2].properties.UNIQ_KEY, 'U2');
    assert.equal(msgs[4].properties.KEYS, 'k4');
    const delayed = encodeBatchBody([{ body: Buffer.from('d'), properties: { UNIQ_KEY: 'U9', DELAY: '3' } }]);
    const d = await h.invoke(RequestCode.SEND_BATCH_MESSAGE, v2(topic, { m: true }), delayed);
    assert.equal(d.code, ResponseCode.MESSAGE_ILLEGAL);
    assert.match(d.remark ?? '', /batch message #0: a batch message cannot have a delay level/);
  } finally {
    await h.close();
  }
});

test('single sends: properties stored as sent + CLUSTER, or decoded and stamped when the broker must act on them', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_props');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const cases: Array<Record<string, string>> = [
      { UNIQ_KEY: 'U0', KEYS: 'k0', WAIT: 'true' }, // kept as sent, CLUSTER appended
      { KEYS: 'k1' }, // no UNIQ_KEY: the broker makes one
      { UNIQ_KEY: 'U2', CLUSTER: 'client-said' }, // CLUSTER replaced
      { UNIQ_KEY: 'U3', TAGS: 'T', '123': 'numeric key' },
    ];
    for (const props of cases) {
      const r = await h.invoke(RequestCode.SEND_MESSAGE_V2, v2(topic, { i: encodeProperties(props) }), Buffer.from('x'));
      assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
      if (props.UNIQ_KEY !== undefined) assert.equal(r.ext('transactionId'), props.UNIQ_KEY);
    }
    h.dispatch();
    const msgs = decodeBody(await h.pull({ topic, consumerGroup: 'G_props' }));
    assert.equal(msgs.length, cases.length);
    const cluster = h.broker.brokerConfig.brokerClusterName;
    msgs.forEach((m, i) => {
      assert.deepEqual({ ...m.properties }, { ...cases[i], UNIQ_KEY: cases[i].UNIQ_KEY ?? m.properties.UNIQ_KEY, CLUSTER: cluster }, `case ${i}`);
      assert.match(m.properties.UNIQ_KEY ?? '', /^[0-9A-F]{32}$|^U\d$/);
    });
  } finally {
    await h.close();
  }
});

test('%RETRY% sends: unknown group → 26 when groups are not auto-created; past maxReconsumeTimes → %DLQ%', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const group = uniq('G_dlq');
    const r = await h.invoke(RequestCode.SEND_MESSAGE_V2, v2(`%RETRY%${group}`, { j: 3, l: 2 }), Buffer.from('again'));
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    h.dispatch();
    assert.equal(h.broker.store.getMaxOffsetInQueue(`%DLQ%${group}`, 0), 1, 'went to the DLQ');
    assert.equal(h.broker.store.getMaxOffsetInQueue(`%RETRY%${group}`, 0), 0);
  } finally {
    await h.close();
  }
  const strict = await BrokerHarness.start({ namesrv: false, brokerConfig: { autoCreateSubscriptionGroup: false } });
  try {
    const r = await strict.invoke(RequestCode.SEND_MESSAGE_V2, v2(`%RETRY%${uniq('G_none')}`), Buffer.from('x'));
    assert.equal(r.code, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    assert.match(r.remark ?? '', /subscription group not exist/);
  } finally {
    await strict.close();
  }
});

test('store statuses: disk full → 14 saying so; SYNC_FLUSH waits, and a stalled flush → 10 FLUSH_DISK_TIMEOUT with the header', async () => {
  const full = await BrokerHarness.start({ namesrv: false, diskUsage: () => 99 });
  try {
    const topic = uniq('T_full');
    full.createTopic(topic);
    const r = await full.send(topic, 'x');
    assert.equal(r.code, ResponseCode.SERVICE_NOT_AVAILABLE);
    assert.match(r.remark ?? '', /disk is full/);
  } finally {
    await full.close();
  }

  let stall = false;
  const waiting: Array<() => void> = [];
  const h = await BrokerHarness.start({
    namesrv: false,
    messageStoreConfig: { flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 200 },
    fdatasync: () => (stall ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve()),
  });
  try {
    const topic = uniq('T_sync');
    h.createTopic(topic);
    const ok = await h.send(topic, 'flushed');
    assert.equal(ok.code, ResponseCode.SUCCESS, ok.remark);
    stall = true;
    const late = await h.send(topic, 'not flushed in time');
    assert.equal(late.code, ResponseCode.FLUSH_DISK_TIMEOUT, late.remark);
    assert.equal(late.ext('queueOffset'), '1', 'stored: the header is there');
    assert.ok(late.ext('msgId'));
  } finally {
    stall = false;
    for (const w of waiting) w();
    await h.close();
  }
});

test('V2 header codec round-trips the V1 fields', () => {
  const ext = SendMessageRequestHeaderV2.encode(v2('T', { j: 1, k: true, l: 16 }));
  const back = SendMessageRequestHeaderV2.decode(ext);
  assert.equal(back.b, 'T');
  assert.equal(back.k, true);
  assert.equal(back.l, 16);
});

/** What the spec-driven codec makes of `ext`: the header, or the error it throws. */
function genericDecode(ext: Record<string, string> | undefined): unknown {
  try {
    return sendHeaderV2ToV1(SendMessageRequestHeaderV2.decode(ext));
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function fastDecode(ext: Record<string, string> | undefined): unknown {
  try {
    return decodeSendHeaderV2(ext);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

test('fast SEND_MESSAGE_V2 header decode gives exactly what the generic header codec gives (or its error)', () => {
  const typical = SendMessageRequestHeaderV2.encode(
    v2('FastTopic', { d: 4, e: 3, f: 0, g: 1_700_000_000_123, h: 0, i: 'UNIQ_KEY\u0001abc\u0002', j: 0, k: false, l: 16, m: false, n: 'b' }),
  );
  const decoded = decodeSendHeaderV2(typical);
  assert.equal(decoded.topic, 'FastTopic');
  assert.equal(decoded.bornTimestamp, 1_700_000_000_123);
  assert.equal(decoded.maxReconsumeTimes, 16);
  assert.deepEqual(decoded, genericDecode(typical));
  assert.deepEqual(fastDecode(undefined), genericDecode(undefined));
  assert.match(JSON.stringify(fastDecode({ ...typical, b: undefined as unknown as string })), /missing required field 'b'/);

  const numberText = fc.oneof(
    fc.integer({ min: -1000, max: 100_000 }).map(String),
    fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map(String),
    fc.constantFrom('', ' 7', '+5', '07', '1e3', 'x', '-0', '99999999999999999', '2147483648', '-2147483649', '1.5'),
  );
  let decodedOk = 0;
  const boolText = fc.oneof(fc.constantFrom('true', 'false'), fc.constantFrom('TRUE', ' true', '', 'yes'));
  const field = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: undefined, freq: 8 });
  fc.assert(
    fc.property(
      fc.record({
        a: field(fc.string()),
        b: field(fc.string()),
        c: field(fc.string()),
        d: field(numberText),
        e: field(numberText),
        f: field(numberText),
        g: field(fc.oneof(numberText, fc.constantFrom('1700000000000123', '-170000000000000'))),
        h: field(numberText),
        i: field(fc.string()),
        j: field(numberText),
        k: field(boolText),
        l: field(numberText),
        m: field(boolText),
        n: field(fc.string()),
      }),
      (raw) => {
        const ext: Record<string, string> = {};
        for (const [k, v] of Object.entries(raw)) if (v !== undefined) ext[k] = v;
        const generic = genericDecode(ext);
        if (!(typeof generic === 'object' && generic !== null && 'error' in generic)) decodedOk++;
        assert.deepEqual(fastDecode(ext), generic);
      },
    ),
    { numRuns: 2000 },
  );
  assert.ok(decodedOk > 20, `the generated headers must include many valid ones (${decodedOk})`);
});
