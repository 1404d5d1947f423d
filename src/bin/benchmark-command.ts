// `rocketmq-ts benchmark producer|batch|tx|consumer`: RocketMQ's benchmark scripts (producer.sh, batchproducer.sh,
// tproducer.sh, consumer.sh) with the same short flags where they exist, a progress line every second and a final
// summary with HDR percentiles. `--json` prints the result as JSON on stdout (progress goes to stderr).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { CONSUMER_BENCH_DEFAULTS, consumerProgressLine, runConsumerBenchmark } from '../cli/benchmark/consumer-bench.ts';
import type { ConsumerBenchResult } from '../cli/benchmark/consumer-bench.ts';
import { PRODUCER_BENCH_DEFAULTS, ProducerBenchMode, runProducerBenchmark } from '../cli/benchmark/producer-bench.ts';
import type { ProducerBenchResult } from '../cli/benchmark/producer-bench.ts';
import { latencyLines, loadSummary, progressLine } from '../cli/benchmark/report.ts';

function intArg(min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${v}'`);
    return n;
  };
}

function boolArg(v: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InvalidArgumentError(`expected true or false, got '${v}'`);
}

interface CommonOpts {
  namesrvAddr?: string;
  topic: string;
  topicCount: number;
  duration: number;
  json?: boolean;
  flushMode?: string;
}

interface ProducerOpts extends CommonOpts {
  threadCount?: number;
  messageSize: number;
  keyEnable: boolean;
  tagCount: number;
  propertySize: number;
  messageQuantity: number;
  asyncEnable?: boolean;
  oneway?: boolean;
  batchSize: number;
  warmup: number;
  group: string;
  createTopics?: string;
  queues: number;
  waitStore: boolean;
}

interface ConsumerOpts extends CommonOpts {
  threadCount: number;
  group: string;
  expression: string;
  failRate: number;
  pullBatchSize: number;
  consumeBatchSize: number;
  fromFirst?: boolean;
  messageQuantity: number;
}

function namesrvOf(o: CommonOpts): string {
  const addr = o.namesrvAddr ?? process.env.NAMESRV_ADDR;
  if (addr === undefined || addr === '') throw new InvalidArgumentError('no NameServer address: pass -n host:port or set NAMESRV_ADDR');
  return addr;
}

/** SIGINT stops the load and still prints the summary. */
function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const onSig = (): void => ac.abort();
  process.once('SIGINT', onSig);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', onSig) };
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('-n, --namesrvAddr <addrs>', 'NameServer addresses, ";"-separated (default $NAMESRV_ADDR)')
    .option('-t, --topic <topic>', 'topic, or the prefix of --topic-count topics <topic>_<i>', PRODUCER_BENCH_DEFAULTS.topic)
    .option('--topic-count <n>', 'number of topics', intArg(1), PRODUCER_BENCH_DEFAULTS.topicCount)
    .option('--duration <seconds>', 'measured seconds when no message count (-q) is given', intArg(1), PRODUCER_BENCH_DEFAULTS.durationMs / 1000)
    .option('--flush-mode <label>', "the broker's flushDiskType, recorded next to the numbers (the broker decides it)")
    .option('--json', 'print the result as JSON on stdout; progress lines go to stderr');
}

/** Where the command writes: stdout gets the summary (or the JSON), stderr the progress lines under --json. */
export interface BenchmarkIO {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
}

const PROCESS_IO: BenchmarkIO = { out: process.stdout, err: process.stderr };

function producerCommand(parent: Command, name: string, mode: 'producer' | 'batch' | 'tx', description: string, io: BenchmarkIO): void {
  const cmd = withCommon(parent.command(name).description(description))
    .option('-w, --threadCount <n>', 'sends in flight (sync: logical senders; async default 10000)', intArg(1))
    .option('-s, --messageSize <bytes>', 'body size', intArg(1), PRODUCER_BENCH_DEFAULTS.messageSize)
    .option('-k, --keyEnable <bool>', 'set KEYS (epoch seconds)', boolArg, false)
    .option('-l, --tagCount <n>', 'tags tag0..tag<n-1> round robin (0 = none)', intArg(0), 0)
    .option('-p, --propertySize <bytes>', 'size of one extra user property (0 = none)', intArg(0), 0)
    .option('-q, --messageQuantity <n>', 'messages to send (0 = run for --duration)', intArg(0), 0)
    .option('--warmup <seconds>', 'unmeasured warm-up', intArg(0), PRODUCER_BENCH_DEFAULTS.warmupMs / 1000)
    .option('-g, --group <group>', 'producer group', PRODUCER_BENCH_DEFAULTS.group)
    .option('--create-topics <cluster>', 'create the topics on every master of this cluster first')
    .option('--queues <n>', 'read/write queues of created topics', intArg(1), PRODUCER_BENCH_DEFAULTS.queueNums)
    .option('--wait-store <bool>', 'property WAIT: reply after flush/replication per the broker settings', boolArg, true);
  if (mode === 'producer') {
    cmd.option('-y, --asyncEnable', 'async send: many replies outstanding (default window 10000)');
    cmd.option('--oneway', 'oneway send: no reply');
  }
  cmd.option('-b, --batchSize <n>', 'messages per batch (batch only)', intArg(1), PRODUCER_BENCH_DEFAULTS.batchSize);
  cmd.action(async (o: ProducerOpts) => {
    const benchMode =
      mode === 'batch'
        ? ProducerBenchMode.BATCH
        : mode === 'tx'
          ? ProducerBenchMode.TX
          : o.oneway === true
            ? ProducerBenchMode.ONEWAY
            : o.asyncEnable === true
              ? ProducerBenchMode.ASYNC
              : ProducerBenchMode.SYNC;
    const window = o.threadCount ?? (benchMode === ProducerBenchMode.ASYNC ? 10_000 : PRODUCER_BENCH_DEFAULTS.window);
    const out = o.json === true ? io.err : io.out;
    const { signal, dispose } = interruptible();
    let r: ProducerBenchResult;
    try {
      r = await runProducerBenchmark({
        namesrvAddr: namesrvOf(o),
        topic: o.topic,
        topicCount: o.topicCount,
        mode: benchMode,
        window,
        messageSize: o.messageSize,
        batchSize: o.batchSize,
        tagCount: o.tagCount,
        keyEnable: o.keyEnable,
        propertySize: o.propertySize,
        messages: o.messageQuantity,
        durationMs: o.duration * 1000,
        warmupMs: o.warmup * 1000,
        group: o.group,
        createTopicsInCluster: o.createTopics,
        queueNums: o.queues,
        waitStoreMsgOK: o.waitStore,
        sendTimeoutMs: PRODUCER_BENCH_DEFAULTS.sendTimeoutMs,
        onProgress: (p) => out.write(`${progressLine(p)}\n`),
        signal,
      });
    } finally {
      dispose();
    }
    const flush = o.flushMode ?? 'unknown (pass --flush-mode)';
    if (o.json === true) {
      io.out.write(`${JSON.stringify({ tool: `benchmark ${name}`, flushMode: flush, ...r })}\n`);
      return;
    }
    const title = `${name} ${benchMode}, ${o.topicCount} topic(s), ${o.messageSize} B, window ${window}${benchMode === 'batch' ? `, batch ${r.batchSize}` : ''}, flush ${flush}`;
    out.write(`${loadSummary(title, r, [`client RSS ${r.clientRssMb} MiB`])}\n`);
  });
}

