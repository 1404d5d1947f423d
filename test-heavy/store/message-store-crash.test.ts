// Long variant of the crash test (npm run test:heavy): 60 SIGKILL rounds.
process.env.CRASH_ROUNDS ??= '60';
await import('../../test/store/message-store-crash.test.ts');
