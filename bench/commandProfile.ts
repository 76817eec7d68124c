import type { Connection } from 'mongoose';

interface Tally {
  count: number;
  totalMs: number;
  maxMs: number;
}

/**
 * Times every database command by its shape (command, collection, filter fields), so a load test
 * can say which queries its time goes to. Needs a connection opened with `monitorCommands`.
 */
export class CommandProfile {
  private readonly started = new Map<number, string>();
  private readonly tallies = new Map<string, Tally>();

  constructor(connection: Connection) {
    const client = connection.getClient();
    client.on('commandStarted', (event) => this.started.set(event.requestId, shapeOf(event.commandName, event.command as Record<string, unknown>)));
    const finish = (event: { requestId: number; duration: number }) => {
      const shape = this.started.get(event.requestId);
      if (shape === undefined) return;
      this.started.delete(event.requestId);
      const tally = this.tallies.get(shape) ?? { count: 0, totalMs: 0, maxMs: 0 };
      tally.count += 1;
      tally.totalMs += event.duration;
      tally.maxMs = Math.max(tally.maxMs, event.duration);
      this.tallies.set(shape, tally);
    };
    client.on('commandSucceeded', finish);
    client.on('commandFailed', finish);
  }

  /** The `top` shapes by total time, one line each. */
  report(top = 15): string[] {
    return [...this.tallies.entries()]
      .sort(([, a], [, b]) => b.totalMs - a.totalMs)
      .slice(0, top)
      .map(([shape, t]) => `${t.totalMs.toFixed(0).padStart(9)} ms  ${String(t.count).padStart(7)}×  mean ${(t.totalMs / t.count).toFixed(1).padStart(7)} ms  max ${t.maxMs.toFixed(0).padStart(6)} ms  ${shape}`);
  }
}

function shapeOf(name: string, command: Record<string, unknown>): string {
  const collection = typeof command[name] === 'string' ? (command[name] as string) : '';
  const filter = (command.filter ?? (Array.isArray(command.updates) ? (command.updates[0] as { q?: unknown }).q : undefined) ??
    (Array.isArray(command.deletes) ? (command.deletes[0] as { q?: unknown }).q : undefined)) as Record<string, unknown> | undefined;
  const fields = filter ? Object.keys(filter).sort().join(',') : '';
  return `${name} ${collection}${fields ? ` {${fields}}` : ''}`;
}
