// The CLI in a child process: starts a NameServer on an ephemeral port, answers requests, exits on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RemotingClient } from '../../src/remoting/transport/remoting-client.ts';
import { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../src/remoting/protocol/response-code.ts';
import { parseTopicRouteData } from '../../src/remoting/protocol/body/topic-route-data.ts';
import { registerRequest } from '../namesrv/namesrv-test-helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BOOT_RE = /The Name Server boot success\. serializeType=JSON, address (\S+):(\d+)/;

function childEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ROCKETMQ_LOG_LEVEL: 'info' };
  delete env.NODE_TEST_CONTEXT; // the child is a program, not a test
  delete env.NODE_OPTIONS;
  return env;
}

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(args: string[], home: string, ready: RegExp = BOOT_RE): Promise<Running> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`namesrv did not boot within 30 s; output:\n${out}`));
    }, 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = BOOT_RE.exec(out);
      if (m && ready.test(out)) {
        clearTimeout(timer);
        resolveStart({ child, port: Number(m[2]), output: () => out, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`namesrv exited with ${code} before booting; output:\n${out}`));
    });
  });
}

test('bin/rocketmq-ts.js namesrv -p 0: serves registrations and routes, exits 0 on SIGTERM', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'bin-namesrv-'));
  const client = new RemotingClient();
  const box: { running?: Running } = {};
  t.after(async () => {
    await client.shutdown();
    if (box.running && box.running.child.exitCode === null) box.running.child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });
  const running = box.running = await launch(['bin/rocketmq-ts.js', 'namesrv', '-p', '0', '--kvConfigPath', join(home, 'kv', 'kvConfig.json')], home);
  assert.ok(running.port > 0);
  const addr = `127.0.0.1:${running.port}`;
  const reg = registerRequest({ cluster: 'BinCluster', brokerName: 'bin-broker', brokerAddr: '10.9.0.1:10911', topics: { BinTopic: {}, Other: {} } });
  assert.equal((await client.invoke(addr, reg, 5000)).code, ResponseCode.SUCCESS);
  const res = await client.invoke(addr, RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'BinTopic' }), 5000);
  assert.equal(res.code, ResponseCode.SUCCESS);
  assert.equal(parseTopicRouteData(res.body).brokerDatas[0].brokerAddrs['0'], '10.9.0.1:10911');
  const put = RemotingCommand.request(RequestCode.PUT_KV_CONFIG, { namespace: 'NS', key: 'k', value: 'v' });
  assert.equal((await client.invoke(addr, put, 5000)).code, ResponseCode.SUCCESS);
  assert.ok(existsSync(join(home, 'kv', 'kvConfig.json')));

  running.child.kill('SIGTERM');
  assert.equal(await running.exited, 0);
  assert.match(running.output(), /The Name Server shut down\./);
});

test('`npm start` form (no subcommand) runs NameServer + Broker from a broker.conf; mqadmin drives it; SIGINT persists', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'bin-start-'));
  const box: { running?: Running } = {};
  t.after(() => {
    if (box.running && box.running.child.exitCode === null) box.running.child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });
  const conf = join(home, 'broker.conf');
  // broker keys, plus NameServer-only keys (kvConfigPath, bindAddress) that the embedded NameServer takes
  writeFileSync(conf, `brokerName=bin-broker\nbrokerClusterName=BinCluster\nlistenPort=0\nbrokerIP1=127.0.0.1\nkvConfigPath=${join(home, 'kv', 'kvConfig.json')}\nbindAddress=127.0.0.1\n`);
  const dataDir = join(home, 'data');
  const running = box.running = await launch(['bin/rocketmq-ts.js', '-c', conf, '-p', '0', '--data-dir', dataDir], home, /rocketmq-ts is ready: .* data in (\S+)/);
  const out = running.output();
  assert.match(out, /address 127\.0\.0\.1:\d+/);
  assert.match(out, /The broker\[bin-broker, 127\.0\.0\.1:\d+\] boot success/);
  assert.match(out, new RegExp(`data in ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const ns = `127.0.0.1:${running.port}`;
  const mq = (...args: string[]): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, ['bin/rocketmq-ts.js', 'mqadmin', ...args, '-n', ns], { cwd: ROOT, env: childEnv(home), encoding: 'utf8', timeout: 30_000 });
  const created = mq('updateTopic', '-c', 'BinCluster', '-t', 'BinOpsTopic', '-r', '2', '-w', '2');
  assert.equal(created.status, 0, String(created.stderr));
  const sent = mq('sendMessage', '-t', 'BinOpsTopic', '-p', 'from the bin', '--json');
  assert.equal(sent.status, 0, String(sent.stderr));
  assert.equal((JSON.parse(String(sent.stdout)) as { status: string }).status, 'SEND_OK');
  const bad = mq('updateTopic', '-t', 'X', '--nope');
  assert.equal(bad.status, 1);
  assert.match(String(bad.stderr), /unknown option '--nope'/);

  running.child.kill('SIGINT');
  assert.equal(await running.exited, 0);
  assert.match(running.output(), /The NameServer and Broker shut down\./);
  const topics = JSON.parse(readFileSync(join(dataDir, 'config', 'topics.json'), 'utf8')) as { topicConfigTable: Record<string, unknown> };
  assert.ok('BinOpsTopic' in topics.topicConfigTable, 'topic config persisted in the data dir');
  assert.ok(existsSync(join(dataDir, 'commitlog')));
});

test('`mqadmin` with no command lists the commands; an unknown one exits 1', () => {
  const list = spawnSync(process.execPath, ['bin/rocketmq-ts.js', 'mqadmin'], { cwd: ROOT, env: childEnv(tmpdir()), encoding: 'utf8', timeout: 30_000 });
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^ {3}resetOffsetByTime\s/m);
  const bad = spawnSync(process.execPath, ['bin/rocketmq-ts.js', 'mqadmin', 'nope'], { cwd: ROOT, env: childEnv(tmpdir()), encoding: 'utf8', timeout: 30_000 });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /unknown command 'nope'/);
});

test('a bad port is refused with exit code 1 and a message', () => {
  const r = spawnSync(process.execPath, ['bin/rocketmq-ts.js', 'namesrv', '-p', 'nine'], { cwd: ROOT, env: childEnv(tmpdir()), encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a port number: 'nine'/);
});
