// TimerMessageService on a real MessageStore with a fake clock: deliver at the due second only; timers beyond the wheel
// horizon roll and still arrive once; a crash between timer-log append and wheel update is repaired at load; fully
// delivered timer-log segments are deleted; many timers in one second are delivered in enqueue order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIMER_TOPIC } from '../../../src/broker/message-transform.ts';
import { TimerLog, TimerLogFlag, TIMER_LOG_RECORD_SIZE } from '../../../src/broker/timer/timer-log.ts';
import { TimerCheckpoint } from '../../../src/broker/timer/timer-checkpoint.ts';
import { TimerMessageService } from '../../../src/broker/timer/timer-message-service.ts';
import { TimerWheel } from '../../../src/broker/timer/timer-wheel.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { decodeRecord } from '../../../src/common/message/message-record.ts';
import type { DecodedMessage } from '../../../src/common/message/message-record.ts';
import { MessageStore, defaultMessageStoreConfig } from '../../../src/store/index.ts';
import { smallStoreConfig } from '../../integration/broker-harness.ts';

const HOST = { address: '127.0.0.1', port: 10911 };

class Env {
  readonly dir = mkdtempSync(join(tmpdir(), 'rmq-ts-timer-'));
  t = Date.UTC(2024, 0, 1);
  readonly now = (): number => this.t;
  store!: MessageStore;
  service!: TimerMessageService;
  readonly maxDelaySec: number;
  readonly segmentSize: number;

  constructor(maxDelaySec = 60, segmentSize = 1024 * 1024) {
    this.maxDelaySec = maxDelaySec;
    this.segmentSize = segmentSize;
  }

  async open(): Promise<void> {
    this.store = new MessageStore(defaultMessageStoreConfig(smallStoreConfig(join(this.dir, 'store'))), { now: this.now, diskUsage: () => 10 });
    await this.store.start();
    this.service = new TimerMessageService({
      store: this.store,
      storeRoot: join(this.dir, 'store'),
      precisionMs: 1000,
      maxDelaySec: this.maxDelaySec,
      timerLogSegmentSize: this.segmentSize,
      storeHost: () => HOST,
      now: this.now,
    });
    this.service.load();
  }

  async close(): Promise<void> {
    await this.service.shutdown();
    await this.store.shutdown();
  }

  async park(topic: string, body: string, deliverMs: number): Promise<number> {
    const r = await this.store.putMessage({
      topic: TIMER_TOPIC,
      queueId: 0,
      flag: 0,
      body: Buffer.from(body),
      properties: encodeProperties({ REAL_TOPIC: topic, REAL_QID: '0', TIMER_OUT_MS: String(deliverMs) }),
      sysFlag: 0,
      bornTimestamp: this.t,
      bornHost: HOST,
      storeHost: HOST,
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
    });
    this.store.dispatchNow();
    return r.wroteOffset;
  }

