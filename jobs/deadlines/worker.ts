import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Case } from '../../src/cases';
import type { Logger } from '../../infra/logger';
import { DEADLINE_QUEUE_NAME, parseDeadlineJobId } from './names';
import { caseHistory } from './notice';
import { DEADLINE_KEY_DETAIL, alertKey, alertsFor, firedKeys, planSlot, type DeadlineRules, type SlotPlan } from './plan';
import type { DeadlineCaseStore, DeadlineEvent, DeadlineNotifier } from './ports';
import type { DeadlineJobData } from './scheduler';
import { liveSlots } from './slots';

export interface FiredAlert {
  caseId: string;
  key: string;
  plannedAt: Date;
  firedAt: Date;
}

export interface DeadlineWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: DeadlineCaseStore;
  notifier: DeadlineNotifier;
  rules: () => DeadlineRules;
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  logger?: Logger;
  now?: () => Date;
  /** Called after each alert is recorded (benchmarks and tests measure lateness with it). */
  onFired?: (fired: FiredAlert) => void;
}

export type DeadlineJobResult = { outcome: 'moot' | 'done'; fired: number };

function planFor(c: Case, slotName: string, rules: DeadlineRules, now: Date): SlotPlan | undefined {
  const slot = liveSlots(c).find((s) => s.slot === slotName);
  return slot && planSlot(slot, alertsFor(c, slot, rules), firedKeys(c), now);
}

function eventFor(plan: SlotPlan, index: number, key: string, receipt: { to: string; recipients: string; summary: string }, now: Date): DeadlineEvent {
  const alert = plan.fireNow[index];
  if (!alert) throw new Error('alert index out of range');
  return {
    type: alert.type === 'escalation' ? 'deadline_escalation' : 'deadline_reminder',
    at: now,
    ...(plan.slot.deptCode !== undefined && { deptCode: plan.slot.deptCode }),
    details: {
      [DEADLINE_KEY_DETAIL]: key,
      stage: plan.slot.kind,
      alert: alert.key,
      dueAt: plan.slot.due.toISOString(),
      plannedAt: alert.at.toISOString(),
      to: receipt.to,
      recipients: receipt.recipients,
      summary: receipt.summary,
    },
  };
}

/**
 * Runs deadline jobs. A job only says "look at this slot now": the worker re-reads the case, sends
 * what is due and not yet on the timeline, and moves the same job to the slot's next alert (or
 * ends it). A late, duplicate or stale job therefore does nothing wrong.
 *
 * Order per alert: queue the message (idempotent by key), then record it on the case. A worker
 * killed in between leaves the alert unrecorded; the retried job queues it again under the same
 * key, which the outbox recognises, and records it.
 */
export function createDeadlineWorker(options: DeadlineWorkerOptions): Worker<DeadlineJobData, DeadlineJobResult> {
  const clock = options.now ?? (() => new Date());

  const fire = async (c: Case, plan: SlotPlan, now: Date): Promise<number> => {
    const history = caseHistory(c);
    let fired = 0;
    for (const [i, alert] of plan.fireNow.entries()) {
      const key = alertKey(plan.slot, alert);
      const receipt = await options.notifier.send({ case: c, slot: plan.slot, alert, key, now, history });
      // The case moved on meanwhile: stop here; the next round re-reads it and decides again.
      if (!(await options.store.appendDeadlineEvent({ ...c, version: c.version + fired }, eventFor(plan, i, key, receipt, now)))) break;
      fired++;
      options.onFired?.({ caseId: c.id, key, plannedAt: alert.at, firedAt: now });
      history.push({ at: now, text: receipt.summary });
    }
    return fired;
  };

  const processJob = async (job: Job<DeadlineJobData, DeadlineJobResult>, token?: string): Promise<DeadlineJobResult> => {
    const target = job.id ? parseDeadlineJobId(job.id) : undefined;
    if (!target) return { outcome: 'moot', fired: 0 };
    let fired = 0;
    // A few rounds at most: each round records what it sent, so the next plan has less to send.
    for (let round = 0; round < 3; round++) {
      const c = await options.store.load(target.caseId);
      // Never behind the case's last event, so the timeline stays in order whatever the clocks say.
      const now = new Date(Math.max(clock().getTime(), c?.timeline[c.timeline.length - 1]?.at.getTime() ?? 0));
      const plan = c && planFor(c, target.slot, options.rules(), now);
      if (!c || !plan) return { outcome: 'moot', fired };
      if (plan.fireNow.length > 0) {
        const recorded = await fire(c, plan, now);
        fired += recorded;
        // Another writer won this version: let its update land before the next round re-reads.
        if (recorded < plan.fireNow.length) await sleep(10 + Math.random() * 40);
        continue;
      }
      if (!plan.wakeAt) return { outcome: 'done', fired };
      await job.moveToDelayed(plan.wakeAt.getTime(), token);
      throw new DelayedError();
    }
    throw new Error(`deadline job ${job.id} kept finding alerts to send; will retry`);
  };

  const worker = new Worker<DeadlineJobData, DeadlineJobResult>(DEADLINE_QUEUE_NAME, processJob, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 8,
    removeOnComplete: { count: 0 },
    removeOnFail: { age: 24 * 3600, count: 1_000 },
    ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs !== undefined && { stalledInterval: options.stalledIntervalMs }),
  });
  worker.on('error', (error) => options.logger?.error({ err: error }, 'deadline worker error'));
  worker.on('failed', (job, error) => options.logger?.warn({ jobId: job?.id, err: error.message }, 'deadline job failed'));
  return worker;
}
