// The broker's reading of a HEART_BEAT body (PROTOCOL.md §4.3): the shared decoder
// (remoting/protocol/body/heartbeat-data.ts) checks types; the broker also refuses empty client, group and topic names.
// Every refusal is a RocketMQError(PROTOCOL) naming the field, answered with 1 SYSTEM_ERROR as a Java broker does.
import { bodyError } from '../../remoting/protocol/body/json-fields.ts';
import { parseHeartbeatData as decodeHeartbeatData } from '../../remoting/protocol/body/heartbeat-data.ts';
import type { HeartbeatData } from '../../remoting/protocol/body/heartbeat-data.ts';

function requireName(name: string, what: string): void {
  if (name === '') throw bodyError('HeartbeatData', `${what} is empty`);
}

export function parseHeartbeatData(body: Buffer | string | undefined | null): HeartbeatData {
  const hb = decodeHeartbeatData(body);
  requireName(hb.clientID, 'clientID');
  hb.producerDataSet.forEach((p, i) => requireName(p.groupName, `producerDataSet[${i}].groupName`));
  hb.consumerDataSet.forEach((c, i) => {
    requireName(c.groupName, `consumerDataSet[${i}].groupName`);
    c.subscriptionDataSet.forEach((s, j) => requireName(s.topic, `consumerDataSet[${i}].subscriptionDataSet[${j}].topic`));
  });
  return hb;
}
