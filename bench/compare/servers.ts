// Starting and stopping the servers of the comparison: ours (bench/compare/our-server.ts), redis-server, nats-server.
// Every process is started here, recorded by PID and stopped by PID (SIGTERM, then SIGKILL after a grace period).
import { bundle } from '../../scripts/build.mjs';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface Server {
  label: string;
  pid: number;
  addr: string;
  dir: string;
  child: ChildProcess;
  /** ours: the broker's cluster name. */
  cluster?: string;
  log: () => string;
}

const running = new Set<Server>();

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

function waitTcp(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((res, rej) => {
    const attempt = (): void => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        res();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) rej(new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function track(label: string, child: ChildProcess, addr: string, dir: string): Server {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    if (out.length < 200_000) out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    if (out.length < 200_000) out += d.toString();
  });
  if (child.pid === undefined) throw new Error(`${label} did not start`);
  const s: Server = { label, pid: child.pid, addr, dir, child, log: () => out };
  running.add(s);
  return s;
}

/** Make sure redis-server and nats-server exist; install the Debian packages when missing (needs root). */
export function ensurePeerBinaries(): void {
  const missing = ['redis-server', 'nats-server'].filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0);
  if (missing.length === 0) return;
  const pkgs = missing.join(' ');
  process.stderr.write(`bench:compare needs ${pkgs}; installing the Debian package(s) with apt-get (root required)...\n`);
  const r = spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs}`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`could not install ${pkgs}: run 'apt-get install -y ${pkgs}' as root, then retry`);
}

let compiled: string | undefined;

/**
 * our-server.ts compiled to JavaScript the way `npm start` runs the product (scripts/build.mjs: esbuild, packages
 * external), so the measured broker does not carry the TypeScript loader (~35 MiB of RSS).
 */
async function compiledOurServer(): Promise<string> {
  if (compiled !== undefined) return compiled;
  const out = join(ROOT, 'bench/.build/our-server.mjs');
  await bundle(join(ROOT, 'bench/compare/our-server.ts'), out);
  compiled = out;
  return out;
}

export async function startOurs(flush: 'ASYNC_FLUSH' | 'SYNC_FLUSH', extraNodeArgs: string[] = [], overrides: string[] = []): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ours-'));
  // One open file per written consume queue (5,000 topics × 8 queues = 40,000): raise the open-files limit as RocketMQ's
  // deployment guide asks (exec keeps the PID).
  const argv = [process.execPath, ...extraNodeArgs, await compiledOurServer(), dir, flush, ...overrides];
  const child = spawn('sh', ['-c', 'ulimit -n 1048576 2>/dev/null || ulimit -n 200000 2>/dev/null; exec "$@"', 'sh', ...argv], {
    cwd: ROOT,
    env: { ...process.env, ROCKETMQ_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const s = track(`ours-${flush}`, child, '', dir);
  // Thousands of pre-created topics take a while to load and register.
  const bootMs = 120_000;
  const info = await new Promise<{ namesrv: string; cluster: string }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`our server did not start in ${bootMs / 1000} s:\n${s.log()}`)), bootMs);
    const onData = (): void => {
      const line = s.log().split('\n').find((l) => l.startsWith('{"namesrv"'));
      if (line === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      res(JSON.parse(line) as { namesrv: string; cluster: string });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => rej(new Error(`our server exited with ${code}:\n${s.log()}`)));
  });
  s.addr = info.namesrv;
  s.cluster = info.cluster;
  return s;
}

export async function startRedis(aofAlways: boolean): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const port = await freePort();
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--daemonize', 'no', '--protected-mode', 'yes'];
  if (aofAlways) args.push('--appendonly', 'yes', '--appendfsync', 'always', '--auto-aof-rewrite-percentage', '0');
  else args.push('--appendonly', 'no');
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const s = track(aofAlways ? 'redis-aof-always' : 'redis', child, `127.0.0.1:${port}`, dir);
  await waitTcp(port, 10_000);
  return s;
}

export async function startNats(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nats-'));
  const port = await freePort();
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, `listen: 127.0.0.1:${port}\njetstream {\n  store_dir: "${join(dir, 'store')}"\n  max_memory_store: 1GB\n  max_file_store: 16GB\n}\n`);
  const child = spawn('nats-server', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const s = track('nats', child, `127.0.0.1:${port}`, dir);
  await waitTcp(port, 10_000);
  return s;
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL; removes the server's temp dir. */
export async function stopServer(s: Server, graceMs = 10_000): Promise<void> {
  if (!running.has(s)) return;
  running.delete(s);
  if (s.child.exitCode === null && s.child.signalCode === null) {
    const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
    process.kill(s.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      try {
        process.kill(s.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, graceMs);
    await exited;
    clearTimeout(timer);
  }
  rmSync(s.dir, { recursive: true, force: true });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => stopServer(s)));
}

/** Synchronous last resort (process 'exit'): SIGKILL whatever is still recorded. */
export function killAllNow(): void {
  for (const s of running) {
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(s.dir, { recursive: true, force: true });
  }
  running.clear();
}
