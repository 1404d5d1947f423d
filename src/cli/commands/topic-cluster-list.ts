// mqadmin topicClusterList: the clusters whose brokers serve a topic.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit } from '../output.ts';

export const topicClusterListCommand: MqadminCommand = {
  name: 'topicClusterList',
  description: 'Get cluster info for topic',
  options: [{ flags: '-t, --topic <topic>', description: 'topic name', required: true }],
  async run(ctx) {
    const topic = reqString(ctx.opts, 'topic', '-t');
    const clusters = await (await ctx.admin()).topicClusterList(topic);
    emit(ctx, { topic, clusters }, () => clusters.map((c) => `${c}\n`).join(''));
  },
};
