// The embedded server (NameServer + Broker, `rocketmq-ts start`) in its own process for the timer benchmark: started on
// ephemeral ports with a temp data dir, addresses read from its ready line, stopped by PID (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface EmbeddedServer {
  pid: number;
  /** 127.0.0.1:<namesrv port> */
  namesrvAddr: string;
  brokerAddr: string;
  cluster: string;
  dataDir: string;
  child: ChildProcess;
  /** Last ~200 KB of its stdout + stderr. */
  log: () => string;
}

const READY = /rocketmq-ts is ready: NameServer on (\S+):(\d+), Broker (\S+) on (\S+?)(?: \(VIP \d+\))?, cluster (\S+), data in/;

/** Starts `rocketmq-ts start -p 0 --brokerPort 0` with brokerIP1=127.0.0.1 and `conf` (broker.conf keys). */
export async function startEmbeddedServer(conf: Readonly<Record<string, string>> = {}, timeoutMs = 60_000): Promise<EmbeddedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rmqts-timer-bench-'));
  const confFile = join(dataDir, 'broker.conf');
  const lines = Object.entries({ brokerIP1: '127.0.0.1', brokerIP2: '127.0.0.1', ...conf }).map(([k, v]) => `${k}=${v}`);
  writeFileSync(confFile, `${lines.join('\n')}\n`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/bin/rocketmq-ts.ts'), 'start', '-c', confFile, '-p', '0', '--brokerPort', '0', '--data-dir', join(dataDir, 'data')],
    { cwd: ROOT, env: { ...process.env, ROCKETMQ_LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid === undefined) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error('the embedded server did not start');
  }
  const pid = child.pid;
  let out = '';
  const keep = (d: Buffer): void => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    const m = await new Promise<RegExpExecArray>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no ready line after ${timeoutMs} ms:\n${out.slice(-4000)}`)), timeoutMs);
      const check = (): void => {
        const hit = READY.exec(out);
        if (hit !== null) {
          clearTimeout(timer);
          res(hit);
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        rej(new Error(`the embedded server exited (${code ?? signal}) before it was ready:\n${out.slice(-4000)}`));
      });
    });
    return { pid, namesrvAddr: `127.0.0.1:${m[2]}`, brokerAddr: m[4], cluster: m[5], dataDir, child, log: () => out };
  } catch (e) {
    await stopPid(child, pid);
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export function stopPid(child: ChildProcess, pid: number, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const kill = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      res();
    });
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      clearTimeout(kill);
      res();
    }
  });
}

/** Stops the server by PID and deletes its temp dir. */
export async function stopEmbeddedServer(s: EmbeddedServer): Promise<void> {
  await stopPid(s.child, s.pid);
  rmSync(s.dataDir, { recursive: true, force: true });
}

/** Last resort on a synchronous exit path: SIGKILL by PID and remove the temp dir. */
export function killEmbeddedServerNow(s: EmbeddedServer): void {
  try {
    if (s.child.exitCode === null && s.child.signalCode === null) process.kill(s.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(s.dataDir, { recursive: true, force: true });
}
