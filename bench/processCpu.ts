import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere or once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds each named process spends between `start()` and `stop()`: where a load test's work
 * goes when the machine is shared (wall time then says more about the neighbours than about us).
 */
export class CpuMeter {
  private readonly from = new Map<string, number>();
  private readonly spent = new Map<string, number>();

  constructor(private readonly pids: Record<string, number | undefined>) {}

  start(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const now = pid === undefined ? undefined : processCpuSeconds(pid);
      if (now !== undefined) this.from.set(name, now);
    }
  }

  stop(): void {
    for (const [name, start] of this.from) {
      const now = processCpuSeconds(this.pids[name]!);
      if (now !== undefined) this.spent.set(name, now - start);
    }
  }

  /** `name 12.3 s (41 ms a case)`, one per process measured. */
  report(perUnit: number): string {
    return [...this.spent].map(([name, s]) => `${name} ${s.toFixed(1)} s (${((s * 1000) / Math.max(1, perUnit)).toFixed(0)} ms a case)`).join(', ');
  }
}
