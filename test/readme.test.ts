// The README's TypeScript examples, run as written (only NAMESRV_ADDR points them at the standalone server, started
// the README's way by the acceptance fixture): each block
// marked `<!-- readme-example: name -->` is written to a file inside the checkout (so `import … from 'rocketmq-ts'`
// resolves through the package's own exports) and run with tsx in a child process that must exit 0 by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StandaloneServer } from './integration/acceptance/standalone-server.ts';

interface Example {
  name: string;
  code: string;
}

export function readmeExamples(markdown: string): Example[] {
  const out: Example[] = [];
  const re = /<!-- readme-example: ([\w-]+) -->\s*```ts\n([\s\S]*?)```/g;
  for (const m of markdown.matchAll(re)) out.push({ name: m[1], code: m[2] });
  return out;
}

function run(file: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, out });
    });
  });
}

const examples = readmeExamples(readFileSync('README.md', 'utf8'));

test('the README has the examples this test runs', () => {
  assert.deepEqual(examples.map((e) => e.name), ['producer-and-consumer', 'async-iterator']);
});

test('README examples run as written against the standalone server started the README\'s way', async () => {
  const server = await StandaloneServer.start();
  // Inside the checkout, so the example's `from 'rocketmq-ts'` is the package itself.
  const dir = mkdtempSync(join(resolve('.'), '.tmp-readme-'));
  try {
    for (const ex of examples) {
      const file = join(dir, `${ex.name}.ts`);
      writeFileSync(file, ex.code);
      const env = { ...process.env, NAMESRV_ADDR: server.namesrvAddr, ROCKETMQ_LOG_LEVEL: 'silent' };
      const r = await run(file, env, 60_000);
      assert.equal(r.code, 0, `${ex.name} exited with ${r.code}:\n${r.out}`);
      if (ex.name === 'producer-and-consumer') {
        assert.match(r.out, /sent SEND_OK [0-9A-F]{32} queue \d+ offset \d+/);
        assert.match(r.out, /received TagA order-1 hello rocketmq-ts/);
      } else {
        // Three messages over several queues: all of them, in any order.
        const jobs = r.out.split('\n').filter((l) => l.startsWith('job ')).sort();
        assert.deepEqual(jobs, ['job job-0', 'job job-1', 'job job-2']);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const code = await server.stop();
    await server.remove();
    assert.equal(code, 0, 'the server exits cleanly on SIGTERM');
  }
});
