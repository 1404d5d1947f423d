// Real-client acceptance (issue 7): the npm client ali-ons 3.12.0 against the standalone server started the README's
// way (child process, see standalone-server.ts). The six cases run concurrently against one server, each with its own
// topic and group; the slowest (a retry after delay level 3 = 10 s) bounds the suite. Facts about the client:
// ../shared/reference/real-clients.md §1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseLenientJson } from '../../../src/common/lenient-json.ts';
import {
  closeAll, keyOf, newMessage, onsLogTail, sleep, startConsumer, startProducer, waitUntil,
} from './ali-ons-client.ts';
import type { OnsProducer, TrackedConsumer } from './ali-ons-client.ts';
import { StandaloneServer } from './standalone-server.ts';

const QUEUES = 4;
/** Default messageDelayLevel: level 2 = 5 s, level 3 = 10 s (the first retry). */
const LEVEL_2_MS = 5_000;
const LEVEL_3_MS = 10_000;

let seq = 0;
function uniq(prefix: string): string {
  seq++;
  return `${prefix}_${process.pid}_${seq}`;
}

/** After the expected messages arrived: a few more pull/rebalance rounds (1 s each) in which nothing else may come. */
const QUIET_MS = 2_000;

function duplicates(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
}

/** consumerOffset.json (PROTOCOL.md §7.7: fastjson-style, bare integer queue keys) → topic@group → sum of offsets. */
function offsetTableOnDisk(text: string): Map<string, number> {
  const root = parseLenientJson(text);
  const table = typeof root === 'object' && root !== null && 'offsetTable' in root ? root.offsetTable : undefined;
  const out = new Map<string, number>();
  if (typeof table !== 'object' || table === null) return out;
  for (const [pair, queues] of Object.entries(table)) {
    if (typeof queues !== 'object' || queues === null) continue;
    out.set(pair, Object.values(queues).reduce((n: number, v) => n + Number(v), 0));
  }
  return out;
}

