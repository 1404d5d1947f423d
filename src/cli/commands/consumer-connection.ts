// mqadmin consumerConnection: the online consumers of a group, their subscriptions and consume settings.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit, formatTable } from '../output.ts';

export const consumerConnectionCommand: MqadminCommand = {
  name: 'consumerConnection',
  description: "Query consumer's socket connection, client version and subscription",
  options: [
    { flags: '-g, --consumerGroup <group>', description: 'consumer group name', required: true },
    { flags: '-b, --brokerAddr <addr>', description: 'accepted for compatibility; the group route decides' },
  ],
  async run(ctx) {
    const group = reqString(ctx.opts, 'consumerGroup', '-g');
    const cc = await (await ctx.admin()).consumerConnection(group);
    emit(ctx, cc, () => {
      const conns = formatTable(
        ['#ClientId', '#ClientAddr', '#Language', '#Version'],
        [...cc.connectionSet].sort((a, b) => (a.clientId < b.clientId ? -1 : 1)).map((c, i) => [`${String(i + 1).padStart(3, '0')} ${c.clientId}`, c.clientAddr, c.language, c.version]),
      );
      const subs = formatTable(
        ['#Topic', '#SubExpression'],
        Object.values(cc.subscriptionTable).map((s) => [s.topic, s.subString]),
      );
      return `${conns}\nBelow is subscription:\n${subs}\nConsumeType: ${cc.consumeType ?? ''}\nMessageModel: ${cc.messageModel ?? ''}\nConsumeFromWhere: ${cc.consumeFromWhere ?? ''}\n`;
    });
  },
};
