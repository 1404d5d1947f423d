// All broker admin requests mqadmin sends besides the topic ones (PROTOCOL.md §2.1 admin table), as one processor
// the controller registers: broker config/runtime/topic lists, subscription groups, offset statistics, connections,
// reset-offset and the consumer running-info relay. Each family lives in its own processor file.
import type { RequestHandler } from '../../remoting/transport/types.ts';
import { BrokerAdminProcessor } from './broker-admin-processor.ts';
import type { BrokerAdminContext } from './broker-admin-processor.ts';
import { ConsumerAdminProcessor } from './consumer-admin-processor.ts';
import type { BrokerProcessor } from './reply.ts';
import { StatsProcessor } from './stats-processor.ts';
import { SubscriptionAdminProcessor } from './subscription-admin-processor.ts';

export class AdminProcessor implements BrokerProcessor {
  readonly broker: BrokerAdminProcessor;
  readonly subscription: SubscriptionAdminProcessor;
  readonly stats: StatsProcessor;
  readonly consumer: ConsumerAdminProcessor;

  constructor(ctx: BrokerAdminContext) {
    this.broker = new BrokerAdminProcessor(ctx);
    this.subscription = new SubscriptionAdminProcessor(ctx);
    this.stats = new StatsProcessor(ctx);
    this.consumer = new ConsumerAdminProcessor(ctx);
  }

  handlers(): Array<[number, RequestHandler]> {
    return [...this.broker.handlers(), ...this.subscription.handlers(), ...this.stats.handlers(), ...this.consumer.handlers()];
  }
}
