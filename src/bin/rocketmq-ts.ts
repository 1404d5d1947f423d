// Package entry point: `node --import tsx src/bin/rocketmq-ts.ts <subcommand>` (npm start) or the `rocketmq-ts` bin.
import { errorMessage } from '../common/errors.ts';
import { buildProgram } from './cli.ts';

buildProgram().parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`rocketmq-ts: ${errorMessage(e)}\n`);
  process.exit(1);
});
