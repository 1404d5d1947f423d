// One ClientInstance per clientId per process, shared by every producer and consumer built with the same config and
// reference-counted: the last release shuts it down.
import { buildClientId, resolveClientConfig } from '../client-config.ts';
import type { ClientConfig } from '../client-config.ts';
import { ClientInstance } from './client-instance.ts';
import type { ClientInstanceOptions } from './client-instance.ts';

const instances = new Map<string, { instance: ClientInstance; refs: number }>();

/** The started shared instance for `config` (created on first use). Pair every call with releaseClientInstance. */
export function acquireClientInstance(config: ClientConfig, options?: ClientInstanceOptions): ClientInstance {
  const id = buildClientId(resolveClientConfig(config));
  let entry = instances.get(id);
  if (!entry || !entry.instance.running) {
    entry = { instance: new ClientInstance(config, options), refs: 0 };
    instances.set(id, entry);
    entry.instance.start();
  }
  entry.refs++;
  return entry.instance;
}

/** Drop one reference; shuts the instance down when none is left. */
export async function releaseClientInstance(instance: ClientInstance): Promise<void> {
  const entry = instances.get(instance.clientId);
  if (!entry || entry.instance !== instance) {
    await instance.shutdown();
    return;
  }
  entry.refs--;
  if (entry.refs > 0) return;
  instances.delete(instance.clientId);
  await instance.shutdown();
}

/** The instance a producer or consumer runs on; `owned` = it holds a registry reference to release on shutdown. */
export interface AttachedInstance {
  instance: ClientInstance;
  owned: boolean;
}

/**
 * Start-up shared by producers and consumers: the caller's own `clientInstance` (started if it is not yet) or the
 * shared instance for `config`, then `register` adds the member. If registering throws, an acquired instance is
 * released again and the error rethrown.
 */
export async function attachClientInstance(
  config: ClientConfig & { clientInstance?: ClientInstance | undefined },
  register: (instance: ClientInstance) => void,
): Promise<AttachedInstance> {
  const given = config.clientInstance;
  if (given) given.start();
  const attached = given ? { instance: given, owned: false } : { instance: acquireClientInstance(config), owned: true };
  try {
    register(attached.instance);
  } catch (e) {
    if (attached.owned) await releaseClientInstance(attached.instance);
    throw e;
  }
  return attached;
}

