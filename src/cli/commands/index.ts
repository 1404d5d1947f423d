// Every mqadmin command, in the order `mqadmin` lists them (grouped like Java's MQAdminStartup).
import type { MqadminCommand } from '../command.ts';
import { addWritePermCommand } from './add-write-perm.ts';
import { brokerStatusCommand } from './broker-status.ts';
import { clusterListCommand } from './cluster-list.ts';
import { consumeMessageCommand } from './consume-message.ts';
import { consumerConnectionCommand } from './consumer-connection.ts';
import { consumerProgressCommand } from './consumer-progress.ts';
import { deleteKvConfigCommand } from './delete-kv-config.ts';
import { deleteSubGroupCommand } from './delete-sub-group.ts';
import { deleteTopicCommand } from './delete-topic.ts';
import { getBrokerConfigCommand } from './get-broker-config.ts';
import { getNamesrvConfigCommand } from './get-namesrv-config.ts';
import { printMsgCommand } from './print-msg.ts';
import { producerConnectionCommand } from './producer-connection.ts';
import { queryMsgByIdCommand } from './query-msg-by-id.ts';
import { queryMsgByKeyCommand } from './query-msg-by-key.ts';
import { queryMsgByOffsetCommand } from './query-msg-by-offset.ts';
import { queryMsgByUniqueKeyCommand } from './query-msg-by-unique-key.ts';
import { resetOffsetByTimeCommand } from './reset-offset-by-time.ts';
import { sendMessageCommand } from './send-message.ts';
import { topicClusterListCommand } from './topic-cluster-list.ts';
import { topicListCommand } from './topic-list.ts';
import { topicRouteCommand } from './topic-route.ts';
import { topicStatusCommand } from './topic-status.ts';
import { updateBrokerConfigCommand } from './update-broker-config.ts';
import { updateKvConfigCommand } from './update-kv-config.ts';
import { updateNamesrvConfigCommand } from './update-namesrv-config.ts';
import { updateSubGroupCommand } from './update-sub-group.ts';
import { updateTopicCommand } from './update-topic.ts';
import { wipeWritePermCommand } from './wipe-write-perm.ts';

export const MQADMIN_COMMANDS: readonly MqadminCommand[] = [
  updateTopicCommand,
  deleteTopicCommand,
  topicListCommand,
  topicRouteCommand,
  topicStatusCommand,
  topicClusterListCommand,
  updateSubGroupCommand,
  deleteSubGroupCommand,
  consumerProgressCommand,
  consumerConnectionCommand,
  producerConnectionCommand,
  resetOffsetByTimeCommand,
  clusterListCommand,
  brokerStatusCommand,
  getBrokerConfigCommand,
  updateBrokerConfigCommand,
  queryMsgByIdCommand,
  queryMsgByKeyCommand,
  queryMsgByUniqueKeyCommand,
  queryMsgByOffsetCommand,
  printMsgCommand,
  sendMessageCommand,
  consumeMessageCommand,
  wipeWritePermCommand,
  addWritePermCommand,
  updateKvConfigCommand,
  deleteKvConfigCommand,
  getNamesrvConfigCommand,
  updateNamesrvConfigCommand,
];
