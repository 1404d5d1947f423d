import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  brokerConfigFilePath,
  loadConfigFile,
  toConfigJson,
  writeConfigFileAtomic,
} from '../../../src/broker/config/config-file.ts';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import { tempDir } from './temp-dir.ts';

const identity = (j: unknown): unknown => j;

test('write keeps the previous version as .bak and leaves no tmp file', () => {
  const { dir, cleanup } = tempDir('cfgfile');
  try {
    const path = brokerConfigFilePath(dir, 'x.json');
    assert.equal(path, join(dir, 'config', 'x.json'));
    writeConfigFileAtomic(path, toConfigJson({ v: 1 }));
    assert.equal(existsSync(`${path}.bak`), false);
    writeConfigFileAtomic(path, toConfigJson({ v: 2 }));
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { v: 2 });
    assert.deepEqual(JSON.parse(readFileSync(`${path}.bak`, 'utf8')), { v: 1 });
    assert.equal(existsSync(`${path}.tmp`), false);
    assert.match(readFileSync(path, 'utf8'), /\n\t"v": 2/, 'tab-indented like Java');
    assert.deepEqual(loadConfigFile(path, identity), { value: { v: 2 }, source: 'main', path });
  } finally {
    cleanup();
  }
});

test('missing files → undefined (first start)', () => {
  const { dir, cleanup } = tempDir('cfgfile');
  try {
    assert.equal(loadConfigFile(join(dir, 'nope.json'), identity), undefined);
  } finally {
    cleanup();
  }
});

test('corrupt main file → .bak is used, the corrupt file is set aside and the next write keeps .bak good', () => {
  const { dir, cleanup } = tempDir('cfgfile');
  try {
    const path = join(dir, 'topics.json');
    writeConfigFileAtomic(path, '{"v":1}');
    writeConfigFileAtomic(path, '{"v":2}');
    writeFileSync(path, '{"v":3,,,'); // torn write
    const loaded = loadConfigFile(path, identity);
    assert.deepEqual(loaded, { value: { v: 1 }, source: 'bak', path: `${path}.bak` });
    assert.equal(readFileSync(`${path}.corrupt`, 'utf8'), '{"v":3,,,');
    writeConfigFileAtomic(path, '{"v":4}');
    assert.deepEqual(JSON.parse(readFileSync(`${path}.bak`, 'utf8')), { v: 1 });
  } finally {
    cleanup();
  }
});

test('a main file the decoder rejects also falls back; empty main file too', () => {
  const { dir, cleanup } = tempDir('cfgfile');
  try {
    const path = join(dir, 'a.json');
    writeFileSync(`${path}.bak`, '{"ok":true}');
    writeFileSync(path, '{"ok":"not a boolean"}');
    const decode = (j: unknown): boolean => {
      const ok = (j as { ok: unknown }).ok;
      if (typeof ok !== 'boolean') throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'ok must be boolean');
      return ok;
    };
    assert.equal(loadConfigFile(path, decode)?.source, 'bak');
    writeFileSync(path, '');
    assert.deepEqual(loadConfigFile(path, decode), { value: true, source: 'bak', path: `${path}.bak` });
  } finally {
    cleanup();
  }
});

test('main and .bak both unusable → RocketMQError CONFIG naming the file', () => {
  const { dir, cleanup } = tempDir('cfgfile');
  try {
    const path = join(dir, 'b.json');
    writeFileSync(path, 'garbage');
    writeFileSync(`${path}.bak`, 'garbage too');
    assert.throws(
      () => loadConfigFile(path, identity),
      (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.CONFIG && e.message.includes('b.json'),
    );
    writeFileSync(path, 'garbage');
    writeFileSync(`${path}.bak`, '');
    assert.throws(() => loadConfigFile(path, identity), (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.CONFIG);
  } finally {
    cleanup();
  }
});
