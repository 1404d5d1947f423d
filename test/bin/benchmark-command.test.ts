// Smoke test of `rocketmq-ts benchmark`: each subcommand against an in-process NameServer + Broker with tiny counts,
// through the real command tree and its --json output. No timing assertions: only counts and the shape of the result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { buildProgram } from '../../src/bin/cli.ts';
import { registerBenchmarkCommand } from '../../src/bin/benchmark-command.ts';
import { loadSummary, progressLine } from '../../src/cli/benchmark/report.ts';
import { runLoad } from '../../src/cli/benchmark/load-loop.ts';
import { BrokerHarness, uniq } from '../integration/broker-harness.ts';

let h: BrokerHarness;

before(async () => {
  h = await BrokerHarness.start();
});

after(async () => {
  await h.close();
});

/** Runs `rocketmq-ts benchmark …` in this process (output captured) and returns the JSON it printed. */
async function benchmark(args: string[]): Promise<Record<string, unknown>> {
  const out: string[] = [];
  const progress: string[] = [];
  const program = new Command('rocketmq-ts').exitOverride();
  registerBenchmarkCommand(program, { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => progress.push(s) } });
  await program.parseAsync(['node', 'rocketmq-ts', 'benchmark', ...args, '-n', h.namesrvAddr, '--json', '--flush-mode', 'ASYNC_FLUSH']);
  const line = out.join('').split('\n').find((l) => l.startsWith('{'));
  assert.ok(line !== undefined, `no JSON printed; stdout: ${out.join('')} stderr: ${progress.join('')}`);
  return JSON.parse(line) as Record<string, unknown>;
}

function latencyCount(r: Record<string, unknown>, key = 'latency'): number {
  const l = r[key] as { count: number };
  return l.count;
}

test('benchmark producer (sync, tags, keys, created topics): sends exactly -q messages, then the consumer reads them all', async () => {
  const topic = uniq('BenchSmoke');
  const r = await benchmark([
    'producer', '-t', topic, '--topic-count', '2', '--create-topics', 'ClusterT', '--queues', '2',
    '-q', '40', '-w', '4', '-s', '64', '-l', '3', '-k', 'true', '-p', '8', '--warmup', '0',
  ]);
  assert.equal(r.tool, 'benchmark producer');
  assert.equal(r.mode, 'sync');
  assert.equal(r.flushMode, 'ASYNC_FLUSH');
  assert.equal(r.messages, 40);
  assert.equal(r.failures, 0);
  assert.equal(latencyCount(r), 40);
  assert.equal(r.topicCount, 2);

  const c = await benchmark([
    'consumer', '-t', topic, '--topic-count', '2', '-g', uniq('bench_cg'), '--from-first', '-q', '40', '-w', '2',
  ]);
  assert.equal(c.tool, 'benchmark consumer');
  assert.equal(c.timedOut, false);
  assert.ok((c.messages as number) >= 40, `consumed ${String(c.messages)}`);
  assert.ok(latencyCount(c, 'bornToConsume') >= 40);
  assert.ok(latencyCount(c, 'storeToConsume') >= 40);
});

test('benchmark batch: -q messages in batches of -b', async () => {
  const r = await benchmark(['batch', '-t', uniq('BenchBatch'), '-q', '48', '-b', '8', '-w', '2', '-s', '32', '--warmup', '0']);
  assert.equal(r.mode, 'batch');
  assert.equal(r.batchSize, 8);
  assert.equal(r.messages, 48);
  assert.equal(r.operations, 6);
  assert.equal(r.failures, 0);
});

test('benchmark producer --oneway and -y (async), and benchmark tx', async () => {
  const oneway = await benchmark(['producer', '-t', uniq('BenchOneway'), '--oneway', '-q', '10', '-w', '2', '--warmup', '0']);
  assert.equal(oneway.mode, 'oneway');
  assert.equal(oneway.messages, 10);
  const async = await benchmark(['producer', '-t', uniq('BenchAsync'), '-y', '-q', '30', '--warmup', '0']);
  assert.equal(async.mode, 'async');
  assert.equal(async.window, 10_000);
  assert.equal(async.messages, 30);
  const tx = await benchmark(['tx', '-t', uniq('BenchTx'), '-q', '5', '-w', '1', '--warmup', '0']);
  assert.equal(tx.mode, 'tx');
  assert.equal(tx.messages, 5);
  assert.equal(tx.failures, 0);
});

test('runLoad counts failures apart from successes and the text output names them', async () => {
  const r = await runLoad((seq) => (seq % 4 === 3 ? Promise.reject(new Error(`nope ${seq}`)) : Promise.resolve()), {
    window: 3,
    operations: 20,
    messagesPerOp: 2,
  });
  assert.equal(r.operations + r.failures, 20);
  assert.equal(r.failures, 5);
  assert.equal(r.messages, 30);
  assert.equal(r.latency.count, 15);
  assert.match(r.errors[0], /^nope \d+$/);
  const text = loadSummary('unit', r);
  assert.match(text, /messages 30 .* failures 5/);
  assert.match(text, /first errors: nope/);
  const line = progressLine({ elapsedSec: 3, tps: 100, ops: 50, avgRtMs: 1.5, p99RtMs: 2.25, maxRtMs: 3, failures: 1, total: 300, warmup: false });
  assert.match(line, /Send TPS: 100 \| Average RT\(ms\): 1\.500 \| p99 RT\(ms\): 2\.250 .* Failed: 1 \| Total: 300/);
});

test('the rocketmq-ts command tree has benchmark producer|batch|tx|consumer', () => {
  const bench = buildProgram().commands.find((c) => c.name() === 'benchmark');
  assert.ok(bench !== undefined);
  assert.deepEqual(bench.commands.map((c) => c.name()).sort(), ['batch', 'consumer', 'producer', 'tx']);
});

test('invalid arguments are refused before anything is sent', async () => {
  await assert.rejects(benchmark(['producer', '-t', 'X', '-w', '0']), /expected an integer ≥ 1/);
});
