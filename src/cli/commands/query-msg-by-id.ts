// mqadmin queryMsgById: look messages up by offsetMsgId (or, with -t, by their client msgId); comma-separated ids.
import type { MqadminCommand } from '../command.ts';
import { optString, reqString } from '../flags.ts';
import { emit, formatMessage, messageJson } from '../output.ts';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import type { MessageView } from '../../client/producer/message-view.ts';

export const queryMsgByIdCommand: MqadminCommand = {
  name: 'queryMsgById',
  description: 'Query Message by Id',
  options: [
    { flags: '-i, --msgId <ids>', description: 'message id(s), comma-separated (offsetMsgId, or the client msgId with -t)', required: true },
    { flags: '-t, --topic <topic>', description: 'topic name (needed to look up a client msgId)' },
    { flags: '-c, --cluster <cluster>', description: 'accepted for compatibility; the route decides' },
  ],
  async run(ctx) {
    const ids = reqString(ctx.opts, 'msgId', '-i').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const topic = optString(ctx.opts, 'topic');
    const admin = await ctx.admin();
    const found: MessageView[] = [];
    for (const id of ids) {
      const m = await admin.queryMessageById(id, topic);
      if (m === undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `message ${id} not found${topic === undefined ? '' : ` in topic ${topic}`}`);
      found.push(m);
    }
    emit(ctx, found.map(messageJson), () => found.map((m) => formatMessage(m)).join('\n'));
  },
};
