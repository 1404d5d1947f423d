import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KVConfigManager } from '../../src/namesrv/kv-config-manager.ts';
import { tempDir } from './namesrv-test-helpers.ts';

test('missing file is an empty table; writes create directories and leave no temp file', (t) => {
  const { dir, cleanup } = tempDir('kv');
  t.after(cleanup);
  const path = join(dir, 'deep', 'namesrv', 'kvConfig.json');
  const kv = new KVConfigManager(path);
  kv.load();
  assert.equal(kv.getNamespace('NS'), undefined);
  kv.put('NS', 'a', '1');
  assert.ok(existsSync(path));
  assert.ok(!existsSync(`${path}.tmp`));
  const again = new KVConfigManager(path);
  again.load();
  assert.equal(again.get('NS', 'a'), '1');
  again.delete('NS', 'a');
  assert.deepEqual(again.getNamespace('NS'), {});
});

test('reads a file written by Java (pretty, tabs) and rejects garbage with a CONFIG error', (t) => {
  const { dir, cleanup } = tempDir('kv-java');
  t.after(cleanup);
  const path = join(dir, 'kvConfig.json');
  writeFileSync(path, '{\n\t"configTable":{\n\t\t"ORDER_TOPIC_CONFIG":{\n\t\t\t"T":"broker-a:4"\n\t\t}\n\t}\n}');
  const kv = new KVConfigManager(path);
  kv.load();
  assert.equal(kv.get('ORDER_TOPIC_CONFIG', 'T'), 'broker-a:4');
  writeFileSync(path, '{"configTable":');
  assert.throws(() => new KVConfigManager(path).load(), /kvConfig\.json is not valid JSON/);
  assert.match(readFileSync(path, 'utf8'), /configTable/);
});