describe('ali-ons against the standalone server', { concurrency: true }, () => {
  let server: StandaloneServer | undefined;
  let producer: OnsProducer;

  before(async () => {
    server = await StandaloneServer.start();
    producer = await startProducer(server.namesrvAddr, uniq('PID_accept'));
  });

  /** topic@group → how many messages its committed offsets must cover on disk after the shutdown. */
  const committedOnDisk = new Map<string, number>();
  const topics: string[] = [];

  after(async () => {
    await closeAll();
    if (server === undefined) return;
    try {
      const code = await server.stop();
      assert.equal(code, 0, `SIGTERM ends the server with exit code 0; output:\n${server.output().slice(-4000)}`);
      // Clean shutdown persisted configs and offsets (issue 7: "flush, offsets and configs persisted").
      const offsets = offsetTableOnDisk(server.readDataFile('config/consumerOffset.json'));
      for (const [pair, total] of committedOnDisk) assert.equal(offsets.get(pair), total, `consumerOffset.json: ${pair}`);
      const topicsJson = server.readDataFile('config/topics.json');
      for (const t of topics) assert.ok(topicsJson.includes(t), `topics.json has ${t}`);
    } finally {
      await server.remove();
    }
  });

  function srv(): StandaloneServer {
    assert.ok(server !== undefined, 'the server started');
    return server;
  }

  async function createTopic(topic: string): Promise<void> {
    topics.push(topic);
    await srv().createTopic(topic, QUEUES);
  }

  async function send(topic: string, tag: string, body: string, opts: Parameters<typeof newMessage>[3] = {}): Promise<{ queueId: number; msgId: string }> {
    const r = await producer.send(newMessage(topic, tag, body, opts));
    assert.equal(r.sendStatus, 'SEND_OK');
    return { queueId: r.messageQueue.queueId, msgId: r.msgId };
  }

  it('1,000 keyed messages over TagA/TagB/TagC: TagA || TagB consumed exactly once, TagC never pulled', async () => {
    const topic = uniq('TP_tags');
    const group = uniq('GID_tags');
    await createTopic(topic);
    const tags = ['TagA', 'TagB', 'TagC'];
    const wanted: string[] = [];
    for (let i = 0; i < 1000; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) => {
          const n = i + j;
          const tag = tags[n % 3];
          if (tag !== 'TagC') wanted.push(`key-${n}`);
          return send(topic, tag, `body-${n}`, { keys: [`key-${n}`] });
        }),
      );
    }
    assert.equal(wanted.length, 667);
    const c = await startConsumer(srv().namesrvAddr, group, topic, 'TagA || TagB');
    await waitUntil('every TagA/TagB message', () => c.received.length >= wanted.length, 30_000);
    await sleep(QUIET_MS);
    const got = c.received.map(keyOf);
    assert.deepEqual(duplicates(got), [], 'no message delivered twice');
    assert.deepEqual([...got].sort(), [...wanted].sort(), 'every TagA/TagB message by key');
    for (const m of c.received) {
      assert.ok(m.tags === 'TagA' || m.tags === 'TagB');
      assert.equal(m.body.toString(), `body-${keyOf(m).slice(4)}`);
    }
    const pulledOfTopic = c.pulled.filter((p) => p.topic === topic);
    assert.ok(pulledOfTopic.length >= wanted.length, 'the spy saw the raw pulls');
    assert.deepEqual(pulledOfTopic.filter((p) => p.tags === 'TagC').map((p) => p.keys), [], 'the broker never returned a TagC message');
  });

  it('ordered delivery per sharding key: one queue per key, handler order = send order', async () => {
    const topic = uniq('TP_order');
    const group = uniq('GID_order');
    await createTopic(topic);
    // ali-ons pins queueIds[md5(key) % n] but treats queueId 0 as "not pinned" (real-clients.md §1.4): use keys off 0.
    const indexOf = (k: string): number => createHash('md5').update(k).digest().readUInt32BE(0) % QUEUES;
    const keys: string[] = [];
    for (let i = 0; keys.length < 3; i++) {
      const k = `order-${i}`;
      if (indexOf(k) !== 0 && !keys.some((o) => indexOf(o) === indexOf(k))) keys.push(k);
    }
    const PER_KEY = 40;
    const queueOfKey = new Map<string, Set<number>>(keys.map((k) => [k, new Set()]));
    for (let i = 0; i < PER_KEY; i++) {
      for (const k of keys) {
        const r = await send(topic, 'TagO', `${k}#${i}`, { keys: [`${k}#${i}`], shardingKey: k });
        queueOfKey.get(k)?.add(r.queueId);
      }
    }
    for (const [k, qs] of queueOfKey) assert.equal(qs.size, 1, `every message of ${k} went to one queue: ${[...qs].join(',')}`);
    const c = await startConsumer(srv().namesrvAddr, group, topic, '*');
    await waitUntil('every ordered message', () => c.received.length >= keys.length * PER_KEY);
    await sleep(QUIET_MS);
    assert.equal(c.received.length, keys.length * PER_KEY, 'nothing twice');
    for (const k of keys) {
      const seqs = c.received.map((m) => m.body.toString()).filter((b) => b.startsWith(`${k}#`)).map((b) => Number(b.slice(k.length + 1)));
      assert.deepEqual(seqs, Array.from({ length: PER_KEY }, (_, i) => i), `messages of ${k} arrive in send order`);
      assert.equal(c.received.find((m) => m.body.toString() === `${k}#0`)?.properties.__SHARDING_KEY, k);
    }
  });

  it('a delay level is not delivered early', async () => {
    const topic = uniq('TP_delay');
    const group = uniq('GID_delay');
    await createTopic(topic);
    const c = await startConsumer(srv().namesrvAddr, group, topic, '*');
    const sentAt = Date.now();
    const r = await send(topic, 'TagD', 'later', { keys: ['delayed-1'], delayLevel: 2 });
    await waitUntil('the delayed message', () => c.received.length >= 1, LEVEL_2_MS + 15_000);
    const waited = c.receivedAt[0] - sentAt;
    assert.ok(waited >= LEVEL_2_MS, `delivered after ${waited} ms, before delay level 2 (${LEVEL_2_MS} ms)`);
    const firstPull = c.pulled.find((p) => p.keys === 'delayed-1');
    assert.ok(firstPull !== undefined && firstPull.at - sentAt >= LEVEL_2_MS, 'no pull returned it early');
    const m = c.received[0];
    assert.equal(m.body.toString(), 'later');
    assert.equal(m.topic, topic);
    assert.equal(keyOf(m), 'delayed-1');
    assert.ok(m.storeTimestamp - m.bornTimestamp >= LEVEL_2_MS, 'stored in the real topic only after the delay');
    assert.notEqual(r.msgId, '');
    await sleep(QUIET_MS);
    assert.equal(c.received.length, 1, 'delivered once');
  });

  it('a failed message is retried through %RETRY%<group> with reconsumeTimes 1', async () => {
    const topic = uniq('TP_retry');
    const group = uniq('GID_retry');
    await createTopic(topic);
    const c: TrackedConsumer = await startConsumer(srv().namesrvAddr, group, topic, '*', { fail: (m) => m.reconsumeTimes === 0 });
    const sent = await send(topic, 'TagR', 'try-again', { keys: ['retry-1'] });
    await waitUntil('the redelivery', () => c.received.length >= 2, LEVEL_3_MS + 15_000);
    const [first, second] = c.received;
    assert.equal(first.reconsumeTimes, 0);
    assert.equal(second.reconsumeTimes, 1, 'redelivered with reconsumeTimes 1');
    assert.equal(second.body.toString(), 'try-again');
    assert.equal(keyOf(second), 'retry-1');
    assert.equal(second.topic, topic, 'ali-ons hands the retry with its origin topic');
    assert.deepEqual(c.sendBacks.map((s) => s.ok), [true], `the broker accepted CONSUMER_SEND_MSG_BACK: ${JSON.stringify(c.sendBacks)}`);
    const retried = c.pulled.filter((p) => p.keys === 'retry-1');
    assert.deepEqual(retried.map((p) => p.topic), [topic, `%RETRY%${group}`], 'the second delivery came from the retry topic');
    assert.equal(retried[1].properties.RETRY_TOPIC, topic);
    assert.equal(retried[1].properties.ORIGIN_MESSAGE_ID, sent.msgId);
    assert.ok(c.receivedAt[1] - c.receivedAt[0] >= LEVEL_3_MS, 'the first retry waits delay level 3');
    await sleep(QUIET_MS);
    assert.equal(c.received.length, 2, 'not retried again once it succeeded');
  });

  it('broadcasting: two consumers of one group both receive every message', async () => {
    const topic = uniq('TP_bcast');
    const group = uniq('GID_bcast');
    await createTopic(topic);
    // Each its own MQClient (instanceName): in one process ali-ons would otherwise register the group only once.
    const opts = { isBroadcast: true, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' } as const;
    const a = await startConsumer(srv().namesrvAddr, group, topic, '*', { ...opts, instanceName: uniq('bcast_a') });
    const b = await startConsumer(srv().namesrvAddr, group, topic, '*', { ...opts, instanceName: uniq('bcast_b') });
    const keys = Array.from({ length: 24 }, (_, i) => `bc-${i}`);
    for (const k of keys) await send(topic, 'TagX', k, { keys: [k] });
    await waitUntil('both consumers got everything', () => a.received.length >= keys.length && b.received.length >= keys.length);
    await sleep(QUIET_MS);
    assert.deepEqual(a.received.map(keyOf).sort(), [...keys].sort(), 'consumer A: every message once');
    assert.deepEqual(b.received.map(keyOf).sort(), [...keys].sort(), 'consumer B: every message once');
    await a.close();
    await b.close();
  });

  it('a consumer restart resumes from its committed offset: nothing redelivered, nothing lost', async () => {
    const topic = uniq('TP_resume');
    const group = uniq('GID_resume');
    await createTopic(topic);
    const first = Array.from({ length: 20 }, (_, i) => `rs-${i}`);
    for (const k of first) await send(topic, 'TagS', k, { keys: [k] });
    const c1 = await startConsumer(srv().namesrvAddr, group, topic, '*');
    await waitUntil('the first batch', () => c1.received.length >= first.length);
    await sleep(QUIET_MS); // offsets are committed with the next pull and every persistConsumerOffsetInterval (1 s)
    assert.deepEqual(c1.received.map(keyOf).sort(), [...first].sort());
    await c1.close();

    let committed = 0;
    for (let q = 0; q < QUEUES; q++) committed += Math.max(0, await srv().committedOffset(group, topic, q));
    assert.equal(committed, first.length, 'the broker holds committed offsets covering the first batch');

    const second = Array.from({ length: 20 }, (_, i) => `rs-${first.length + i}`);
    for (const k of second) await send(topic, 'TagS', k, { keys: [k] });
    const c2 = await startConsumer(srv().namesrvAddr, group, topic, '*');
    await waitUntil('the second batch', () => c2.received.length >= second.length);
    await sleep(QUIET_MS);
    assert.deepEqual(c2.received.map(keyOf).sort(), [...second].sort(), `only the new messages after the restart\n${onsLogTail()}`);
    await c2.close();
    committedOnDisk.set(`${topic}@${group}`, first.length + second.length);
  });
});
