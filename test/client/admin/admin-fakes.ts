// Fake NameServer and brokers for AdminClient tests: RemotingServers on 127.0.0.1 port 0 that record every request
// and answer with handlers a test installs per request code (3 REQUEST_CODE_NOT_SUPPORTED otherwise).
import { AdminClient } from '../../../src/client/admin/admin-client.ts';
import { ClientInstance } from '../../../src/client/instance/client-instance.ts';
import { serializeClusterInfo } from '../../../src/remoting/protocol/body/cluster-info.ts';
import type { ClusterInfo } from '../../../src/remoting/protocol/body/cluster-info.ts';
import { serializeTopicRouteData } from '../../../src/remoting/protocol/body/topic-route-data.ts';
import type { TopicRouteData } from '../../../src/remoting/protocol/body/topic-route-data.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { RemotingServer } from '../../../src/remoting/transport/remoting-server.ts';
import type { RemotingChannel } from '../../../src/remoting/transport/types.ts';
import { routeOf, uniqueName } from '../helpers.ts';

export type Reply = (req: RemotingCommand, channel: RemotingChannel) => RemotingCommand | null | Promise<RemotingCommand | null>;

export class ScriptedServer {
  readonly name: string;
  readonly server = new RemotingServer({ host: '127.0.0.1', port: 0, name: 'fake-admin' });
  readonly requests: RemotingCommand[] = [];
  readonly #handlers = new Map<number, Reply>();

  constructor(name: string) {
    this.name = name;
    this.server.setDefaultHandler((req, ch) => {
      this.requests.push(req);
      const h = this.#handlers.get(req.code);
      if (!h) return RemotingCommand.responseTo(req, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `fake ${this.name}: not supported`);
      return h(req, ch);
    });
  }

  /** Install (replace) the handler of `code`. */
  on(code: number, reply: Reply): this {
    this.#handlers.set(code, reply);
    return this;
  }

  /** Answer `code` with SUCCESS and the given header/body. */
  reply(code: number, ext?: ExtFields, body?: Buffer | string, resCode: number = ResponseCode.SUCCESS, remark?: string): this {
    return this.on(code, (req) => RemotingCommand.responseTo(req, resCode, remark, ext, typeof body === 'string' ? Buffer.from(body) : body));
  }

  received(code: number): RemotingCommand[] {
    return this.requests.filter((r) => r.code === code);
  }

  get address(): string {
    return `127.0.0.1:${this.server.port}`;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  shutdown(): Promise<void> {
    return this.server.shutdown();
  }
}

export const CLUSTER = 'ClusterX';

/** Two fake NameServers, two fake brokers (broker-a, broker-b, masters of CLUSTER) and a started AdminClient. */
export class AdminFixture {
  readonly ns1 = new ScriptedServer('ns1');
  readonly ns2 = new ScriptedServer('ns2');
  readonly brokerA = new ScriptedServer('broker-a');
  readonly brokerB = new ScriptedServer('broker-b');
  readonly routes = new Map<string, TopicRouteData>();
  instance!: ClientInstance;
  admin!: AdminClient;

  static async start(): Promise<AdminFixture> {
    const f = new AdminFixture();
    await Promise.all([f.ns1.start(), f.ns2.start(), f.brokerA.start(), f.brokerB.start()]);
    for (const ns of [f.ns1, f.ns2]) {
      ns.on(RequestCode.GET_ROUTEINFO_BY_TOPIC, (req) => {
        const route = f.routes.get(req.ext('topic') ?? '');
        if (!route) return RemotingCommand.responseTo(req, ResponseCode.TOPIC_NOT_EXIST, 'No topic route info in name server for the topic');
        return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, undefined, serializeTopicRouteData(route));
      });
      ns.on(RequestCode.GET_BROKER_CLUSTER_INFO, (req) => RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, undefined, serializeClusterInfo(f.clusterInfo())));
    }
    f.instance = new ClientInstance({ namesrvAddr: [f.ns1.address, f.ns2.address], instanceName: uniqueName('adm'), clientIP: '127.0.0.1' });
    f.admin = new AdminClient({ namesrvAddr: [f.ns1.address, f.ns2.address], clientInstance: f.instance, timeoutMs: 5_000 });
    await f.admin.start();
    return f;
  }

  clusterInfo(): ClusterInfo {
    const bd = (b: ScriptedServer): ClusterInfo['brokerAddrTable'][string] => ({ cluster: CLUSTER, brokerName: b.name, brokerAddrs: { '0': b.address }, enableActingMaster: false });
    return { brokerAddrTable: { 'broker-a': bd(this.brokerA), 'broker-b': bd(this.brokerB) }, clusterAddrTable: { [CLUSTER]: ['broker-a', 'broker-b'] } };
  }

  /** Route `topic` to both brokers with `queues` queues each. */
  routeTopic(topic: string, queues = 2): void {
    this.routes.set(topic, routeOf([{ name: 'broker-a', addr: this.brokerA.address, queues }, { name: 'broker-b', addr: this.brokerB.address, queues }]));
  }

  all(): ScriptedServer[] {
    return [this.ns1, this.ns2, this.brokerA, this.brokerB];
  }

  async close(): Promise<void> {
    await this.admin.shutdown();
    await this.instance.shutdown();
    await Promise.all(this.all().map((s) => s.shutdown()));
  }
}
