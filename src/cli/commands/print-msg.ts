// mqadmin printMsg: print every message of a topic (all queues), optionally between two store times and by tag.
import { InvalidArgumentError } from 'commander';
import type { MqadminCommand } from '../command.ts';
import { boolArg, optBool, optNumber, optString, reqString, timestampArg } from '../flags.ts';
import { formatMessage, messageJson } from '../output.ts';
import { pullRange } from '../pull-range.ts';

function charsetArg(value: string): string {
  if (!/^utf-?8$/i.test(value.trim())) throw new InvalidArgumentError(`'${value}' is not supported (only UTF-8).`);
  return 'UTF-8';
}

export const printMsgCommand: MqadminCommand = {
  name: 'printMsg',
  description: 'Print Message Detail',
  options: [
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-c, --charsetName <charset>', description: 'body charset (UTF-8 only)', parse: charsetArg },
    { flags: '-s, --subExpression <expr>', description: 'subscribe expression (eg: TagA || TagB), default *' },
    { flags: '-b, --beginTimestamp <time>', description: 'begin time (ms or yyyy-MM-dd#HH:mm:ss:SSS)', parse: (v) => timestampArg(v) },
    { flags: '-e, --endTimestamp <time>', description: 'end time (ms or yyyy-MM-dd#HH:mm:ss:SSS)', parse: (v) => timestampArg(v) },
    { flags: '-d, --printBody <bool>', description: 'print body (default true)', parse: boolArg },
  ],
  async run(ctx) {
    const topic = reqString(ctx.opts, 'topic', '-t');
    const printBody = optBool(ctx.opts, 'printBody') ?? true;
    const json: Array<Record<string, unknown>> = [];
    const queues = await pullRange(await ctx.admin(), {
      topic,
      subExpression: optString(ctx.opts, 'subExpression'),
      beginTimestamp: optNumber(ctx.opts, 'beginTimestamp'),
      endTimestamp: optNumber(ctx.opts, 'endTimestamp'),
      onMessage: (m, mq) => {
        if (ctx.json) json.push(messageJson(m));
        else ctx.io.out(`MSGID: ${m.msgId} ${mq.brokerName}:${mq.queueId}\n${formatMessage(m, printBody)}\n`);
      },
    });
    if (ctx.json) {
      ctx.io.out(JSON.stringify({ queues: queues.map((q) => ({ ...q.mq, minOffset: q.from, maxOffset: q.to, count: q.count })), messages: json }, null, 2) + '\n');
      return;
    }
    for (const q of queues) ctx.io.out(`${q.mq.brokerName}:${q.mq.queueId} offsets ${q.from}..${q.to}: ${q.count} message(s)\n`);
  },
};
