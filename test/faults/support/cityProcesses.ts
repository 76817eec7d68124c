import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../scripts/services/process';
import { startAppProcess, type AppProcess } from './appProcess';

/** WeChat Work's own send limits, lifted: they are not what a fault test is about. */
export const UNLIMITED_WECOM_RATES = {
  WECOM_SEND_RATE_PER_MINUTE: '600000',
  WECOM_ROBOT_RATE_PER_MINUTE: '600000',
  WECOM_MEMBER_RATE_PER_MINUTE: '600000',
  WECOM_MEMBER_RATE_PER_HOUR: '600000',
};

/**
 * A city's processes by name and role (web, worker), started together on one environment. Every child is
 * remembered as it spawns, so one whose start failed or that a test SIGKILLed is still stopped at the end.
 */
export class CityProcesses {
  readonly running = new Map<string, AppProcess>();
  private readonly spawned: ChildProcess[] = [];

  async start(env: Record<string, string>, roles: ReadonlyArray<[name: string, role: 'web' | 'worker']>, startTimeoutMs: number): Promise<void> {
    await Promise.all(
      roles.map(async ([name, role]) => {
        const proc = await startAppProcess({ ...env, ROLE: role }, role === 'web' ? await freePort() : 0, startTimeoutMs, (child) => this.spawned.push(child));
        this.running.set(name, proc);
      }),
    );
  }

  /** Stops every process and keeps each one's log in test-artifacts/faults/<logPrefix>-<name>.log. */
  async stop(logPrefix: string): Promise<void> {
    const known = new Set([...this.running.values()].map((p) => p.child));
    for (const child of this.spawned) if (child.exitCode === null && child.signalCode === null && !known.has(child)) child.kill('SIGKILL');
    const artifacts = join(__dirname, '../../../test-artifacts/faults');
    mkdirSync(artifacts, { recursive: true });
    for (const [name, proc] of this.running) {
      await proc.stop();
      writeFileSync(join(artifacts, `${logPrefix}-${name}.log`), proc.output());
    }
  }
}
