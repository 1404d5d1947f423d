#!/usr/bin/env node
// The package's `rocketmq-ts` bin: run the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin/rocketmq-ts.ts');
