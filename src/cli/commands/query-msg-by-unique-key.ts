// mqadmin queryMsgByUniqueKey: a message by its client msgId (UNIQ_KEY) in a topic; -a prints every copy found.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit, formatMessage, messageJson } from '../output.ts';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

export const queryMsgByUniqueKeyCommand: MqadminCommand = {
  name: 'queryMsgByUniqueKey',
  description: 'Query Message by Unique key',
  options: [
    { flags: '-i, --msgId <id>', description: 'message id (UNIQ_KEY)', required: true },
    { flags: '-t, --topic <topic>', description: 'the topic of msg', required: true },
    { flags: '-a, --showAll', description: 'print all messages found (at most 32)' },
    { flags: '-c, --cluster <cluster>', description: 'accepted for compatibility; the route decides' },
  ],
  async run(ctx) {
    const id = reqString(ctx.opts, 'msgId', '-i');
    const topic = reqString(ctx.opts, 'topic', '-t');
    const found = await (await ctx.admin()).queryMessageByUniqueKey(topic, id);
    if (found.length === 0) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `message ${id} not found in topic ${topic}`);
    const shown = ctx.opts.showAll === true ? found : found.slice(0, 1);
    emit(ctx, shown.map(messageJson), () => shown.map((m) => formatMessage(m)).join('\n'));
  },
};
