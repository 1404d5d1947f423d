import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPropertiesText, parsePropertiesText } from '../../../src/broker/config/properties-text.ts';

test('separators, comments, blank lines and line numbers', () => {
  const text = [
    '# comment',
    '! also a comment',
    '',
    'brokerClusterName = DefaultCluster',
    '  brokerName=broker-b',
    'brokerId:1',
    'namesrvAddr 127.0.0.1:9876;127.0.0.2:9876',
    'empty=',
  ].join('\r\n');
  assert.deepEqual(parsePropertiesText(text), [
    { key: 'brokerClusterName', value: 'DefaultCluster', line: 4 },
    { key: 'brokerName', value: 'broker-b', line: 5 },
    { key: 'brokerId', value: '1', line: 6 },
    { key: 'namesrvAddr', value: '127.0.0.1:9876;127.0.0.2:9876', line: 7 },
    { key: 'empty', value: '', line: 8 },
  ]);
});

test('continuation lines and escapes', () => {
  const text = 'a=one\\\n    two\\\\\nb\\=c=\\u0041\\tZ\n';
  assert.deepEqual(parsePropertiesText(text), [
    { key: 'a', value: 'onetwo\\', line: 1 },
    { key: 'b=c', value: 'A\tZ', line: 3 },
  ]);
});

test('format then parse round-trips awkward keys and values', () => {
  const entries: [string, string][] = [
    ['plain', 'value with spaces'],
    ['k=ey:with#stuff', ' leading space'],
    ['path', 'C:\\store\\root'],
    ['multi', 'line1\nline2'],
    ['unicode', 'héllo→'],
    ['addr', '127.0.0.1:9876;10.0.0.1:9876'],
  ];
  const text = formatPropertiesText(entries);
  assert.match(text, /^addr=127\.0\.0\.1:9876;10\.0\.0\.1:9876$/m, 'values keep ":" unescaped like Java');
  assert.deepEqual(
    parsePropertiesText(text).map((e) => [e.key, e.value]),
    entries,
  );
});
