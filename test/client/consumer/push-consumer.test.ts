import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushConsumer } from '../../../src/client/consumer/push-consumer.ts';
import type { PushConsumerOptions } from '../../../src/client/consumer/push-consumer.ts';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener.ts';
import type { MessageExt } from '../../../src/client/consumer/message-ext.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { FakeNamesrv, routeOf, uniqueName, until } from '../helpers.ts';
import { FakeConsumerBroker } from './fake-consumer-broker.ts';

interface Env {
  ns: FakeNamesrv;
  broker: FakeConsumerBroker;
  topic: string;
  group: string;
  close(): Promise<void>;
  options(extra?: Partial<PushConsumerOptions>): PushConsumerOptions;
}

async function env(queues = 2): Promise<Env> {
  const ns = new FakeNamesrv();
  const broker = new FakeConsumerBroker();
  await ns.start();
  await broker.start();
  const topic = uniqueName('T');
  const group = uniqueName('G');
  ns.routes.set(topic, routeOf([{ name: broker.name, addr: broker.address, queues }]));
  ns.routes.set(`%RETRY%${group}`, routeOf([{ name: broker.name, addr: broker.address, queues: 1 }]));
  return {
    ns,
    broker,
    topic,
    group,
    options: (extra = {}) => ({
      namesrvAddr: ns.address,
      instanceName: uniqueName('inst'),
      clientIP: '127.0.0.1',
      group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      pullTimeDelayMillsWhenException: 20,
      ...extra,
    }),
    close: async () => {
      await broker.shutdown();
      await ns.shutdown();
    },
  };
}

test('clustering: tag subscription, client-side filter, retry subscription, commit at shutdown, unregister', async () => {
  const e = await env(2);
  try {
    e.broker.put(e.topic, 0, [{ body: 'a0', tags: 'A', keys: 'k1 k2' }, { body: 'c0', tags: 'C' }, { body: 'b0', tags: 'B' }]);
    e.broker.put(e.topic, 1, [{ body: 'a1', tags: 'A' }, { body: 'none' }]);
    const got: MessageExt[] = [];
    const c = new PushConsumer(e.options());
    c.subscribe(e.topic, 'A || B').onMessage((msgs) => {
      got.push(...msgs);
    });
    await c.start();
    await until(() => got.length >= 3, 'three A/B messages consumed');
    assert.deepEqual(got.map((m) => m.body.toString()).sort(), ['a0', 'a1', 'b0']);
    const a0 = got.find((m) => m.body.toString() === 'a0') as MessageExt;
    assert.equal(a0.topic, e.topic);
    assert.equal(a0.tags, 'A');
    assert.deepEqual(a0.keys, ['k1', 'k2']);
    assert.equal(a0.queueId, 0);
    assert.equal(a0.queueOffset, 0);
    assert.equal(a0.brokerName, e.broker.name);
    assert.equal(a0.msgId, a0.offsetMsgId, 'no UNIQ_KEY: msgId falls back to offsetMsgId');
    assert.equal(a0.properties.MAX_OFFSET, '3');
    assert.equal(a0.storeHost, e.broker.address);
    // The heartbeat carries the subscription and the automatic %RETRY% one.
    const hb = JSON.parse(e.broker.received(RequestCode.HEART_BEAT)[0].body?.toString() ?? '') as {
      consumerDataSet: Array<{ consumeType: string; messageModel: string; subscriptionDataSet: Array<{ topic: string; subString: string; tagsSet: string[] }> }>;
    };
    const cd = hb.consumerDataSet[0];
    assert.equal(cd.consumeType, 'CONSUME_PASSIVELY');
    assert.equal(cd.messageModel, 'CLUSTERING');
    assert.deepEqual(cd.subscriptionDataSet.map((s) => [s.topic, s.subString]).sort(), [[`%RETRY%${e.group}`, '*'], [e.topic, 'A || B']].sort());
    // Pulls post the subscription (sysFlag SUBSCRIPTION|SUSPEND) with a 15 s suspend.
    const pull = e.broker.received(RequestCode.PULL_MESSAGE).find((r) => r.ext('topic') === e.topic);
    assert.ok(pull);
    assert.equal(Number(pull.ext('sysFlag')) & 6, 6);
    assert.equal(pull.ext('suspendTimeoutMillis'), '15000');
    assert.equal(pull.ext('subscription'), 'A || B');
    assert.equal(pull.ext('maxMsgNums'), '32');
    await c.shutdown();
    assert.equal(e.broker.committed(e.group, e.topic, 0), 3);
    assert.equal(e.broker.committed(e.group, e.topic, 1), 2);
    const unreg = e.broker.received(RequestCode.UNREGISTER_CLIENT);
    assert.equal(unreg.length, 1);
    assert.equal(unreg[0].ext('consumerGroup'), e.group);
  } finally {
    await e.close();
  }
});

