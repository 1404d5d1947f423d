// npm run bench:timer — delivery lateness of timer messages (issue 5): starts the embedded server in its own process
// (by PID, temp data dir), parks BENCH_TIMER_COUNT timer messages due over a window, consumes them with the push
// consumer and records lateness = receive time − due time (HDR percentiles), early deliveries (must be 0), send rate,
// broker CPU and RSS. Writes bench/results/timer-<date>.json and the timer section of BENCHMARKS.md; exits 1 when a
// message came early, twice, or not at all. SIGINT/SIGTERM or an error stop the server and delete its data.
// Env: BENCH_TIMER_COUNT (100000), BENCH_TIMER_LEAD_MS (30000: first due time after the start of sending),
//      BENCH_TIMER_WINDOW_MS (60000: due times spread over this), BENCH_TIMER_IN_FLIGHT (64 sends in flight),
//      BENCH_TIMER_QUEUES (8), BENCH_TIMER_BODY_BYTES (256), BENCH_TIMER_GRACE_MS (30000 after the last due time),
//      BENCH_TIMER_SEED, BENCH_TIMER_NO_DOC=1 (leave BENCHMARKS.md alone), BENCH_SERVER_LOG_LEVEL (warn),
//      BENCH_TIMER_LABEL=burst (a variant: writes timer-burst-<date>.json, leaves BENCHMARKS.md alone).
// The burst recorded in BENCHMARKS.md: BENCH_TIMER_LABEL=burst BENCH_TIMER_LEAD_MS=20000 BENCH_TIMER_WINDOW_MS=1000.
// The client logger reads its level when first imported, so set it before loading the benchmark.
process.env.ROCKETMQ_LOG_LEVEL ??= 'warn';
const { main } = await import('./timer-bench.ts');
try {
  process.exitCode = await main();
} catch (e) {
  process.stderr.write(`bench:timer failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
