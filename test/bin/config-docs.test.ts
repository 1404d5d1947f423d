// docs/configuration.md stays true: every key of the Broker, store and NameServer configs is listed with the default
// the code has now (host- and environment-dependent defaults are described in words and only checked for presence).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultBrokerConfig } from '../../src/broker/config/broker-config.ts';
import { defaultMessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import { defaultNamesrvConfig } from '../../src/namesrv/namesrv-config.ts';

const DOC = readFileSync(resolve(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
const SYMBOLIC = new Set(['rocketmqHome', 'namesrvAddr', 'brokerIP1', 'brokerIP2', 'storePathRootDir', 'storePathCommitLog', 'kvConfigPath', 'configStorePath']);

function section(title: string): Map<string, string> {
  const start = DOC.indexOf(`## ${title}`);
  assert.ok(start >= 0, `section ${title}`);
  const end = DOC.indexOf('\n## ', start + 1);
  const rows = new Map<string, string>();
  for (const m of DOC.slice(start, end < 0 ? undefined : end).matchAll(/^\| `(\w+)` \| (.*?) \|/gm)) rows.set(m[1], m[2]);
  return rows;
}

for (const [title, defaults] of [
  ['Broker', defaultBrokerConfig({}, {})],
  ['Store', defaultMessageStoreConfig({})],
  ['NameServer', defaultNamesrvConfig()],
] as const) {
  test(`docs/configuration.md lists every ${title} key with its default`, () => {
    const rows = section(title);
    for (const [key, value] of Object.entries(defaults)) {
      assert.ok(rows.has(key), `${title} key ${key} is documented`);
      if (SYMBOLIC.has(key)) continue;
      const expected = value === '' ? '(empty)' : `\`${String(value)}\``;
      assert.equal(rows.get(key), expected, `default of ${key}`);
    }
    for (const key of rows.keys()) assert.ok(Object.hasOwn(defaults, key), `documented ${title} key ${key} exists in the code`);
  });
}