test('start offset: stored offset wins; LAST asks GET_MAX_OFFSET; retry topic starts at 0', async () => {
  const e = await env(2);
  try {
    e.broker.put(e.topic, 0, [{ body: 'old0' }, { body: 'old1' }, { body: 'new2' }]);
    e.broker.put(e.topic, 1, [{ body: 'old' }]);
    e.broker.offsets.set(`${e.group}@${e.topic}:0`, 2);
    const got: string[] = [];
    const c = new PushConsumer(e.options({ consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET' }));
    c.subscribe(e.topic).onMessage((msgs) => {
      for (const m of msgs) got.push(m.body.toString());
    });
    await c.start();
    e.broker.put(e.topic, 1, [{ body: 'new1' }]);
    await until(() => got.length >= 2, 'two new messages');
    assert.deepEqual(got.sort(), ['new1', 'new2']);
    const maxReqs = e.broker.received(RequestCode.GET_MAX_OFFSET).map((r) => `${r.ext('topic')}:${r.ext('queueId')}`);
    assert.deepEqual(maxReqs, [`${e.topic}:1`], 'only the queue without a stored offset, and never the retry topic');
    await c.shutdown();
  } finally {
    await e.close();
  }
});

test('pull codes: 20 and 19 keep going, 21 moves the offset and restarts the queue, errors back off', async () => {
  const e = await env(1);
  try {
    e.broker.put(e.topic, 0, [{ body: 'm0' }, { body: 'm1' }, { body: 'm2' }, { body: 'm3' }]);
    const key = `${e.topic}:0`;
    e.broker.pullScript.set(key, [
      { code: ResponseCode.PULL_RETRY_IMMEDIATELY, nextBeginOffset: 0 },
      { code: ResponseCode.SYSTEM_ERROR },
      { code: ResponseCode.PULL_NOT_FOUND, nextBeginOffset: 0 },
      { code: ResponseCode.PULL_OFFSET_MOVED, nextBeginOffset: 2 },
    ]);
    const got: string[] = [];
    const c = new PushConsumer(e.options({ offsetMovedDelay: 0 }));
    c.subscribe(e.topic).onMessage((msgs) => {
      for (const m of msgs) got.push(m.body.toString());
    });
    await c.start();
    await until(() => got.length >= 2, 'messages after the moved offset');
    assert.deepEqual(got, ['m2', 'm3'], 'messages before nextBeginOffset of the 21 reply are skipped');
    assert.equal(e.broker.pullScript.get(key)?.length, 0);
    // The moved offset was committed with an awaited UPDATE_CONSUMER_OFFSET before the queue was restarted.
    const updates = e.broker.received(RequestCode.UPDATE_CONSUMER_OFFSET).filter((r) => r.ext('topic') === e.topic);
    assert.ok(updates.some((r) => r.ext('commitOffset') === '2' && !r.isOneway));
    await c.shutdown();
    assert.equal(e.broker.committed(e.group, e.topic, 0), 4);
  } finally {
    await e.close();
  }
});

test('flow control: no pull while more than pullThresholdForQueue messages are cached', async () => {
  const e = await env(1);
  try {
    e.broker.put(e.topic, 0, Array.from({ length: 40 }, (_, i) => ({ body: `m${i}` })));
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let consumed = 0;
    const c = new PushConsumer(e.options({ pullBatchSize: 4, pullThresholdForQueue: 5, consumeConcurrency: 1 }));
    c.subscribe(e.topic).onMessage(async () => {
      await gate;
      consumed++;
    });
    await c.start();
    const pullsOf = (): number => e.broker.received(RequestCode.PULL_MESSAGE).filter((r) => r.ext('topic') === e.topic).length;
    await until(() => pullsOf() >= 2, 'two pulls');
    // 4 + 4 cached > 5: the consumer must stop pulling until the listener makes progress.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(pullsOf(), 2);
    release();
    await until(() => consumed === 40, 'everything consumed once the listener moves');
    await c.shutdown();
    assert.equal(e.broker.committed(e.group, e.topic, 0), 40);
  } finally {
    await e.close();
  }
});

test('failed messages are sent back (delay level from the context) and the offset moves past them', async () => {
  const e = await env(1);
  try {
    e.broker.put(e.topic, 0, [{ body: 'ok0' }, { body: 'bad1' }, { body: 'ok2' }, { body: 'throw3' }]);
    const c = new PushConsumer(e.options());
    let calls = 0;
    c.subscribe(e.topic).onMessage((msgs, ctx) => {
      calls++;
      const body = msgs[0].body.toString();
      if (body === 'bad1') {
        ctx.delayLevelWhenNextConsume = 5;
        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
      }
      if (body === 'throw3') throw new Error('boom');
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c.start();
    await until(() => e.broker.received(RequestCode.CONSUMER_SEND_MSG_BACK).length === 2 && calls === 4, 'two send-backs');
    const backs = e.broker.received(RequestCode.CONSUMER_SEND_MSG_BACK);
    const byLevel = new Map(backs.map((r) => [r.ext('delayLevel'), r]));
    assert.ok(byLevel.has('5') && byLevel.has('0'));
    for (const r of backs) {
      assert.equal(r.ext('group'), e.group);
      assert.equal(r.ext('maxReconsumeTimes'), '16');
      assert.equal(r.ext('originTopic'), e.topic);
      assert.match(r.ext('offset') ?? '', /^\d+$/);
    }
    await c.shutdown();
    assert.equal(e.broker.committed(e.group, e.topic, 0), 4);
  } finally {
    await e.close();
  }
});

test('shutdown commits exactly what was consumed: a message in flight is neither committed nor sent back (rocketmq#7182)', async () => {
  const e = await env(1);
  try {
    e.broker.put(e.topic, 0, [{ body: 'm0' }, { body: 'm1' }, { body: 'm2' }, { body: 'm3' }]);
    let inFlight!: () => void;
    const blocked = new Promise<void>((r) => {
      inFlight = r;
    });
    const seen: string[] = [];
    const c = new PushConsumer(e.options({ consumeConcurrency: 1, shutdownAwaitTime: 50 }));
    c.subscribe(e.topic).onMessage(async (msgs) => {
      const b = msgs[0].body.toString();
      seen.push(b);
      if (b === 'm2') {
        inFlight();
        await new Promise(() => undefined); // never finishes
      }
    });
    await c.start();
    await blocked;
    await c.shutdown();
    assert.deepEqual(seen, ['m0', 'm1', 'm2']);
    assert.equal(e.broker.committed(e.group, e.topic, 0), 2, 'the next owner starts at the message that was in flight');
    assert.equal(e.broker.received(RequestCode.CONSUMER_SEND_MSG_BACK).length, 0);
  } finally {
    await e.close();
  }
});

test('async iterator: consumed when the loop asks for more; a message held at break goes to the next loop', async () => {
  const e = await env(1);
  try {
    e.broker.put(e.topic, 0, [{ body: 'm0' }, { body: 'm1' }, { body: 'm2' }]);
    const c = new PushConsumer(e.options());
    c.subscribe(e.topic);
    const first: string[] = [];
    const it = c.messages();
    await c.start();
    for await (const m of it) {
      first.push(m.body.toString());
      if (first.length === 2) break;
    }
    assert.deepEqual(first, ['m0', 'm1']);
    const ac = new AbortController();
    const second: string[] = [];
    for await (const m of c.messages({ signal: ac.signal })) {
      second.push(m.body.toString());
      // Abort while the loop waits for a fourth message that never comes.
      if (second.length === 2) setTimeout(() => ac.abort(), 20);
    }
    assert.deepEqual(second, ['m1', 'm2'], 'm1 was not confirmed by the first loop, so the next loop gets it first');
    await c.shutdown();
    assert.equal(e.broker.committed(e.group, e.topic, 0), 3);
  } finally {
    await e.close();
  }
});

test('rebalance on member change: NOTIFY_CONSUMER_IDS_CHANGED splits and re-merges the queues', async () => {
  const e = await env(4);
  try {
    const noop = (): void => undefined;
    const c1 = new PushConsumer(e.options({ instanceName: 'a-first' }));
    c1.subscribe(e.topic).onMessage(noop);
    await c1.start();
    assert.equal(c1.assignedQueues().filter((q) => q.topic === e.topic).length, 4);
    const c2 = new PushConsumer(e.options({ instanceName: 'b-second' }));
    c2.subscribe(e.topic).onMessage(noop);
    await c2.start();
    const mine = (c: PushConsumer): number[] => c.assignedQueues().filter((q) => q.topic === e.topic).map((q) => q.queueId).sort();
    await until(() => mine(c1).length === 2, 'c1 gave up two queues after the notification');
    assert.deepEqual(mine(c1), [0, 1], 'Averagely: first consumer id gets the first block');
    assert.deepEqual(mine(c2), [2, 3]);
    await c2.shutdown();
    await until(() => mine(c1).length === 4, 'c1 takes every queue back');
    await c1.shutdown();
  } finally {
    await e.close();
  }
});

test('broadcasting: every consumer gets every message; offsets go to the local file', async () => {
  const e = await env(2);
  const { mkdtempSync, rmSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'rmq-ts-bcast-'));
  try {
    e.broker.put(e.topic, 0, [{ body: 'x0' }, { body: 'x1' }]);
    e.broker.put(e.topic, 1, [{ body: 'y0' }]);
    const got = [new Array<string>(), new Array<string>()];
    const cs = [0, 1].map((i) => {
      const c = new PushConsumer(e.options({ messageModel: 'BROADCASTING', offsetStoreFile: join(dir, `c${i}.json`) }));
      c.subscribe(e.topic).onMessage((msgs) => {
        for (const m of msgs) got[i].push(m.body.toString());
      });
      return c;
    });
    for (const c of cs) await c.start();
    await until(() => got[0].length === 3 && got[1].length === 3, 'both got all three');
    assert.deepEqual(got[0].sort(), ['x0', 'x1', 'y0']);
    assert.deepEqual(got[1].sort(), ['x0', 'x1', 'y0']);
    for (const c of cs) await c.shutdown();
    const file = JSON.parse(readFileSync(join(dir, 'c0.json'), 'utf8')) as { offsetTable: Array<{ queueId: number; offset: number }> };
    assert.deepEqual(file.offsetTable.map((o) => [o.queueId, o.offset]).sort(), [[0, 2], [1, 1]]);
    assert.equal(e.broker.received(RequestCode.GET_CONSUMER_LIST_BY_GROUP).length, 0, 'broadcasting does not ask for members');
    assert.equal(e.broker.offsets.size, 0, 'nothing committed to the broker');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await e.close();
  }
});
