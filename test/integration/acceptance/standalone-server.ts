// The standalone server as an operator starts it: `node bin/rocketmq-ts.js start` (what `npm start` runs: the compiled
// command line, NameServer + Broker embedded in one process) in a child process, on free ports (`-p 0 --brokerPort 0`) with a
// temp `--data-dir` and HOME, ready once it prints its "rocketmq-ts is ready" line; stopped with SIGTERM, which must end
// in a clean exit (code 0). Used by the ali-ons acceptance suite next to this file.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AdminClient } from '../../../src/client/admin/admin-client.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BOOT_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** What `start` prints once both roles serve (src/bin/start-command.ts): NameServer port, broker address. */
const READY_RE = /rocketmq-ts is ready: NameServer on \S+?:(\d+), Broker \S+ on (\S+?:\d+)/;

export interface StandaloneServerOptions {
  /** Extra broker.conf keys (Java names), e.g. { messageDelayLevel: '1s 2s 3s' }. */
  brokerConf?: Readonly<Record<string, string>>;
}

interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function childEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ROCKETMQ_LOG_LEVEL: 'info' };
  delete env.NODE_TEST_CONTEXT; // the child is a program, not a test
  delete env.NODE_OPTIONS;
  delete env.NAMESRV_ADDR;
  return env;
}

/** Spawns `node bin/rocketmq-ts.js <args>` (npm start) and resolves once `bootRe` matches its output. */
function launch(args: readonly string[], home: string, bootRe: RegExp): Promise<{ child: Child; match: RegExpExecArray }> {
  const proc = spawn(process.execPath, ['bin/rocketmq-ts.js', ...args], {
    cwd: ROOT,
    env: childEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => proc.once('exit', (code, signal) => r(code ?? (signal === null ? null : -1))));
  const child: Child = { proc, output: () => out, exited };
  return new Promise((resolveBoot, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`rocketmq-ts ${args.join(' ')} did not boot within ${BOOT_TIMEOUT_MS} ms; output:\n${out}`));
    }, BOOT_TIMEOUT_MS);
    let booted = false;
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = booted ? null : bootRe.exec(out);
      if (m !== null) {
        booted = true;
        clearTimeout(timer);
        resolveBoot({ child, match: m });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!booted) reject(new Error(`rocketmq-ts ${args.join(' ')} exited with ${code} before booting; output:\n${out}`));
    });
  });
}

/** SIGTERM, then the exit code (SIGKILL and -1 after STOP_TIMEOUT_MS). */
async function terminate(child: Child): Promise<number | null> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return child.exited;
  child.proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), STOP_TIMEOUT_MS)));
  const r = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (r !== 'timeout') return r;
  child.proc.kill('SIGKILL');
  await child.exited;
  return -1;
}

export class StandaloneServer {
  /** The --data-dir folder (store at its root, namesrv/ and config/ below). */
  readonly dataDir: string;
  readonly #dir: string;
  readonly namesrvAddr: string;
  readonly brokerAddr: string;
  readonly #child: Child;
  readonly #admin: AdminClient;

  private constructor(dir: string, namesrvAddr: string, brokerAddr: string, child: Child) {
    this.#dir = dir;
    this.dataDir = join(dir, 'data');
    this.namesrvAddr = namesrvAddr;
    this.brokerAddr = brokerAddr;
    this.#child = child;
    this.#admin = new AdminClient({ namesrvAddr });
  }

  /**
   * `start -p 0 --brokerPort 0 --data-dir <fresh temp dir>` (plus `-c broker.conf` when brokerConf is given); resolves
   * once the process printed its ready line.
   */
  static async start(options: StandaloneServerOptions = {}): Promise<StandaloneServer> {
    const dir = mkdtempSync(join(tmpdir(), 'rmq-ts-acceptance-'));
    const args = ['start', '-p', '0', '--brokerPort', '0', '--data-dir', join(dir, 'data')];
    if (options.brokerConf !== undefined) {
      const conf = join(dir, 'broker.conf');
      writeFileSync(conf, Object.entries(options.brokerConf).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
      args.push('-c', conf);
    }
    let child: Child | undefined;
    try {
      const booted = await launch(args, dir, READY_RE);
      child = booted.child;
      const [, namesrvPort, brokerAddr] = booted.match;
      const server = new StandaloneServer(dir, `127.0.0.1:${namesrvPort}`, brokerAddr, child);
      await server.#admin.start();
      return server;
    } catch (e) {
      if (child !== undefined) await terminate(child);
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Everything the server printed so far (for failure messages). */
  output(): string {
    return this.#child.output();
  }

  /**
   * UPDATE_AND_CREATE_TOPIC through our admin client, then waits until the NameServer routes it (ali-ons cannot
   * auto-create topics: its send throws on TOPIC_NOT_EXIST, real-clients.md §1.3).
   */
  async createTopic(topic: string, queueNums = 4): Promise<void> {
    await this.#admin.createTopic({ topic, brokerAddr: this.brokerAddr, readQueueNums: queueNums, writeQueueNums: queueNums });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const route = await this.#admin.topicRoute(topic);
        if (route.queueDatas.some((q) => q.writeQueueNums === queueNums)) return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic} never showed up in the NameServer's route`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The broker's committed offset of (group, topic, queueId); -1 when none. */
  async committedOffset(group: string, topic: string, queueId: number): Promise<number> {
    const stats = await this.#admin.consumeStats(group, topic);
    const row = stats.rows.find((r) => r.topic === topic && r.queueId === queueId);
    return row?.consumerOffset ?? -1;
  }

  /** SIGTERM; resolves with the exit code (-1: had to be killed). The data dir stays until remove(). */
  async stop(): Promise<number | null> {
    await this.#admin.shutdown();
    return terminate(this.#child);
  }

  /** A file under the data dir (e.g. "config/consumerOffset.json"), as text. */
  readDataFile(relative: string): string {
    return readFileSync(join(this.dataDir, relative), 'utf8');
  }

  /** Stops the process if still running and deletes the temp dir. */
  async remove(): Promise<void> {
    await terminate(this.#child);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
