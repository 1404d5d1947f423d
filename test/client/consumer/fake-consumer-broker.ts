// A scripted broker for consumer tests: RemotingServer on 127.0.0.1 port 0 that stores messages per queue in memory
// and answers the consumer's requests (heartbeat, consumer list, offsets, pull with a short long-poll, send-back,
// queue locks). It records every request and can be told to answer the next pulls of a queue with given codes.
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { encodeRecord } from '../../../src/common/message/message-record.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { RemotingServer } from '../../../src/remoting/transport/remoting-server.ts';
import type { RemotingChannel } from '../../../src/remoting/transport/types.ts';

export interface StoredMessage {
  body: string;
  tags?: string;
  keys?: string;
  properties?: Record<string, string>;
  reconsumeTimes?: number;
}

interface Held {
  resolve: () => void;
}

interface ConsumerChannel {
  clientId: string;
  channel: RemotingChannel;
}

export class FakeConsumerBroker {
  readonly server = new RemotingServer({ host: '127.0.0.1', port: 0, name: 'fake-consumer-broker' });
  readonly name: string;
  readonly requests: RemotingCommand[] = [];
  /** topic:queueId → records (index = queue offset). */
  readonly queues = new Map<string, Buffer[]>();
  /** group@topic:queueId → committed offset. */
  readonly offsets = new Map<string, number>();
  /** group → members that heartbeated (clientId → channel). */
  readonly members = new Map<string, Map<string, ConsumerChannel>>();
  /** topic:queueId → clientId holding the lock. */
  readonly locks = new Map<string, string>();
  /** topic:queueId → response codes for the next pulls. */
  readonly pullScript = new Map<string, Array<{ code: number; nextBeginOffset?: number }>>();
  /** Response codes for the next CONSUMER_SEND_MSG_BACK requests. */
  readonly sendBackScript: number[] = [];
  /** How long an empty pull is held (ms). */
  holdMs = 100;
  #held = new Set<Held>();
  #commitLogOffset = 1000;

  constructor(name = 'broker-a') {
    this.name = name;
    this.server.setDefaultHandler((req, ch) => {
      this.requests.push(req);
      return this.#handle(req, ch);
    });
  }

