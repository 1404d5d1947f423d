// The mqadmin dispatcher: command list, unknown commands and flags, help, the NAMESRV_ADDR default, a failing call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MQADMIN_COMMANDS } from '../../src/cli/commands/index.ts';
import { captureIO, commandList, runMqadmin } from '../../src/cli/mqadmin.ts';
import { startHarness } from './cli-harness.ts';

const REQUIRED = [
  'updateTopic', 'deleteTopic', 'topicList', 'topicRoute', 'topicStatus', 'topicClusterList', 'updateSubGroup', 'deleteSubGroup',
  'consumerProgress', 'consumerConnection', 'producerConnection', 'clusterList', 'brokerStatus', 'getBrokerConfig',
  'updateBrokerConfig', 'queryMsgById', 'queryMsgByKey', 'queryMsgByUniqueKey', 'queryMsgByOffset', 'printMsg',
  'resetOffsetByTime', 'sendMessage', 'consumeMessage', 'wipeWritePerm', 'addWritePerm', 'updateKvConfig', 'deleteKvConfig',
  'getNamesrvConfig', 'updateNamesrvConfig',
];

test('every command of the issue is registered once, and `mqadmin` alone lists them with exit 0', async () => {
  const names = MQADMIN_COMMANDS.map((c) => c.name);
  assert.deepEqual([...names].sort(), [...REQUIRED].sort());
  const io = captureIO();
  assert.equal(await runMqadmin([], io), 0);
  for (const n of REQUIRED) assert.match(io.stdout(), new RegExp(`^ {3}${n}\\s`, 'm'));
  assert.equal(io.stdout(), commandList());
});

test('an unknown command exits 1 naming it', async () => {
  const io = captureIO();
  assert.equal(await runMqadmin(['updateTopik'], io), 1);
  assert.match(io.stderr(), /unknown command 'updateTopik'/);
});

test('an unknown flag, a bad value, a missing value and an extra argument exit 1 with a message', async () => {
  for (const [argv, re] of [
    [['topicList', '--bogus'], /unknown option '--bogus'/],
    [['updateTopic', '-t', 'T', '-c', 'C', '-r', 'x'], /argument 'x' is invalid\. 'x' is not an integer/],
    [['topicRoute', '-t'], /option '-t, --topic <topic>' argument missing/],
    [['topicList', 'extra'], /too many arguments/],
  ] as const) {
    const io = captureIO();
    assert.equal(await runMqadmin(argv, io), 1, argv.join(' '));
    assert.match(io.stderr(), re);
  }
});

test('-h prints the flags of a command with exit 0', async () => {
  const io = captureIO();
  assert.equal(await runMqadmin(['updateTopic', '-h'], io), 0);
  assert.match(io.stdout(), /-t, --topic <topic>/);
  assert.match(io.stdout(), /-n, --namesrvAddr <addrs>/);
  assert.match(io.stdout(), /--json/);
});

test('-n defaults to $NAMESRV_ADDR; an unreachable NameServer fails with exit 1', async () => {
  const h = await startHarness();
  try {
    const io = captureIO();
    assert.equal(await runMqadmin(['topicList'], io, { env: { NAMESRV_ADDR: h.namesrvAddr } }), 0, io.stderr());
    assert.match(io.stdout(), /^TBW102$/m);
  } finally {
    await h.close();
  }
  const io = captureIO();
  assert.equal(await runMqadmin(['topicList', '-n', '127.0.0.1:1'], io, { timeoutMs: 2000 }), 1);
  assert.match(io.stderr(), /^mqadmin topicList: /);
});

test('docs/cli.md documents every command and every flag', async () => {
  const { readFileSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const doc = readFileSync(resolve(import.meta.dirname, '..', '..', 'docs', 'cli.md'), 'utf8');
  for (const c of MQADMIN_COMMANDS) {
    const start = doc.indexOf(`### ${c.name}\n`);
    assert.ok(start >= 0, `${c.name} documented`);
    const end = doc.indexOf('\n### ', start + 1);
    const section = doc.slice(start, end < 0 ? undefined : end);
    for (const o of c.options) assert.ok(section.includes(`\`${o.flags}\``), `${c.name} ${o.flags} documented`);
  }
});
