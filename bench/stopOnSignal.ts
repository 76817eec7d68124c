/**
 * The private Redis and FerretDB a bench starts run detached: on Ctrl-C or SIGTERM, run `stop`
 * (stop them, remove their data) before exiting, or they would outlive the bench.
 */
export function stopOnSignal(stop: () => Promise<unknown>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(130));
    });
  }
}
