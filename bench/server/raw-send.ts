// Server-side cost of a send, with the client taken out of the picture: a raw socket client that pre-builds
// SEND_MESSAGE_V2 frames (only opaque and UNIQ_KEY change) and keeps `window` in flight, reading replies by length and
// opaque only. Prints one JSON line: msgs/s and the server's CPU µs per message (from /proc/<pid>/stat).
// Usage: node --import tsx bench/server/raw-send.ts <brokerHost:port> <serverPid> [window=32] [seconds=8] [topic] [batch=1]
import net from 'node:net';
import { encodeHeader } from '../../src/remoting/protocol/remoting-codec.ts';
import { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { encodeProperties } from '../../src/common/message/message-properties.ts';
import { createUniqKey } from '../../src/common/message/message-id.ts';
import { encodeBatchBody } from '../../src/common/message/message-batch.ts';
import { sampleCpu } from '../compare/proc-stat.ts';

const [addr, pidText, windowText = '32', secondsText = '8', topic = 'RawBench', batchText = '1'] = process.argv.slice(2);
const [host, port] = (addr ?? '').split(':');
const pid = Number(pidText);
const window = Number(windowText);
const seconds = Number(secondsText);
const batch = Number(batchText);
const body = Buffer.alloc(1024, 97);

let opaque = 0;
function frame(): Buffer {
  const ext: Record<string, string> = {
    a: 'raw_bench_group',
    b: topic,
    c: 'TBW102',
    d: '8',
    e: String(opaque % 8),
    f: '0',
    g: String(Date.now()),
    h: '0',
    i: encodeProperties({ WAIT: 'true', UNIQ_KEY: createUniqKey() }),
    j: '0',
    k: 'false',
    m: batch > 1 ? 'true' : 'false',
    n: 'broker',
  };
  const payload =
    batch > 1
      ? encodeBatchBody(Array.from({ length: batch }, () => ({ body, properties: { WAIT: 'true', UNIQ_KEY: createUniqKey() } })))
      : body;
  const cmd = RemotingCommand.request(batch > 1 ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2, ext, payload);
  cmd.opaque = ++opaque;
  return Buffer.concat([encodeHeader(cmd), payload]);
}

const sock = net.connect(Number(port), host);
sock.setNoDelay(true);
await new Promise<void>((r) => sock.once('connect', () => r()));
let pending: Buffer = Buffer.alloc(0);
let done = 0;
let failed = 0;
let measuring = false;
let stop = false;
let inFlight = 0;
const send = (): void => {
  while (!stop && inFlight < window) {
    inFlight++;
    sock.write(frame());
  }
};
sock.on('data', (d: Buffer) => {
  pending = pending.length === 0 ? d : Buffer.concat([pending, d]);
  let p = 0;
  while (pending.length - p >= 4) {
    const len = pending.readInt32BE(p);
    if (pending.length - p - 4 < len) break;
    const headerLen = pending.readInt32BE(p + 4) & 0xffffff;
    const header = pending.toString('utf8', p + 8, p + 8 + headerLen);
    if (!header.startsWith('{"code":0,')) failed++;
    p += 4 + len;
    inFlight--;
    if (measuring) done += batch;
  }
  pending = pending.subarray(p);
  send();
});
send();
await new Promise((r) => setTimeout(r, 2000));
const cpu0 = sampleCpu([pid])[pid];
const t0 = process.hrtime.bigint();
measuring = true;
await new Promise((r) => setTimeout(r, seconds * 1000));
measuring = false;
const cpu1 = sampleCpu([pid])[pid];
const sec = Number(process.hrtime.bigint() - t0) / 1e9;
stop = true;
process.stdout.write(`${JSON.stringify({ msgsPerSec: Math.round(done / sec), serverCpuUsPerMsg: Math.round(((cpu1 - cpu0) / done) * 100) / 100, failed })}\n`);
sock.destroy();
