// mqadmin topicRoute: the route the NameServer gives for a topic (JSON as Java prints it, or -l as a list).
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit, formatTable } from '../output.ts';

export const topicRouteCommand: MqadminCommand = {
  name: 'topicRoute',
  description: 'Examine topic route info',
  options: [
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-l, --list', description: 'use list format to print data' },
  ],
  async run(ctx) {
    const topic = reqString(ctx.opts, 'topic', '-t');
    const route = await (await ctx.admin()).topicRoute(topic);
    emit(ctx, route, () => {
      if (ctx.opts.list !== true) return JSON.stringify(route, null, 2) + '\n';
      const rows = [...route.brokerDatas]
        .sort((a, b) => (a.brokerName < b.brokerName ? -1 : 1))
        .flatMap((bd) => {
          const qd = route.queueDatas.find((q) => q.brokerName === bd.brokerName);
          return Object.entries(bd.brokerAddrs).map(([id, addr]) => [bd.cluster, bd.brokerName, id, addr, qd?.readQueueNums, qd?.writeQueueNums, qd?.perm]);
        });
      return formatTable(['#ClusterName', '#BrokerName', '#BrokerId', '#BrokerAddr', '#ReadQueue', '#WriteQueue', '#Perm'], rows);
    });
  },
};