  get address(): string {
    return `127.0.0.1:${this.server.port}`;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  async shutdown(): Promise<void> {
    for (const h of this.#held) h.resolve();
    await this.server.shutdown();
  }

  received(code: number): RemotingCommand[] {
    return this.requests.filter((r) => r.code === code);
  }

  /** Append messages to topic:queueId; wakes held pulls. Returns their queue offsets. */
  put(topic: string, queueId: number, msgs: StoredMessage[]): number[] {
    const key = `${topic}:${queueId}`;
    const list = this.queues.get(key) ?? [];
    this.queues.set(key, list);
    const offsets: number[] = [];
    for (const m of msgs) {
      const props: Record<string, string> = { ...(m.properties ?? {}) };
      if (m.tags !== undefined) props.TAGS = m.tags;
      if (m.keys !== undefined) props.KEYS = m.keys;
      const queueOffset = list.length;
      const commitLogOffset = this.#commitLogOffset;
      const rec = encodeRecord({
        topic,
        queueId,
        flag: 0,
        body: Buffer.from(m.body),
        properties: encodeProperties(props),
        sysFlag: 0,
        bornTimestamp: 1_700_000_000_000,
        bornHost: { address: '127.0.0.1', port: 5555 },
        storeTimestamp: 1_700_000_000_100,
        storeHost: { address: '127.0.0.1', port: this.server.port },
        reconsumeTimes: m.reconsumeTimes ?? 0,
        preparedTransactionOffset: 0,
        queueOffset,
        commitLogOffset,
      });
      this.#commitLogOffset += rec.length;
      list.push(rec);
      offsets.push(queueOffset);
    }
    for (const h of [...this.#held]) h.resolve();
    return offsets;
  }

  committed(group: string, topic: string, queueId: number): number | undefined {
    return this.offsets.get(`${group}@${topic}:${queueId}`);
  }

  memberIds(group: string): string[] {
    return [...(this.members.get(group)?.keys() ?? [])];
  }

  #notify(group: string): void {
    for (const m of this.members.get(group)?.values() ?? []) {
      if (!m.channel.closed) m.channel.invokeOneway(RemotingCommand.request(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: group }));
    }
  }

  async #handle(req: RemotingCommand, ch: RemotingChannel): Promise<RemotingCommand | null> {
    const ok = (ext?: Record<string, string>, body?: Buffer): RemotingCommand => RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, ext, body);
    const e = (k: string): string => req.ext(k) ?? '';
    switch (req.code) {
      case RequestCode.HEART_BEAT: {
        const hb = JSON.parse(req.body?.toString() ?? '{}') as { clientID: string; consumerDataSet: Array<{ groupName: string }> };
        for (const c of hb.consumerDataSet ?? []) {
          const m = this.members.get(c.groupName) ?? new Map<string, ConsumerChannel>();
          this.members.set(c.groupName, m);
          const isNew = !m.has(hb.clientID);
          m.set(hb.clientID, { clientId: hb.clientID, channel: ch });
          if (isNew) this.#notify(c.groupName);
        }
        return ok();
      }
      case RequestCode.UNREGISTER_CLIENT: {
        const group = e('consumerGroup');
        if (group && this.members.get(group)?.delete(e('clientID'))) this.#notify(group);
        return ok();
      }
      case RequestCode.GET_CONSUMER_LIST_BY_GROUP: {
        const ids = this.memberIds(e('consumerGroup'));
        if (ids.length === 0) return RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, 'no consumer for this group');
        return ok(undefined, Buffer.from(JSON.stringify({ consumerIdList: ids })));
      }
      case RequestCode.QUERY_CONSUMER_OFFSET: {
        const v = this.offsets.get(`${e('consumerGroup')}@${e('topic')}:${e('queueId')}`);
        if (v === undefined) return RemotingCommand.responseTo(req, ResponseCode.QUERY_NOT_FOUND, 'Not found');
        return ok({ offset: String(v) });
      }
      case RequestCode.UPDATE_CONSUMER_OFFSET:
        this.offsets.set(`${e('consumerGroup')}@${e('topic')}:${e('queueId')}`, Number(e('commitOffset')));
        return req.isOneway ? null : ok();
      case RequestCode.GET_MAX_OFFSET:
        return ok({ offset: String(this.queues.get(`${e('topic')}:${e('queueId')}`)?.length ?? 0) });
      case RequestCode.GET_MIN_OFFSET:
        return ok({ offset: '0' });
      case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP:
        return ok({ offset: '1' });
      case RequestCode.CONSUMER_SEND_MSG_BACK: {
        const code = this.sendBackScript.shift() ?? ResponseCode.SUCCESS;
        return RemotingCommand.responseTo(req, code, code === 0 ? undefined : 'scripted send-back failure');
      }
      case RequestCode.LOCK_BATCH_MQ:
      case RequestCode.UNLOCK_BATCH_MQ: {
        const body = JSON.parse(req.body?.toString() ?? '{}') as { clientId: string; mqSet: Array<{ topic: string; brokerName: string; queueId: number }> };
        const locked: typeof body.mqSet = [];
        for (const mq of body.mqSet) {
          const k = `${mq.topic}:${mq.queueId}`;
          const holder = this.locks.get(k);
          if (req.code === RequestCode.UNLOCK_BATCH_MQ) {
            if (holder === body.clientId) this.locks.delete(k);
            continue;
          }
          if (holder === undefined || holder === body.clientId) {
            this.locks.set(k, body.clientId);
            locked.push(mq);
          }
        }
        if (req.code === RequestCode.UNLOCK_BATCH_MQ) return req.isOneway ? null : ok();
        return ok(undefined, Buffer.from(JSON.stringify({ lockOKMQSet: locked })));
      }
      case RequestCode.PULL_MESSAGE:
        return this.#pull(req);
      default:
        return RemotingCommand.responseTo(req, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, 'fake: not supported');
    }
  }

  async #pull(req: RemotingCommand): Promise<RemotingCommand> {
    const topic = req.ext('topic') ?? '';
    const queueId = Number(req.ext('queueId'));
    const offset = Number(req.ext('queueOffset'));
    const max = Number(req.ext('maxMsgNums'));
    const key = `${topic}:${queueId}`;
    const sysFlag = Number(req.ext('sysFlag'));
    if ((sysFlag & 1) !== 0) this.offsets.set(`${req.ext('consumerGroup')}@${key}`, Number(req.ext('commitOffset')));
    const header = (next: number): Record<string, string> => ({
      suggestWhichBrokerId: '0',
      nextBeginOffset: String(next),
      minOffset: '0',
      maxOffset: String(this.queues.get(key)?.length ?? 0),
    });
    const scripted = this.pullScript.get(key)?.shift();
    if (scripted) {
      return RemotingCommand.responseTo(req, scripted.code, 'scripted', header(scripted.nextBeginOffset ?? offset));
    }
    const list = this.queues.get(key) ?? [];
    if (offset >= list.length) {
      await new Promise<void>((resolve) => {
        const h: Held = {
          resolve: () => {
            clearTimeout(t);
            this.#held.delete(h);
            resolve();
          },
        };
        const t = setTimeout(h.resolve, this.holdMs);
        this.#held.add(h);
      });
    }
    const now = this.queues.get(key) ?? [];
    if (offset >= now.length) return RemotingCommand.responseTo(req, ResponseCode.PULL_NOT_FOUND, 'OFFSET_OVERFLOW_ONE', header(offset));
    const recs = now.slice(offset, offset + max);
    return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, 'FOUND', header(offset + recs.length), Buffer.concat(recs));
  }
}
