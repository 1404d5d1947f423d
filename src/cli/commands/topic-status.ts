// mqadmin topicStatus: min/max offset and last update time of every queue of a topic.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit, formatTable, humanTime } from '../output.ts';

export const topicStatusCommand: MqadminCommand = {
  name: 'topicStatus',
  description: 'Examine topic Status info',
  options: [
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-c, --cluster <cluster>', description: 'cluster name (accepted for compatibility; the route decides)' },
  ],
  async run(ctx) {
    const topic = reqString(ctx.opts, 'topic', '-t');
    const rows = await (await ctx.admin()).topicStatus(topic);
    emit(ctx, { topic, queues: rows }, () =>
      formatTable(
        ['#Broker Name', '#QID', '#Min Offset', '#Max Offset', '#Last Updated'],
        rows.map((r) => [r.brokerName, r.queueId, r.minOffset, r.maxOffset, r.lastUpdateTimestamp > 0 ? humanTime(r.lastUpdateTimestamp) : '']),
      ),
    );
  },
};
