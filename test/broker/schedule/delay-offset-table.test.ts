// delayOffset.json (PROTOCOL.md §7.7): reads Java's bare-int keys, writes the {offsetTable, dataVersion} shape, falls
// back to .bak, and never persists before it has loaded (rocketmq#6881: a half-started broker must not wipe progress).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayOffsetTable, decodeDelayOffsetJson } from '../../../src/broker/schedule/delay-offset-table.ts';
import { parseLenientJson } from '../../../src/common/lenient-json.ts';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-ts-delayoff-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('reads a Java-written file with bare int keys', () => {
  const f = decodeDelayOffsetJson(parseLenientJson('{"offsetTable":{1:5,3:17},"dataVersion":{"counter":2,"stateVersion":0,"timestamp":9}}'));
  assert.deepEqual([...f.offsets], [[1, 5], [3, 17]]);
  assert.equal(f.dataVersion.counter, 2);
  assert.throws(() => decodeDelayOffsetJson({ offsetTable: { x: 1 } }), /bad entry/);
});

test('persist is refused before load; after load it keeps what the file had', () => {
  withDir((dir) => {
    const path = join(dir, 'config', 'delayOffset.json');
    const first = new DelayOffsetTable(path, { now: () => 1000 });
    first.load();
    first.set(1, 3);
    first.set(2, 8);
    assert.equal(first.persist(), true);

    const unloaded = new DelayOffsetTable(path);
    unloaded.set(1, 0);
    assert.equal(unloaded.persist(true), false, 'not loaded → never written');
    const json = parseLenientJson(readFileSync(path, 'utf8')) as { offsetTable: Record<string, number>; dataVersion: { counter: number } };
    assert.deepEqual(json.offsetTable, { '1': 3, '2': 8 });
    assert.equal(json.dataVersion.counter, 1);

    const again = new DelayOffsetTable(path);
    assert.equal(again.load(), 'main');
    assert.equal(again.get(2), 8);
    assert.equal(again.get(7), 0);
    assert.equal(again.persist(), false, 'nothing changed');

    first.set(1, 4);
    first.persist(); // the previous file becomes .bak
    writeFileSync(path, '{broken');
    const fromBak = new DelayOffsetTable(path);
    assert.equal(fromBak.load(), 'bak');
    assert.equal(fromBak.get(1), 3);
  });
});
