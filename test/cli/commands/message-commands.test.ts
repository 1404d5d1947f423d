// sendMessage, queryMsgById, queryMsgByKey, queryMsgByUniqueKey, queryMsgByOffset, printMsg, consumeMessage against
// in-process servers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import type { BrokerHarness } from '../../integration/broker-harness.ts';
import { uniq } from '../../integration/broker-harness.ts';
import { arr, mqadmin, mqadminJson, obj, startHarness } from '../cli-harness.ts';

let h: BrokerHarness;
let topic: string;
before(async () => {
  h = await startHarness();
  topic = uniq('CliMsg');
  h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
  await h.broker.registerBrokerAll();
  // queue 0: a0 (TagA, key k-a0), b1 (TagB), a2 (TagA); queue 1: c0 (TagC)
  for (const [body, tags, q] of [['a0', 'TagA', 0], ['b1', 'TagB', 0], ['a2', 'TagA', 0], ['c0', 'TagC', 1]] as const) {
    assert.equal((await h.send(topic, body, { tags, keys: `k-${body}`, queueId: q })).code, ResponseCode.SUCCESS);
  }
  h.dispatch();
});
after(async () => {
  await h.close();
});

test('sendMessage sends to a chosen queue; the message is stored with its key and tag and found by every query', async () => {
  const sent = obj(await mqadminJson(h.namesrvAddr, 'sendMessage', '-t', topic, '-p', 'hello cli', '-k', 'order-42', '-c', 'TagS', '-b', 'broker-t', '-i', '1'));
  assert.equal(sent.status, 'SEND_OK');
  assert.deepEqual(obj(sent.messageQueue), { topic, brokerName: 'broker-t', queueId: 1 });
  h.dispatch();
  const msgId = String(sent.msgId);
  const offsetMsgId = String(sent.offsetMsgId);

  const byId = arr(await mqadminJson(h.namesrvAddr, 'queryMsgById', '-i', offsetMsgId)).map(obj);
  assert.equal(byId[0].body, 'hello cli');
  assert.equal(byId[0].tags, 'TagS');
  const byClientId = await mqadmin(h.namesrvAddr, 'queryMsgById', '-i', msgId, '-t', topic);
  assert.equal(byClientId.code, 0, byClientId.err);
  assert.match(byClientId.out, /Message Body\s+: hello cli/);
  assert.match(byClientId.out, /Keys\s+: \[order-42\]/);

  const byUniq = await mqadmin(h.namesrvAddr, 'queryMsgByUniqueKey', '-i', msgId, '-t', topic);
  assert.equal(byUniq.code, 0, byUniq.err);
  assert.match(byUniq.out, new RegExp(`Message ID\\s+: ${msgId}`));

  const byKey = await mqadmin(h.namesrvAddr, 'queryMsgByKey', '-t', topic, '-k', 'order-42');
  assert.equal(byKey.code, 0, byKey.err);
  assert.match(byKey.out, /#Message ID\s+#QID\s+#Offset\s+#Tags/);
  assert.match(byKey.out, new RegExp(`${msgId}\\s+1\\s+1\\s+TagS`));

  const text = await mqadmin(h.namesrvAddr, 'sendMessage', '-t', topic, '-p', 'again');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /#Broker Name\s+#QID\s+#Send Result\s+#MsgId\nbroker-t\s+\d\s+SEND_OK/);
  const noBroker = await mqadmin(h.namesrvAddr, 'sendMessage', '-t', topic, '-p', 'x', '-i', '0');
  assert.equal(noBroker.code, 1);
  assert.match(noBroker.err, /needs -b/);
});

test('queryMsgById of an unknown id and queryMsgByKey of an unknown key', async () => {
  const r = await mqadmin(h.namesrvAddr, 'queryMsgById', '-i', 'NOT_A_MESSAGE_ID', '-t', topic);
  assert.equal(r.code, 1);
  assert.match(r.err, /not found/);
  const k = arr(await mqadminJson(h.namesrvAddr, 'queryMsgByKey', '-t', topic, '-k', 'no-such-key'));
  assert.equal(k.length, 0);
});

test('queryMsgByOffset prints the message at an offset; past the end exits 1', async () => {
  const m = obj(await mqadminJson(h.namesrvAddr, 'queryMsgByOffset', '-t', topic, '-b', 'broker-t', '-i', '0', '-o', '1'));
  assert.equal(m.body, 'b1');
  assert.equal(m.queueOffset, 1);
  const end = await mqadmin(h.namesrvAddr, 'queryMsgByOffset', '-t', topic, '-b', 'broker-t', '-i', '0', '-o', '99');
  assert.equal(end.code, 1);
  assert.match(end.err, /no message at offset 99/);
  const neg = await mqadmin(h.namesrvAddr, 'queryMsgByOffset', '-t', topic, '-b', 'broker-t', '-i', '0', '-o', '-3');
  assert.equal(neg.code, 1);
});

test('printMsg prints every message of the topic; -s filters by tag; -d false hides bodies', async () => {
  const all = obj(await mqadminJson(h.namesrvAddr, 'printMsg', '-t', topic));
  const bodies = arr(all.messages).map((m) => obj(m).body);
  for (const b of ['a0', 'b1', 'a2', 'c0']) assert.ok(bodies.includes(b), `${b} printed`);
  const tagged = obj(await mqadminJson(h.namesrvAddr, 'printMsg', '-t', topic, '-s', 'TagA'));
  assert.deepEqual(arr(tagged.messages).map((m) => obj(m).body), ['a0', 'a2']);
  const text = await mqadmin(h.namesrvAddr, 'printMsg', '-t', topic, '-s', 'TagC', '-d', 'false');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /MSGID: \S+ broker-t:1/);
  assert.doesNotMatch(text.out, /Message Body/);
  const charset = await mqadmin(h.namesrvAddr, 'printMsg', '-t', topic, '-c', 'GBK');
  assert.equal(charset.code, 1);
  assert.match(charset.err, /only UTF-8/);
});

test('consumeMessage reads one queue from an offset, or all queues up to -c messages, without committing', async () => {
  const group = uniq('CliConsumeG');
  const one = obj(await mqadminJson(h.namesrvAddr, 'consumeMessage', '-t', topic, '-b', 'broker-t', '-i', '0', '-o', '1', '-g', group));
  // queue 0 holds a0, b1, a2 (and maybe 'again' from the sendMessage test): reading starts at offset 1
  assert.deepEqual(arr(one.messages).map((m) => obj(m).body).slice(0, 2), ['b1', 'a2']);
  const capped = obj(await mqadminJson(h.namesrvAddr, 'consumeMessage', '-t', topic, '-c', '2'));
  assert.equal(arr(capped.messages).length, 2);
  const text = await mqadmin(h.namesrvAddr, 'consumeMessage', '-t', topic, '-b', 'broker-t', '-i', '1');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /Consume ok/);
  assert.equal(h.broker.consumerOffsetManager.queryOffset(group, topic, 0), -1, 'nothing committed');
  const bad = await mqadmin(h.namesrvAddr, 'consumeMessage', '-t', topic, '-o', '3');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /-o \(offset\) only with them/);
});
