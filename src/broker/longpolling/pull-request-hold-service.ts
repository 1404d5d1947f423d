// Long polling (PROTOCOL.md §9; Java PullRequestHoldService): a PULL that found nothing is parked under topic@queueId
// with no reply, and re-executed (without suspending again) as soon as a matching message is dispatched to that
// queue (TAG filters look at the tagsCode, SQL92 filters at the dispatched properties), or when its suspend time is
// up. Re-execution is deferred to a microtask so a whole dispatch round is answered in one response rather than one
// message at a time.
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RemotingChannel } from '../../remoting/transport/types.ts';
import type { MessageFilter } from '../../store/query/get-message-result.ts';

export interface HoldPullInput {
  request: RemotingCommand;
  channel: RemotingChannel;
  topic: string;
  queueId: number;
  /** The offset the consumer asked for: a message at or after it wakes the request. */
  pullFromOffset: number;
  filter: MessageFilter;
  /** How long to hold before answering anyway (suspendTimeoutMillis, or shortPollingTimeMills). */
  timeoutMs: number;
}

interface HeldPull extends HoldPullInput {
  key: string;
  timer: ReturnType<typeof setTimeout>;
}

export interface PullRequestHoldServiceOptions {
  /** Runs the pull again (no suspension allowed) and writes the reply. */
  execute: (request: RemotingCommand, channel: RemotingChannel) => void;
  logger: Logger;
}

function keyOf(topic: string, queueId: number): string {
  return `${topic}@${queueId}`;
}

export class PullRequestHoldService {
  readonly #execute: PullRequestHoldServiceOptions['execute'];
  readonly #log: Logger;
  readonly #held = new Map<string, Set<HeldPull>>();
  #toRun: HeldPull[] = [];
  #flushScheduled = false;
  #stopped = false;

  constructor(options: PullRequestHoldServiceOptions) {
    this.#execute = options.execute;
    this.#log = options.logger;
  }

  /** Requests parked right now. */
  get size(): number {
    let n = 0;
    for (const s of this.#held.values()) n += s.size;
    return n;
  }

  suspend(input: HoldPullInput): void {
    if (this.#stopped) return;
    const key = keyOf(input.topic, input.queueId);
    const held: HeldPull = {
      ...input,
      key,
      timer: setTimeout(() => this.#wake(held), Math.max(0, input.timeoutMs)),
    };
    held.timer.unref?.();
    let set = this.#held.get(key);
    if (set === undefined) {
      set = new Set();
      this.#held.set(key, set);
    }
    set.add(held);
  }

  /**
   * A message was dispatched to topic/queueId: the queue's max offset is now `maxOffset`. Wakes every request parked
   * there whose offset is below it and whose filter accepts `tagsCode` (undefined = accept, used by rechecks) and,
   * for property (SQL92) filters, the dispatched message's `properties` (undefined = accept).
   */
  notifyMessageArriving(
    topic: string,
    queueId: number,
    maxOffset: number,
    tagsCode?: number,
    properties?: Readonly<Record<string, string>>,
  ): void {
    if (this.#held.size === 0) return; // no parked pull anywhere: skip building the key (runs for every dispatched message)
    const set = this.#held.get(keyOf(topic, queueId));
    if (set === undefined) return;
    for (const held of [...set]) {
      if (maxOffset <= held.pullFromOffset) continue;
      if (tagsCode !== undefined && !held.filter.isMatchedByTagsCode(tagsCode)) continue;
      if (properties !== undefined && held.filter.isMatchedByProperties !== undefined && !held.filter.isMatchedByProperties(properties)) {
        continue;
      }
      this.#wake(held);
    }
  }

  /** Answers at once every request of `group` parked on topic@queueId (an admin offset reset must not wait 15 s). */
  wakeGroup(topic: string, queueId: number, group: string): void {
    const set = this.#held.get(keyOf(topic, queueId));
    if (set === undefined) return;
    for (const held of [...set]) if (held.request.ext('consumerGroup') === group) this.#wake(held);
  }

  /** Forgets the requests of a closed channel. */
  removeChannel(channel: RemotingChannel): void {
    for (const set of this.#held.values()) {
      for (const held of [...set]) {
        if (held.channel !== channel) continue;
        clearTimeout(held.timer);
        set.delete(held);
      }
    }
  }

  /** Drops every parked request without answering (the connections are closing anyway). */
  shutdown(): void {
    this.#stopped = true;
    for (const set of this.#held.values()) for (const held of set) clearTimeout(held.timer);
    this.#held.clear();
    this.#toRun = [];
  }

  #wake(held: HeldPull): void {
    const set = this.#held.get(held.key);
    if (set === undefined || !set.delete(held)) return;
    if (set.size === 0) this.#held.delete(held.key);
    clearTimeout(held.timer);
    this.#toRun.push(held);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#runWoken());
  }

  #runWoken(): void {
    this.#flushScheduled = false;
    const batch = this.#toRun;
    this.#toRun = [];
    for (const held of batch) {
      if (this.#stopped || held.channel.closed) continue;
      try {
        this.#execute(held.request, held.channel);
      } catch (e) {
        this.#log.error({ err: errorMessage(e), topic: held.topic, queueId: held.queueId }, 'held pull re-execution failed');
      }
    }
  }
}
