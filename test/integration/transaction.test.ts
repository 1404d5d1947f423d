// The project's TransactionProducer against a real NameServer + Broker over TCP: commit, rollback, and an unknown
// outcome resolved by the broker's check-back (CHECK_TRANSACTION_STATE → checkLocalTransaction → END_TRANSACTION).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientInstance } from '../../src/client/instance/client-instance.ts';
import { LocalTransactionState, TransactionProducer } from '../../src/client/index.ts';
import type { TransactionListener } from '../../src/client/index.ts';
import { decodeRecord } from '../../src/common/message/message-record.ts';
import { BrokerHarness, uniq } from './broker-harness.ts';

function bodiesIn(h: BrokerHarness, topic: string): string[] {
  h.dispatch();
  const store = h.broker.store;
  const out: string[] = [];
  for (const q of store.queueIds(topic)) {
    const r = store.getMessage('it', topic, q, 0, 1000, 1 << 30);
    for (const b of r.messages) out.push(decodeRecord(b).body.toString());
  }
  return out.sort();
}

test('TransactionProducer end to end: commit, rollback, and unknown resolved by check-back — each exactly once', async () => {
  const h = await BrokerHarness.start({
    brokerConfig: { transactionTimeOut: 300, transactionCheckInterval: 100 },
  });
  const instance = new ClientInstance({ namesrvAddr: h.namesrvAddr, instanceName: uniq('tx-it'), clientIP: '127.0.0.1', heartbeatBrokerInterval: 200 });
  const checked: string[] = [];
  const listener: TransactionListener = {
    executeLocalTransaction(message) {
      const body = String(message.body);
      if (body.startsWith('commit')) return LocalTransactionState.COMMIT_MESSAGE;
      if (body.startsWith('rollback')) return LocalTransactionState.ROLLBACK_MESSAGE;
      return LocalTransactionState.UNKNOW;
    },
    checkLocalTransaction(message) {
      checked.push(message.body.toString());
      return LocalTransactionState.COMMIT_MESSAGE;
    },
  };
  const group = uniq('TPG_it');
  const producer = new TransactionProducer({ namesrvAddr: h.namesrvAddr, group, clientInstance: instance, transactionListener: listener });
  try {
    const topic = uniq('T_tx_it');
    h.createTopic(topic);
    await h.broker.registerBrokerAll();
    await producer.start();
    const results = [];
    for (const body of ['commit-1', 'rollback-1', 'unknown-1']) {
      results.push(await producer.sendMessageInTransaction({ topic, body }));
    }
    assert.deepEqual(
      results.map((r) => r.localTransactionState),
      ['COMMIT_MESSAGE', 'ROLLBACK_MESSAGE', 'UNKNOW'],
    );
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (bodiesIn(h, topic).length < 2 || h.broker.transactionalMessageService.pendingCount > 0)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(bodiesIn(h, topic), ['commit-1', 'unknown-1']);
    assert.ok(checked.includes('unknown-1'), 'the unknown transaction was checked');
    assert.ok(!checked.includes('commit-1') && !checked.includes('rollback-1'), 'decided transactions are never checked');
    const extra = await h.broker.transactionCheckService.check();
    assert.equal(extra.checked, 0);
    assert.deepEqual(bodiesIn(h, topic), ['commit-1', 'unknown-1'], 'still exactly once');
  } finally {
    await producer.shutdown();
    await instance.shutdown();
    await h.close();
  }
});