function consumerCommand(parent: Command, io: BenchmarkIO): void {
  withCommon(parent.command('consumer').description('consume like consumer.sh: TPS, B2C/S2C RT'))
    .option('-w, --threadCount <n>', 'listener calls in flight', intArg(1), CONSUMER_BENCH_DEFAULTS.concurrency)
    .option('-g, --group <group>', 'consumer group', CONSUMER_BENCH_DEFAULTS.group)
    .option('-e, --expression <expr>', 'tag expression', CONSUMER_BENCH_DEFAULTS.expression)
    .option('-r, --failRate <percent>', 'percentage of listener calls that return RECONSUME_LATER', intArg(0), 0)
    .option('--pull-batch-size <n>', 'messages per pull', intArg(1), CONSUMER_BENCH_DEFAULTS.pullBatchSize)
    .option('--consume-batch-size <n>', 'messages per listener call', intArg(1), CONSUMER_BENCH_DEFAULTS.consumeBatchSize)
    .option('--from-first', 'a new group starts at the first offset (default: the last)')
    .option('-q, --messageQuantity <n>', 'stop after this many messages (0 = run for --duration)', intArg(0), 0)
    .action(async (o: ConsumerOpts) => {
      const out = o.json === true ? io.err : io.out;
      const { signal, dispose } = interruptible();
      let r: ConsumerBenchResult;
      try {
        r = await runConsumerBenchmark({
          namesrvAddr: namesrvOf(o),
          topic: o.topic,
          topicCount: o.topicCount,
          group: o.group,
          expression: o.expression,
          concurrency: o.threadCount,
          pullBatchSize: o.pullBatchSize,
          consumeBatchSize: o.consumeBatchSize,
          failRate: o.failRate,
          fromFirst: o.fromFirst === true,
          messages: o.messageQuantity,
          durationMs: o.duration * 1000,
          idleTimeoutMs: CONSUMER_BENCH_DEFAULTS.idleTimeoutMs,
          onProgress: (p) => out.write(`${consumerProgressLine(p)}\n`),
          signal,
        });
      } finally {
        dispose();
      }
      const flush = o.flushMode ?? 'unknown (pass --flush-mode)';
      if (o.json === true) {
        io.out.write(`${JSON.stringify({ tool: 'benchmark consumer', flushMode: flush, ...r })}\n`);
        return;
      }
      out.write(
        [
          `=== consumer, ${o.topicCount} topic(s), group ${o.group}, flush ${flush} ===`,
          `messages ${r.messages} in ${r.seconds.toFixed(2)} s: ${r.msgsPerSec} msgs/s, failures ${r.failures}${r.timedOut ? ' (stopped: idle)' : ''}`,
          ...latencyLines('born→consume (B2C)', r.bornToConsume),
          ...latencyLines('store→consume (S2C)', r.storeToConsume),
          `client CPU: ${r.messages > 0 ? (r.cpuUs / r.messages).toFixed(2) : '-'} µs per message, RSS ${r.clientRssMb} MiB`,
          '',
        ].join('\n'),
      );
    });
}

export function registerBenchmarkCommand(program: Command, io: BenchmarkIO = PROCESS_IO): void {
  const bench = program.command('benchmark').description('load-test a cluster like RocketMQ’s producer.sh / consumer.sh');
  producerCommand(bench, 'producer', 'producer', 'send like producer.sh (sync; -y async; --oneway)', io);
  producerCommand(bench, 'batch', 'batch', 'send batches like batchproducer.sh (-b messages per batch)', io);
  producerCommand(bench, 'tx', 'tx', 'send transactional messages like tproducer.sh (local transaction commits)', io);
  consumerCommand(bench, io);
}
