// UPDATE_BROKER_CONFIG 25 / GET_BROKER_CONFIG 26 / GET_BROKER_RUNTIME_INFO 28 / GET_TOPIC_NAME_LIST 23 /
// GET_SYSTEM_TOPIC_LIST_FROM_BROKER 305 / GET_ALL_CONSUMER_OFFSET 43 over real TCP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProperties } from '../../../src/common/properties-file.ts';
import { parseLenientJson } from '../../../src/common/lenient-json.ts';
import { parseDataVersion } from '../../../src/remoting/protocol/body/data-version.ts';
import { parseKVTable } from '../../../src/remoting/protocol/body/kv-table.ts';
import { parseTopicList } from '../../../src/remoting/protocol/body/topic-list.ts';
import { GetBrokerConfigResponseHeader } from '../../../src/remoting/protocol/headers/admin-headers.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';

async function until(cond: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition not reached');
}

/** The perm the NameServer routes for `topic` (undefined while it has no route). */
async function routedPerm(h: BrokerHarness, topic: string): Promise<number | undefined> {
  const r = await h.invoke(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }, undefined, h.namesrvAddr);
  if (r.code !== ResponseCode.SUCCESS) return undefined;
  const route = parseLenientJson(r.body ?? Buffer.alloc(0)) as { queueDatas: Array<{ perm: number }> };
  return route.queueDatas[0]?.perm;
}

test('GET_BROKER_CONFIG returns properties text and the config DataVersion; UPDATE_BROKER_CONFIG applies, persists, bumps it', async () => {
  const confDir = mkdtempSync(join(tmpdir(), 'rmq-ts-admin-conf-'));
  const confPath = join(confDir, 'broker.conf');
  writeFileSync(confPath, 'brokerName=broker-t\n');
  const h = await BrokerHarness.start({ namesrv: false, brokerConfig: { brokerConfigPath: confPath } });
  try {
    const get = await h.invoke(RequestCode.GET_BROKER_CONFIG);
    assert.equal(get.code, ResponseCode.SUCCESS, get.remark);
    const props = parseProperties(get.body?.toString('utf8') ?? '');
    assert.equal(props.brokerName, 'broker-t');
    assert.equal(props.brokerClusterName, 'ClusterT');
    assert.equal(props.maxMessageSize, String(h.broker.messageStoreConfig.maxMessageSize));
    assert.equal(props.autoCreateTopicEnable, 'true');
    const v1 = parseDataVersion(GetBrokerConfigResponseHeader.decode(get.extFields).version);

    const upd = await h.invoke(RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('autoCreateTopicEnable=false\nmaxMessageSize=1024\nnoSuchKey=1\n'));
    assert.equal(upd.code, ResponseCode.SUCCESS, upd.remark);
    assert.match(upd.remark ?? '', /unknown keys ignored: noSuchKey/);
    assert.equal(h.broker.brokerConfig.autoCreateTopicEnable, false);
    assert.equal(h.broker.messageStoreConfig.maxMessageSize, 1024);
    const persisted = parseProperties(readFileSync(confPath, 'utf8'));
    assert.equal(persisted.maxMessageSize, '1024');
    assert.equal(persisted.autoCreateTopicEnable, 'false');

    const get2 = await h.invoke(RequestCode.GET_BROKER_CONFIG);
    const v2 = parseDataVersion(GetBrokerConfigResponseHeader.decode(get2.extFields).version);
    assert.equal(v2.counter, v1.counter + 1);
    assert.equal(parseProperties(get2.body?.toString('utf8') ?? '').maxMessageSize, '1024');
  } finally {
    await h.close();
    rmSync(confDir, { recursive: true, force: true });
  }
});

test('UPDATE_BROKER_CONFIG refuses black-listed keys (16), bad values (29, key named), empty bodies (29) — nothing applied', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const black = await h.invoke(RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('brokerConfigPath=/tmp/x\nmaxMessageSize=10\n'));
    assert.equal(black.code, ResponseCode.NO_PERMISSION);
    assert.match(black.remark ?? '', /black list/);
    const bad = await h.invoke(RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('maxMessageSize=12\nflushDiskType=SOMETIMES\n'));
    assert.equal(bad.code, ResponseCode.INVALID_PARAMETER);
    assert.match(bad.remark ?? '', /flushDiskType/);
    assert.notEqual(h.broker.messageStoreConfig.maxMessageSize, 12, 'all-or-nothing');
    const notNum = await h.invoke(RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('defaultTopicQueueNums=many'));
    assert.equal(notNum.code, ResponseCode.INVALID_PARAMETER);
    assert.match(notNum.remark ?? '', /defaultTopicQueueNums/);
    const empty = await h.invoke(RequestCode.UPDATE_BROKER_CONFIG);
    assert.equal(empty.code, ResponseCode.INVALID_PARAMETER);
    assert.match(empty.remark ?? '', /needs a body/);
    const comments = await h.invoke(RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('# nothing\n'));
    assert.equal(comments.code, ResponseCode.INVALID_PARAMETER);
  } finally {
    await h.close();
  }
});

