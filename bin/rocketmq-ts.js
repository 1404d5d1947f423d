#!/usr/bin/env node
// The package's `rocketmq-ts` bin (and `npm start`): runs dist/rocketmq-ts.mjs, the command line compiled by
// scripts/build.mjs, rebuilding it first when a source file is newer. When it cannot be built (esbuild missing, a
// read-only install), the TypeScript sources run through tsx instead.
let entry;
try {
  const { ensureBuilt } = await import('../scripts/build.mjs');
  entry = await ensureBuilt();
} catch (e) {
  process.stderr.write(`rocketmq-ts: running from source (no compiled build: ${e instanceof Error ? e.message : String(e)})\n`);
}
if (entry !== undefined) {
  await import(new URL(`file://${entry}`).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/bin/rocketmq-ts.ts');
}
