// Package entry point, compiled to dist/rocketmq-ts.mjs by scripts/build.mjs and run by bin/rocketmq-ts.js (`npm start`,
// the `rocketmq-ts` bin); `node --import tsx src/bin/rocketmq-ts.ts <subcommand>` runs it from source.
import { errorMessage } from '../common/errors.ts';

// mqadmin prints tables/JSON on stdout: keep the client's info logs off it unless asked for (the logger reads the
// level when it is first imported, hence the dynamic import below).
if (process.argv[2] === 'mqadmin' && process.env.ROCKETMQ_LOG_LEVEL === undefined) process.env.ROCKETMQ_LOG_LEVEL = 'error';

const { buildProgram } = await import('./cli.ts');
buildProgram().parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`rocketmq-ts: ${errorMessage(e)}\n`);
  process.exit(1);
});
