#!/usr/bin/env node
// The package's `rocketmq-ts` bin (and `npm start`): runs dist/rocketmq-ts.mjs, the command line compiled by
// scripts/build.mjs, rebuilding it first when a source file is newer. Without esbuild (not installed), the TypeScript
// sources run through tsx instead.
import { ensureBuilt } from '../scripts/build.mjs';

let entry;
try {
  entry = await ensureBuilt();
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
}
if (entry !== undefined) {
  await import(new URL(`file://${entry}`).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/bin/rocketmq-ts.ts');
}
