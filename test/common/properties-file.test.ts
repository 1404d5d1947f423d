import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProperties, readPropertiesFile, stringifyProperties } from '../../src/common/properties-file.ts';

test('key=value, key:value, key value; comments and blank lines skipped', () => {
  const text = '# comment\n! also comment\n\n  listenPort=9876\nkvConfigPath : /tmp/kv.json\nrocketmqHome   /opt/rmq\nempty=\nbare\n';
  assert.deepEqual(parseProperties(text), {
    listenPort: '9876',
    kvConfigPath: '/tmp/kv.json',
    rocketmqHome: '/opt/rmq',
    empty: '',
    bare: '',
  });
});

test('CRLF and CR line endings, later duplicates win', () => {
  assert.deepEqual(parseProperties('a=1\r\nb=2\rc=3\na=4'), { a: '4', b: '2', c: '3' });
});

test('line continuations and escapes follow java.util.Properties', () => {
  const text = 'list=a,\\\n     b,\\\n     c\nkey\\ with\\=sep=v\\tx\\u0041\nodd=ends\\\\\nnext=1\n';
  assert.deepEqual(parseProperties(text), { list: 'a,b,c', 'key with=sep': 'v\txA', odd: 'ends\\', next: '1' });
});

test('value keeps inner and trailing spaces; only leading whitespace after the separator is dropped', () => {
  assert.deepEqual(parseProperties('k =   v w  '), { k: 'v w  ' });
});

test('stringify escapes round-trip through parse; raw mode matches Java properties2String', () => {
  const props = { 'a key': 'x=y:z #!', path: 'C:\\dir', multi: 'l1\nl2', lead: ' space', n: '1' };
  const text = stringifyProperties(props);
  assert.deepEqual(parseProperties(text), props);
  assert.equal(stringifyProperties({ b: '2', a: 1, c: true, d: undefined }, { escape: false }), 'a=1\nb=2\nc=true\n');
  assert.equal(stringifyProperties({ b: '2', a: '1' }, { sort: false, escape: false }), 'b=2\na=1\n');
});

test('readPropertiesFile reads a file from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'props-'));
  try {
    const f = join(dir, 'namesrv.properties');
    writeFileSync(f, 'listenPort=19876\n');
    assert.deepEqual(readPropertiesFile(f), { listenPort: '19876' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
