// Fake NameServer and broker for client tests: RemotingServers on 127.0.0.1 port 0 with scripted handlers that record
// every request they get.
import { createServer } from 'node:net';
import { decodeProperties } from '../../src/common/message/message-properties.ts';
import { serializeTopicRouteData } from '../../src/remoting/protocol/body/topic-route-data.ts';
import type { TopicRouteData } from '../../src/remoting/protocol/body/topic-route-data.ts';
import { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../src/remoting/protocol/response-code.ts';
import { RemotingServer } from '../../src/remoting/transport/remoting-server.ts';
import type { RemotingChannel } from '../../src/remoting/transport/types.ts';

let seq = 0;
/** A name unique to this process and call: topics, groups, instance names. */
export function uniqueName(prefix: string): string {
  seq++;
  return `${prefix}_${process.pid}_${seq}_${Math.floor(Math.random() * 1e6)}`;
}

type Reply = (req: RemotingCommand, channel: RemotingChannel) => RemotingCommand | null | Promise<RemotingCommand | null>;

class RecordingServer {
  readonly server = new RemotingServer({ host: '127.0.0.1', port: 0, name: 'fake' });
  readonly requests: RemotingCommand[] = [];
  #waiters: Array<{ code: number; resolve: (r: RemotingCommand) => void }> = [];

  constructor(handlers: Map<number, Reply>) {
    this.server.setDefaultHandler((req, ch) => {
      this.requests.push(req);
      for (const w of [...this.#waiters]) {
        if (w.code === req.code) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(req);
        }
      }
      const h = handlers.get(req.code);
      if (!h) return RemotingCommand.responseTo(req, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, 'fake: not supported');
      return h(req, ch);
    });
  }

  get address(): string {
    return `127.0.0.1:${this.server.port}`;
  }

  /** Requests with this code received so far. */
  received(code: number): RemotingCommand[] {
    return this.requests.filter((r) => r.code === code);
  }

  /** Resolves on the next request with this code. */
  next(code: number): Promise<RemotingCommand> {
    return new Promise((resolve) => this.#waiters.push({ code, resolve }));
  }

  start(): Promise<void> {
    return this.server.start();
  }

  shutdown(): Promise<void> {
    return this.server.shutdown();
  }
}

export class FakeNamesrv extends RecordingServer {
  readonly routes = new Map<string, TopicRouteData>();

  constructor() {
    const handlers = new Map<number, Reply>();
    super(handlers);
    handlers.set(RequestCode.GET_ROUTEINFO_BY_TOPIC, (req) => {
      const topic = req.ext('topic') ?? '';
      const route = this.routes.get(topic);
      if (!route) return RemotingCommand.responseTo(req, ResponseCode.TOPIC_NOT_EXIST, `No topic route info in name server for the topic: ${topic}`);
      return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, undefined, serializeTopicRouteData(route));
    });
  }
}

export interface SendReply {
  code?: number;
  remark?: string;
}

/** Shared between brokers: scripted replies for the next SENDs (whichever broker gets them) and the order of arrival. */
export interface SendScript {
  replies: SendReply[];
  log: Array<{ broker: string; request: RemotingCommand }>;
}

export function sendScript(): SendScript {
  return { replies: [], log: [] };
}

export class FakeBroker extends RecordingServer {
  readonly name: string;
  /** Reply codes for the next SENDs, used up in order; then SUCCESS. */
  readonly script: SendScript;
  #offset = 0;

  constructor(name: string, script: SendScript = sendScript()) {
    const handlers = new Map<number, Reply>();
    super(handlers);
    this.name = name;
    this.script = script;
    const send: Reply = (req) => {
      this.script.log.push({ broker: this.name, request: req });
      const scripted = this.script.replies.shift();
      const code = scripted?.code ?? ResponseCode.SUCCESS;
      if (![0, 10, 11, 12].includes(code)) return RemotingCommand.responseTo(req, code, scripted?.remark ?? 'scripted failure');
      const queueOffset = this.#offset++;
      return RemotingCommand.responseTo(req, code, undefined, {
        msgId: `7F00000100002A9F${queueOffset.toString(16).toUpperCase().padStart(16, '0')}`,
        queueId: req.ext('e') ?? req.ext('queueId') ?? '0',
        queueOffset: String(queueOffset),
        transactionId: decodeProperties(req.ext('i') ?? '').UNIQ_KEY ?? '',
        MSG_REGION: 'DefaultRegion',
        TRACE_ON: 'true',
      });
    };
    handlers.set(RequestCode.SEND_MESSAGE_V2, send);
    handlers.set(RequestCode.SEND_BATCH_MESSAGE, send);
    handlers.set(RequestCode.SEND_MESSAGE, send);
    handlers.set(RequestCode.HEART_BEAT, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
    handlers.set(RequestCode.UNREGISTER_CLIENT, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS));
  }

  /** SEND requests (310/320/10) received so far. */
  sends(): RemotingCommand[] {
    return this.requests.filter((r) => r.code === RequestCode.SEND_MESSAGE_V2 || r.code === RequestCode.SEND_BATCH_MESSAGE || r.code === RequestCode.SEND_MESSAGE);
  }
}

/** Route with one master per broker, `queues` read/write queues each, perm 6. */
export function routeOf(brokers: Array<{ name: string; addr: string; queues?: number; perm?: number }>): TopicRouteData {
  return {
    queueDatas: brokers.map((b) => ({
      brokerName: b.name,
      readQueueNums: b.queues ?? 4,
      writeQueueNums: b.queues ?? 4,
      perm: b.perm ?? 6,
      topicSysFlag: 0,
    })),
    brokerDatas: brokers.map((b) => ({ cluster: 'DefaultCluster', brokerName: b.name, brokerAddrs: { '0': b.addr }, enableActingMaster: false })),
    filterServerTable: {},
  };
}

/** An address nobody listens on (a port bound and released). */
export async function deadAddress(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const a = srv.address();
  const port = typeof a === 'object' && a !== null ? a.port : 0;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/** Yield to the event loop until `pred` holds (at most `rounds` turns); throws if it never does. */
export async function until(pred: () => boolean, what: string, rounds = 200_000): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (pred()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`condition never held: ${what}`);
}