  delivered(topic: string): DecodedMessage[] {
    this.store.dispatchNow();
    const out: DecodedMessage[] = [];
    for (let off = 0; ; ) {
      const r = this.store.getMessage('g', topic, 0, off, 32, Number.MAX_SAFE_INTEGER);
      if (r.messages.length === 0) return out;
      out.push(...r.messages.map((b) => decodeRecord(b)));
      off = r.nextBeginOffset;
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

test('delivers at the due second only, once, with timer properties removed', async () => {
  const e = new Env();
  await e.open();
  try {
    const t0 = e.t;
    await e.park('T1', 'a', t0 + 3000);
    assert.deepEqual(await e.service.tick(), { enqueued: 1, delivered: 0 });
    e.t = t0 + 2999;
    assert.equal((await e.service.tick()).delivered, 0);
    e.t = t0 + 3000;
    assert.equal((await e.service.tick()).delivered, 1);
    assert.equal((await e.service.tick()).delivered, 0);
    const got = e.delivered('T1');
    assert.equal(got.length, 1);
    assert.equal(got[0].properties.TIMER_OUT_MS, undefined);
    assert.equal(got[0].properties.WAIT, 'false');
    assert.equal(e.service.currReadTimeMs, t0 + 4000);
  } finally {
    await e.close();
    e.cleanup();
  }
});

test('a deliver time beyond the wheel horizon rolls forward and still arrives exactly once', async () => {
  const e = new Env(2); // horizon = 2 × 2 s + 1 slot = 5 slots
  await e.open();
  try {
    const t0 = e.t;
    assert.equal(e.service.wheel.slotCount, 5);
    await e.park('T2', 'far', t0 + 12_000);
    await e.service.tick();
    let delivered = 0;
    for (let s = 1; s <= 11; s++) {
      e.t = t0 + s * 1000;
      delivered += (await e.service.tick()).delivered;
    }
    assert.equal(delivered, 0, 'nothing before +12 s');
    e.t = t0 + 12_000;
    assert.equal((await e.service.tick()).delivered, 1);
    e.t = t0 + 20_000;
    assert.equal((await e.service.tick()).delivered, 0);
    assert.equal(e.delivered('T2').length, 1);
    const rolled = e.service.log.findLast((r) => r.flags === TimerLogFlag.ROLLED);
    assert.ok(rolled !== undefined, 'the timer was re-linked (rolled) at least once');
  } finally {
    await e.close();
    e.cleanup();
  }
});

test('many timers in one second keep enqueue order; a restart mid-second resumes after the last delivered', async () => {
  const e = new Env();
  await e.open();
  try {
    const t0 = e.t;
    for (let i = 0; i < 50; i++) await e.park('T3', `m${i}`, t0 + 2000);
    await e.service.tick();
    assert.equal(e.service.wheel.get(t0 + 2000).count, 50);
    await e.close();

    // A stop after 20 of the 50 were delivered: the read pointer says (that second, 20 handled).
    const cp = new TimerCheckpoint(join(e.dir, 'store', 'config', 'timercheck'));
    cp.load();
    cp.save({ currReadTimeMs: t0 + 2000, deliveredInSlot: 20 });
    cp.close();
    await e.open();
    e.t = t0 + 2000;
    assert.equal((await e.service.tick()).delivered, 30, 'resumes after the 20th');
    assert.deepEqual(e.delivered('T3').map((m) => m.body.toString()), Array.from({ length: 30 }, (_, i) => `m${i + 20}`), 'enqueue order');
    await e.close();
    await e.open();
    e.t = t0 + 10_000;
    assert.equal((await e.service.tick()).delivered, 0, 'nothing replayed after a clean restart');
  } finally {
    await e.close();
    e.cleanup();
  }
});

test('load repairs a timer-log record the wheel never saw (crash between the two writes)', async () => {
  const e = new Env();
  await e.open();
  try {
    const t0 = e.t;
    const offset = await e.park('T4', 'x', t0 + 3000);
    await e.service.tick();
    await e.close();

    const root = join(e.dir, 'store');
    const log = new TimerLog(join(root, 'timerlog'), 1024 * 1024);
    log.load();
    const wheel = new TimerWheel(join(root, 'timerwheel'), e.service.wheel.slotCount, 1000);
    wheel.load();
    const slot = wheel.get(t0 + 5000);
    log.append({
      flags: TimerLogFlag.LINKED,
      prevPos: slot.lastPos,
      slotTimeMs: t0 + 5000,
      deliverMs: t0 + 5000,
      commitLogOffset: offset,
      msgSize: 0,
      timerQueueOffset: 0,
    });
    log.close();
    wheel.close();

    await e.open();
    assert.equal(e.service.wheel.get(t0 + 5000).count, 1, 'relinked at load');
    e.t = t0 + 6000;
    assert.equal((await e.service.tick()).delivered, 2, 'the regular timer and the repaired one');
  } finally {
    await e.close();
    e.cleanup();
  }
});

test('fully delivered timer-log segments are deleted at flush; the active one stays', async () => {
  const e = new Env(60, TIMER_LOG_RECORD_SIZE * 4);
  await e.open();
  try {
    const t0 = e.t;
    for (let i = 0; i < 10; i++) await e.park('T5', `s${i}`, t0 + 1000 + i * 1000);
    await e.service.tick();
    const dir = join(e.dir, 'store', 'timerlog');
    assert.equal(readdirSync(dir).length, 3, '10 records in segments of 4');
    e.t = t0 + 6000;
    await e.service.tick();
    e.service.flush();
    assert.equal(readdirSync(dir).length, 2, 'the first segment (due ≤ +4 s) is gone');
    e.t = t0 + 20_000;
    await e.service.tick();
    e.service.flush();
    assert.equal(readdirSync(dir).length, 1, 'the active segment stays');
    assert.equal(e.delivered('T5').length, 10);
  } finally {
    await e.close();
    e.cleanup();
  }
});

test('delivering a crowded second yields to the event loop between batches, and shutdown stops at the next yield', async () => {
  const e = new Env();
  await e.open();
  try {
    const t0 = e.t;
    for (let i = 0; i < 600; i++) await e.park('T6', `m${i}`, t0 + 1000);
    await e.service.tick();
    e.t = t0 + 1000;
    // Count event-loop turns that get to run while one tick delivers 600 due timers.
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      if (!spinning) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const r = await e.service.tick();
    spinning = false;
    assert.equal(r.delivered, 600);
    assert.ok(turns >= 2, `other work ran during delivery (${turns} turns)`);
    assert.equal(e.delivered('T6').length, 600);

    // A shutdown during a crowded second ends the tick at its next yield; the checkpoint says where it stopped.
    for (let i = 0; i < 600; i++) await e.park('T7', `n${i}`, t0 + 3000);
    await e.service.tick();
    e.t = t0 + 3000;
    const ticking = e.service.tick();
    await e.service.shutdown();
    const partial = await ticking;
    assert.ok(partial.delivered < 600, `stopped early (${partial.delivered} delivered)`);
    assert.equal(e.delivered('T7').length, partial.delivered);
    await e.store.shutdown();
    await e.open(); // reopen: the rest arrives, none twice
    await e.service.tick();
    assert.equal(e.delivered('T7').length, 600);
  } finally {
    await e.close();
    e.cleanup();
  }
});
