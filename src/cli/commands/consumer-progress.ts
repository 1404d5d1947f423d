// mqadmin consumerProgress: per-queue broker offset, consumer offset and lag of a consumer group.
import type { MqadminCommand } from '../command.ts';
import { optString, reqString } from '../flags.ts';
import { emit, formatTable, humanTime } from '../output.ts';

export const consumerProgressCommand: MqadminCommand = {
  name: 'consumerProgress',
  description: 'Query consumers progress, speed',
  options: [
    { flags: '-g, --groupName <group>', description: 'consumer group name', required: true },
    { flags: '-t, --topicName <topic>', description: 'topic name (only this topic; also used to find the brokers)' },
    { flags: '-s, --showClientIP <bool>', description: 'accepted for compatibility (client IPs are not shown)' },
    { flags: '-c, --cluster <cluster>', description: 'accepted for compatibility; the route decides' },
  ],
  async run(ctx) {
    const group = reqString(ctx.opts, 'groupName', '-g');
    const topic = optString(ctx.opts, 'topicName');
    const stats = await (await ctx.admin()).consumeStats(group, topic);
    const rows = topic === undefined ? stats.rows : stats.rows.filter((r) => r.topic === topic);
    const totalDiff = rows.reduce((n, r) => n + r.diff, 0);
    emit(ctx, { ...stats, totalDiff, rows }, () =>
      formatTable(
        ['#Topic', '#Broker Name', '#QID', '#Broker Offset', '#Consumer Offset', '#Diff', '#LastTime'],
        rows.map((r) => [r.topic, r.brokerName, r.queueId, r.brokerOffset, r.consumerOffset, r.diff, r.lastTimestamp > 0 ? humanTime(r.lastTimestamp) : 'N/A']),
      ) +
      `\nConsume TPS: ${stats.consumeTps.toFixed(2)}\nConsume Diff Total: ${totalDiff}\n`,
    );
  },
};