test('a brokerPermission change re-registers with the NameServer at once', async () => {
  const h = await BrokerHarness.start();
  try {
    const topic = uniq('T_perm');
    h.createTopic(topic);
    await until(async () => (await routedPerm(h, topic)) === 6);
    const upd = await h.invoke(RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('brokerPermission=4'));
    assert.equal(upd.code, ResponseCode.SUCCESS, upd.remark);
    await until(async () => (await routedPerm(h, topic)) === 4);
  } finally {
    await h.close();
  }
});

const RUNTIME_KEYS = [
  'msgPutTotalYesterdayMorning', 'msgPutTotalTodayMorning', 'msgPutTotalTodayNow',
  'msgGetTotalYesterdayMorning', 'msgGetTotalTodayMorning', 'msgGetTotalTodayNow',
  'brokerActive', 'putTps', 'getTransferedTps', 'getTransferredTps',
  'sendThreadPoolQueueSize', 'pullThreadPoolQueueSize', 'sendThreadPoolQueueHeadWaitTimeMills',
  'pullThreadPoolQueueHeadWaitTimeMills', 'pageCacheLockTimeMills', 'earliestMessageTimeStamp', 'commitLogDiskRatio',
  'brokerVersionDesc', 'timerReadBehind', 'timerOffsetBehind', 'timerCongestNum', 'timerEnqueueTps', 'timerDequeueTps',
];

test('GET_BROKER_RUNTIME_INFO: every §4.9 key as a string; counters follow sends and pulls', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_rt');
    const group = uniq('G_rt');
    h.createTopic(topic);
    const before = Date.now();
    for (let i = 0; i < 3; i++) assert.equal((await h.send(topic, `m${i}`)).code, ResponseCode.SUCCESS);
    h.dispatch();
    const pulled = await h.pull({ topic, consumerGroup: group });
    assert.equal(pulled.code, ResponseCode.SUCCESS);

    const r = await h.invoke(RequestCode.GET_BROKER_RUNTIME_INFO);
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    const t = parseKVTable(r.body).table;
    for (const k of RUNTIME_KEYS) assert.equal(typeof t[k], 'string', `key ${k}`);
    assert.equal(t.msgPutTotalTodayNow, '3');
    assert.equal(t.msgGetTotalTodayNow, '3');
    assert.equal(t.msgPutTotalTodayMorning, '0');
    assert.equal(t.brokerActive, 'true');
    assert.equal(t.brokerVersionDesc, 'V5_3_3');
    // Java tools split the tps strings on spaces and parse the first figure.
    const putTps = (t.putTps ?? '').split(' ').map(Number);
    assert.equal(putTps.length, 3);
    assert.ok(putTps[0] !== undefined && putTps[0] > 0, t.putTps);
    assert.ok(Number((t.getTransferedTps ?? '').split(' ')[0]) > 0);
    const ratio = Number(t.commitLogDiskRatio);
    assert.ok(ratio >= 0 && ratio <= 1, t.commitLogDiskRatio);
    const earliest = Number(t.earliestMessageTimeStamp);
    assert.ok(earliest >= before - 1000 && earliest <= Date.now(), t.earliestMessageTimeStamp);
    assert.ok(Number(t.commitLogMaxOffset) > 0);
  } finally {
    await h.close();
  }
});

test('GET_TOPIC_NAME_LIST, GET_SYSTEM_TOPIC_LIST_FROM_BROKER and GET_ALL_CONSUMER_OFFSET', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_names');
    const group = uniq('G_names');
    h.createTopic(topic);
    const names = await h.invoke(RequestCode.GET_TOPIC_NAME_LIST);
    assert.equal(names.code, ResponseCode.SUCCESS);
    const tl = parseTopicList(names.body);
    assert.ok(tl.topicList.includes(topic));
    assert.ok(tl.topicList.includes('TBW102'));
    assert.equal(tl.brokerAddr, h.brokerAddr);

    const sys = parseTopicList((await h.invoke(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER)).body).topicList;
    for (const t of ['TBW102', 'SCHEDULE_TOPIC_XXXX', 'RMQ_SYS_TRANS_HALF_TOPIC', 'broker-t', 'ClusterT']) assert.ok(sys.includes(t), t);
    assert.ok(!sys.includes(topic));

    h.broker.consumerOffsetManager.commitOffset('test', group, topic, 2, 42);
    const all = await h.invoke(RequestCode.GET_ALL_CONSUMER_OFFSET);
    assert.equal(all.code, ResponseCode.SUCCESS);
    const body = parseLenientJson(all.body ?? Buffer.alloc(0)) as { offsetTable: Record<string, Record<string, number>>; dataVersion: unknown };
    assert.equal(body.offsetTable[`${topic}@${group}`]?.['2'], 42);
    assert.ok(body.dataVersion);
  } finally {
    await h.close();
  }
});
