// Flag value parsers and output helpers of the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addrArg, boolArg, intArg, permArg, timestampArg } from '../../src/cli/flags.ts';
import { formatTable, messageJson } from '../../src/cli/output.ts';
import { parseAttributes } from '../../src/cli/commands/update-topic.ts';
import type { MessageView } from '../../src/client/producer/message-view.ts';

test('value parsers accept Java mqadmin forms and refuse the rest', () => {
  assert.equal(intArg('42'), 42);
  assert.throws(() => intArg('4.2'), /not an integer/);
  assert.equal(boolArg('TRUE'), true);
  assert.throws(() => boolArg('yes'), /not true or false/);
  assert.equal(permArg('6'), 6);
  assert.throws(() => permArg('7'), /not a topic permission/);
  assert.equal(addrArg('127.0.0.1:10911'), '127.0.0.1:10911');
  assert.throws(() => addrArg('127.0.0.1'), /not an address/);
  assert.equal(timestampArg('now', () => 1234), 1234);
  assert.equal(timestampArg('1700000000000'), 1700000000000);
  assert.equal(timestampArg('-1'), -1);
  assert.equal(timestampArg('2024-02-29#13:14:15:016'), new Date(2024, 1, 29, 13, 14, 15, 16).getTime());
  assert.throws(() => timestampArg('2023-02-29#13:14:15:016'), /not a timestamp/);
  assert.throws(() => timestampArg('-2'), /not a timestamp/);
});

test('formatTable aligns columns to their widest cell; attributes parse like Java', () => {
  assert.equal(formatTable(['#A', '#Long header'], [['x', 1], ['longer', undefined]]), '#A      #Long header\nx       1\nlonger\n');
  assert.deepEqual(parseAttributes('+message.type=FIFO,-old'), { '+message.type': 'FIFO', '-old': '' });
  assert.equal(parseAttributes(' '), undefined);
});

test('messageJson keeps UTF-8 bodies as text and adds base64 for binary ones', () => {
  const base = { topic: 'T', msgId: 'M', keys: [], properties: {} } as unknown as MessageView;
  assert.equal(messageJson({ ...base, body: Buffer.from('héllo') }).body, 'héllo');
  const bin = messageJson({ ...base, body: Buffer.from([0xff, 0x00]) });
  assert.equal(bin.bodyBase64, '/wA=');
});
