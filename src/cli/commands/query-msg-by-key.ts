// mqadmin queryMsgByKey: messages of a topic whose KEYS contain a key (the broker's index, every broker of the topic).
import type { MqadminCommand } from '../command.ts';
import { optNumber, positiveIntArg, reqString, timestampArg } from '../flags.ts';
import { emit, formatTable, humanTime, messageJson } from '../output.ts';

export const queryMsgByKeyCommand: MqadminCommand = {
  name: 'queryMsgByKey',
  description: 'Query Message by Key',
  options: [
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-k, --msgKey <key>', description: 'message key', required: true },
    { flags: '-b, --beginTimestamp <time>', description: 'begin timestamp (ms, default 0)', parse: (v) => timestampArg(v) },
    { flags: '-e, --endTimestamp <time>', description: 'end timestamp (ms, default no end)', parse: (v) => timestampArg(v) },
    { flags: '-m, --maxNum <n>', description: 'most messages per broker (default 64)', parse: positiveIntArg },
    { flags: '-c, --cluster <cluster>', description: 'accepted for compatibility; the route decides' },
  ],
  async run(ctx) {
    const topic = reqString(ctx.opts, 'topic', '-t');
    const key = reqString(ctx.opts, 'msgKey', '-k');
    const found = await (await ctx.admin()).queryMessageByKey(topic, key, {
      beginTimestamp: optNumber(ctx.opts, 'beginTimestamp'),
      endTimestamp: optNumber(ctx.opts, 'endTimestamp'),
      maxNum: optNumber(ctx.opts, 'maxNum'),
    });
    emit(ctx, found.map(messageJson), () =>
      formatTable(
        ['#Message ID', '#QID', '#Offset', '#Tags', '#Store Time'],
        found.map((m) => [m.msgId, m.queueId, m.queueOffset, m.tags, humanTime(m.storeTimestamp)]),
      ),
    );
  },
};
