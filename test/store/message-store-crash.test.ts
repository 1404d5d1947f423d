// THE crash test: a child process appends under SYNC_FLUSH and prints each acknowledged message; it is SIGKILLed at a
// random moment; after recovery every acknowledged message must be present and intact, and nothing corrupt readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { MessageStore } from '../../src/store/message-store.ts';
import { GetMessageStatus } from '../../src/store/query/get-message-result.ts';
import { checkRecord } from '../../src/common/message/message-record.ts';
import { CRASH_TOPIC, CRASH_QUEUES, crashBody, crashConfig } from './message-store-crash-shared.ts';
import { storeConfig, decode } from './message-store-helpers.ts';

const CHILD = fileURLToPath(new URL('./message-store-crash-child.ts', import.meta.url));
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 8);

interface Ack {
  n: number;
  queueId: number;
  queueOffset: number;
}

/** Runs the child until it has acknowledged some messages, then kills it after a random delay. */
function runChild(root: string, from: number, killAfterMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root, String(from)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acks: Ack[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, n, q, o] = line.split(' ');
      if (kind === 'READY') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      if (kind === 'ACK') acks.push({ n: Number(n), queueId: Number(q), queueOffset: Number(o) });
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself (code ${code})`));
      else resolve(acks);
    });
  });
}

function verify(store: MessageStore, acked: Map<number, Ack>): void {
  for (const a of acked.values()) {
    const r = store.getMessage('check', CRASH_TOPIC, a.queueId, a.queueOffset, 1, 1 << 30);
    assert.equal(r.status, GetMessageStatus.FOUND, `acknowledged message ${a.n} at ${a.queueId}/${a.queueOffset} is missing`);
    assert.ok(decode(r.messages[0]).body.equals(crashBody(a.n)), `message ${a.n} is not intact`);
  }
  // Nothing corrupt is readable: every record served passes its CRC.
  for (let q = 0; q < CRASH_QUEUES; q++) {
    let offset = store.getMinOffsetInQueue(CRASH_TOPIC, q);
    for (;;) {
      const r = store.getMessage('check', CRASH_TOPIC, q, offset, 32, 1 << 30);
      if (r.status !== GetMessageStatus.FOUND) break;
      for (const rec of r.messages) assert.equal(checkRecord(rec, 0, rec.length, true).kind, 'ok');
      offset = r.nextBeginOffset;
    }
  }
}

test(`SIGKILL during SYNC_FLUSH appends, ${ROUNDS} rounds: every acknowledged message survives intact`, { timeout: 120_000 }, async (t) => {
  const config = storeConfig(t, crashConfig);
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
  let state = seed;
  const rand = (): number => ((state = (state * 48271) % 2147483647) / 2147483647);
  t.diagnostic(`crash seed ${seed} (CRASH_SEED=${seed} reproduces the kill delays)`);
  const acked = new Map<number, Ack>();
  let next = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const acks = await runChild(config.storePathRootDir, next, 20 + Math.floor(rand() * 400));
    for (const a of acks) acked.set(a.n, a);
    next = Math.max(next, ...acks.map((a) => a.n + 1)) + 1000;
    // Every other round the parent recovers and checks; otherwise the next child recovers the crashed store itself.
    if (round % 2 === 1 || round === ROUNDS - 1) {
      const store = new MessageStore(config, { diskUsage: () => 10 });
      await store.start();
      assert.equal(store.lastExitOK, false);
      verify(store, acked);
      await store.shutdown();
    }
  }
  assert.ok(acked.size > 0, 'the child acknowledged messages');
  t.diagnostic(`${acked.size} acknowledged messages verified over ${ROUNDS} kills`);
});
