import { createOffsetMsgId } from '../../../src/common/message/message-id.ts';
import { recordSize } from '../../../src/common/message/message-record.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
const m = { topic: 'BenchTopic', queueId: 0, flag: 0, body: Buffer.alloc(1024, 1), properties: encodeProperties({ UNIQ_KEY: '7F000001000100000000000000000001', TAGS: 'bench' }), sysFlag: 0, bornTimestamp: Date.now(), bornHost: { address: '127.0.0.1', port: 5 }, storeHost: { address: '127.0.0.1', port: 10911 }, reconsumeTimes: 0, preparedTransactionOffset: 0 };
const N = 200000;
function time(name: string, f: (i: number) => unknown) { const t0 = process.hrtime.bigint(); let x: unknown; for (let i = 0; i < N; i++) x = f(i); console.log(name, (Number(process.hrtime.bigint() - t0) / N).toFixed(0), typeof x); }
time('spread', () => ({ ...m, bodyCrc: undefined, queueOffset: 0, commitLogOffset: 0, storeTimestamp: 0 }));
time('msgId', (i) => createOffsetMsgId(m.storeHost, i));
time('includes', () => m.properties.includes('WAIT\u0001false\u0002'));
time('recordSize', () => recordSize({ ...m, queueOffset: 0, commitLogOffset: 0, storeTimestamp: 0 }));
time('Date.now', () => Date.now());
time('map.get/set', (i) => { const k = `${m.topic}-${m.queueId}`; return k; });
