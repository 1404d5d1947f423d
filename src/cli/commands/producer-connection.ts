// mqadmin producerConnection: the online producers of a group, found through the brokers of a topic.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit, formatTable } from '../output.ts';

export const producerConnectionCommand: MqadminCommand = {
  name: 'producerConnection',
  description: "Query producer's socket connection and client version",
  options: [
    { flags: '-g, --producerGroup <group>', description: 'producer group name', required: true },
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
  ],
  async run(ctx) {
    const group = reqString(ctx.opts, 'producerGroup', '-g');
    const topic = reqString(ctx.opts, 'topic', '-t');
    const pc = await (await ctx.admin()).producerConnection(group, topic);
    emit(ctx, pc, () =>
      formatTable(
        ['#ClientId', '#ClientAddr', '#Language', '#Version'],
        [...pc.connectionSet].sort((a, b) => (a.clientId < b.clientId ? -1 : 1)).map((c, i) => [`${String(i + 1).padStart(4, '0')} ${c.clientId}`, c.clientAddr, c.language, c.version]),
      ),
    );
  },
};
