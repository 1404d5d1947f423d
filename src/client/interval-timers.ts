// The periodic tasks of one client component (route refresh, heartbeats, rebalance, offset commits). They are
// unref'd — sockets keep a busy process alive, timers alone never do — and clear() stops all of them.
export class IntervalTimers {
  #timers: NodeJS.Timeout[] = [];

  every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.#timers.push(t);
  }

  clear(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }
}
