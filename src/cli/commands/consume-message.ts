// mqadmin consumeMessage: read messages of a topic (one queue from an offset with -b/-i/-o, or every queue between
// two store times) without committing offsets, and print them.
import type { MqadminCommand } from '../command.ts';
import { nonNegativeIntArg, optNumber, optString, positiveIntArg, reqString, timestampArg } from '../flags.ts';
import { formatMessage, messageJson } from '../output.ts';
import { pullRange } from '../pull-range.ts';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

export const consumeMessageCommand: MqadminCommand = {
  name: 'consumeMessage',
  description: 'Consume message',
  options: [
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-b, --brokerName <name>', description: 'broker name' },
    { flags: '-i, --queueId <id>', description: 'queue id', parse: nonNegativeIntArg },
    { flags: '-o, --offset <offset>', description: 'queue offset', parse: nonNegativeIntArg },
    { flags: '-g, --consumerGroup <group>', description: 'consumer group name (default TOOLS_CONSUMER); offsets are not committed' },
    { flags: '-s, --beginTimestamp <time>', description: 'begin time (ms or yyyy-MM-dd#HH:mm:ss:SSS)', parse: (v) => timestampArg(v) },
    { flags: '-e, --endTimestamp <time>', description: 'end time (ms or yyyy-MM-dd#HH:mm:ss:SSS)', parse: (v) => timestampArg(v) },
    { flags: '-c, --MessageNumber <n>', description: 'number of messages to be consumed (default 128)', parse: positiveIntArg },
  ],
  async run(ctx) {
    const o = ctx.opts;
    const topic = reqString(o, 'topic', '-t');
    const brokerName = optString(o, 'brokerName');
    const queueId = optNumber(o, 'queueId');
    const offset = optNumber(o, 'offset');
    if ((brokerName === undefined) !== (queueId === undefined) || (offset !== undefined && brokerName === undefined)) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'give -b (brokerName) and -i (queueId) together, and -o (offset) only with them');
    }
    const admin = await ctx.admin();
    const json: Array<Record<string, unknown>> = [];
    let count = 0;
    const queues = await pullRange(admin, {
      topic,
      queues: brokerName !== undefined && queueId !== undefined ? [{ topic, brokerName, queueId }] : undefined,
      fromOffset: offset,
      beginTimestamp: optNumber(o, 'beginTimestamp'),
      endTimestamp: optNumber(o, 'endTimestamp'),
      group: optString(o, 'consumerGroup'),
      maxMessages: optNumber(o, 'MessageNumber') ?? 128,
      onMessage: (m, mq) => {
        count++;
        if (ctx.json) json.push(messageJson(m));
        else ctx.io.out(`Consume ok\nMSGID: ${m.msgId} ${mq.brokerName}:${mq.queueId}\n${formatMessage(m)}\n`);
      },
    });
    if (ctx.json) {
      ctx.io.out(JSON.stringify({ queues: queues.map((q) => ({ ...q.mq, from: q.from, to: q.to, count: q.count })), messages: json }, null, 2) + '\n');
      return;
    }
    ctx.io.out(`${count} message(s) consumed\n`);
  },
};
