// mqadmin sendMessage: send one message (body -p, keys -k, tag -c), optionally to one broker (-b) and queue (-i).
import type { MqadminCommand } from '../command.ts';
import { boolArg, nonNegativeIntArg, optNumber, optString, reqString } from '../flags.ts';
import { emit, formatTable } from '../output.ts';
import { Producer } from '../../client/producer/producer.ts';
import type { Message, MessageQueue, SendResult } from '../../client/message.ts';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

export const sendMessageCommand: MqadminCommand = {
  name: 'sendMessage',
  description: 'Send a message',
  options: [
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-p, --body <body>', description: 'UTF-8 string format of the message body', required: true },
    { flags: '-k, --key <keys>', description: 'message keys' },
    { flags: '-c, --tags <tags>', description: 'message tags' },
    { flags: '-b, --broker <brokerName>', description: 'send message to target broker' },
    { flags: '-i, --qid <queueId>', description: 'send message to target queue (with -b)', parse: nonNegativeIntArg },
    { flags: '-m, --msgTraceEnable <bool>', description: 'accepted for compatibility; only false is supported', parse: boolArg },
  ],
  async run(ctx) {
    const o = ctx.opts;
    const topic = reqString(o, 'topic', '-t');
    const brokerName = optString(o, 'broker');
    const qid = optNumber(o, 'qid');
    if (qid !== undefined && brokerName === undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'option -i (qid) needs -b (broker)');
    if (o.msgTraceEnable === true) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'message trace (-m true) is not supported');
    const msg: Message = { topic, body: typeof o.body === 'string' ? o.body : '' };
    const keys = optString(o, 'key');
    const tags = optString(o, 'tags');
    if (keys !== undefined) msg.keys = keys;
    if (tags !== undefined) msg.tags = tags;
    const producer = new Producer({ namesrvAddr: ctx.namesrvAddr, group: `TOOLS_PRODUCER_${process.pid}`, instanceName: `mqadmin-send#${process.pid}#${ctx.now()}` });
    await producer.start();
    ctx.onClose(() => producer.shutdown());
    let result: SendResult;
    if (brokerName === undefined) {
      result = await producer.send(msg);
    } else {
      let queue: MessageQueue | undefined;
      if (qid !== undefined) {
        queue = { topic, brokerName, queueId: qid };
      } else {
        const mine = (await producer.fetchPublishQueues(topic)).filter((q) => q.brokerName === brokerName);
        queue = mine[Math.floor(Math.random() * mine.length)];
        if (queue === undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `broker "${brokerName}" has no writable queue of topic "${topic}"`);
      }
      result = await producer.send(msg, { queue });
    }
    emit(ctx, result, () =>
      formatTable(
        ['#Broker Name', '#QID', '#Send Result', '#MsgId'],
        [[result.messageQueue.brokerName, result.messageQueue.queueId, result.status, result.msgId]],
      ),
    );
  },
};
