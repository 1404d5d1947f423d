// mqadmin deleteTopic: delete a topic from every master of a cluster and from every NameServer.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit } from '../output.ts';

export const deleteTopicCommand: MqadminCommand = {
  name: 'deleteTopic',
  description: 'Delete topic from broker and NameServer',
  options: [
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-c, --clusterName <cluster>', description: 'delete topic from which cluster', required: true },
  ],
  async run(ctx) {
    const topic = reqString(ctx.opts, 'topic', '-t');
    const cluster = reqString(ctx.opts, 'clusterName', '-c');
    const admin = await ctx.admin();
    const res = await admin.deleteTopic(topic, cluster);
    emit(ctx, { topic, clusterName: cluster, ...res }, () =>
      `delete topic [${topic}] from cluster [${cluster}] success.\n` +
      `delete topic [${topic}] from NameServer success (${res.namesrvAddrs.join(', ')}).\n`,
    );
  },
};
