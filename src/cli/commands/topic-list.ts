// mqadmin topicList: every topic the NameServer knows; -c adds the cluster of each topic.
import type { MqadminCommand } from '../command.ts';
import { emit, formatTable } from '../output.ts';

export const topicListCommand: MqadminCommand = {
  name: 'topicList',
  description: 'Fetch all topic list from name server',
  options: [{ flags: '-c, --clusterModel', description: 'print the cluster of each topic' }],
  async run(ctx) {
    const admin = await ctx.admin();
    const topics = await admin.topicList();
    if (ctx.opts.clusterModel !== true) {
      emit(ctx, { topicList: topics }, () => topics.map((t) => `${t}\n`).join(''));
      return;
    }
    const ci = await admin.clusterInfo();
    const rows: Array<{ clusterName: string; topic: string }> = [];
    for (const cluster of Object.keys(ci.clusterAddrTable).sort()) {
      for (const t of await admin.getTopicsByCluster(cluster)) rows.push({ clusterName: cluster, topic: t });
    }
    emit(ctx, { topics: rows }, () => formatTable(['#Cluster Name', '#Topic'], rows.map((r) => [r.clusterName, r.topic])));
  },
};
