// mqadmin queryMsgByOffset: the message at one offset of one queue.
import type { MqadminCommand } from '../command.ts';
import { nonNegativeIntArg, reqNumber, reqString } from '../flags.ts';
import { emit, formatMessage, messageJson } from '../output.ts';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

export const queryMsgByOffsetCommand: MqadminCommand = {
  name: 'queryMsgByOffset',
  description: 'Query Message by offset',
  options: [
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-b, --brokerName <name>', description: 'broker name', required: true },
    { flags: '-i, --queueId <id>', description: 'queue id', required: true, parse: nonNegativeIntArg },
    { flags: '-o, --offset <offset>', description: 'queue offset', required: true, parse: nonNegativeIntArg },
  ],
  async run(ctx) {
    const mq = { topic: reqString(ctx.opts, 'topic', '-t'), brokerName: reqString(ctx.opts, 'brokerName', '-b'), queueId: reqNumber(ctx.opts, 'queueId', '-i') };
    const offset = reqNumber(ctx.opts, 'offset', '-o');
    const r = await (await ctx.admin()).queryMessageByOffset(mq, offset);
    if (r.message === undefined) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `no message at offset ${offset} of ${mq.topic}/${mq.brokerName}/${mq.queueId}: ${r.status} (queue offsets ${r.minOffset}..${r.maxOffset})`);
    }
    const m = r.message;
    emit(ctx, messageJson(m), () => formatMessage(m));
  },
};
