import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../../infra/redis';
import type { JobsOptions, Queue } from 'bullmq';
import type { Case } from '../../src/cases';
import { DEADLINE_JOB_NAME, deadlineJobId } from './names';
import { planCase, type DeadlineRules } from './plan';
import { allSlotNames } from './slots';

export type DeadlineJobData = Record<string, never>;

export interface SyncResult {
  added: number;
  moved: number;
  removed: number;
  kept: number;
}

export interface DeadlineSchedulerOptions {
  queue: Queue<DeadlineJobData>;
  /** A plain connection to the queue's Redis, to read the delayed set in one round trip. */
  redis: RedisClient;
  rules: () => DeadlineRules;
  now?: () => Date;
}

/**
 * Job options kept small: they are stored as JSON once per pending deadline. What to keep after a
 * job ends is set on the worker instead (completed jobs go at once: the case timeline, not Redis,
 * remembers what was sent; the sweeper replaces a job that failed for good).
 */
export const DEADLINE_JOB_OPTIONS: JobsOptions = { attempts: 3, backoff: 2_000 };

// An added job is delayed from our clock reading (its `timestamp`); a moved one from BullMQ's, a few ms after ours.
const SAME_TIME_MS = 100;

interface SlotState {
  jobId: string;
  wakeAt?: number;
  exists: boolean;
  /** Epoch ms the job is delayed until, when it sits in the delayed set. */
  delayedUntil?: number;
}

const LOCKED_RETRIES = 20;
const LOCKED_RETRY_MS = 50;

// BullMQ's delayed-set score is `timestamp * 4096 + sequence` (see getDelayedScore.lua).
function scoreToTime(score: string | null): number | undefined {
  return score === null ? undefined : Math.floor(Number(score) / 0x1000);
}

/**
 * Makes Redis hold exactly the deadline jobs a case needs: one delayed job per running limit,
 * due when its next reminder or escalation is. Idempotent; call it after every case transition
 * (whistle, accept, return, feedback, verify, extension decided, merge, cancel) and from the sweeper.
 */
export class DeadlineScheduler {
  private readonly now: () => Date;

  constructor(private readonly options: DeadlineSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  syncCase(c: Case): Promise<SyncResult> {
    return this.syncCases([c]);
  }

  async syncCases(cases: readonly Case[]): Promise<SyncResult> {
    const now = this.now();
    const rules = this.options.rules();
    const slots: SlotState[] = [];
    for (const c of cases) {
      const wake = new Map(planCase(c, rules, now).map((p) => [p.slot.slot, p.wakeAt?.getTime()]));
      for (const slot of allSlotNames(c)) {
        const wakeAt = wake.get(slot);
        slots.push({ jobId: deadlineJobId(c.id, slot), exists: false, ...(wakeAt !== undefined && { wakeAt }) });
      }
    }
    await this.readStates(slots);
    return this.apply(slots, now.getTime());
  }

  private async readStates(slots: SlotState[]): Promise<void> {
    const { queue, redis } = this.options;
    const pipeline = redis.pipeline();
    for (const s of slots) {
      pipeline.exists(queue.toKey(s.jobId));
      pipeline.zscore(queue.keys.delayed ?? queue.toKey('delayed'), s.jobId);
    }
    const replies = (await pipeline.exec()) ?? [];
    slots.forEach((s, i) => {
      const [existsError, exists] = replies[2 * i] ?? [];
      const [scoreError, score] = replies[2 * i + 1] ?? [];
      if (existsError || scoreError) throw existsError ?? scoreError;
      s.exists = exists === 1;
      const until = scoreToTime(typeof score === 'string' ? score : null);
      if (until !== undefined) s.delayedUntil = until;
    });
  }

  private async apply(slots: SlotState[], now: number): Promise<SyncResult> {
    const { queue } = this.options;
    const result: SyncResult = { added: 0, moved: 0, removed: 0, kept: 0 };
    const toAdd: SlotState[] = [];
    for (const s of slots) {
      if (s.wakeAt === undefined) {
        if (s.exists && (await this.remove(s.jobId))) result.removed++;
      } else if (!s.exists) {
        toAdd.push(s);
      } else if (s.delayedUntil !== undefined) {
        if (Math.abs(s.delayedUntil - s.wakeAt) <= SAME_TIME_MS) result.kept++;
        else if (await this.move(s.jobId, s.wakeAt - now)) result.moved++;
        else result.kept++;
      } else if (await this.replaceFinished(s.jobId)) {
        toAdd.push(s);
      } else {
        // Waiting or running: the worker re-plans from the case when it is done with it.
        result.kept++;
      }
    }
    if (toAdd.length > 0) {
      await queue.addBulk(
        toAdd.map((s) => ({ name: DEADLINE_JOB_NAME, data: {}, opts: { ...DEADLINE_JOB_OPTIONS, jobId: s.jobId, timestamp: now, delay: Math.max(0, (s.wakeAt ?? now) - now) } })),
      );
      result.added += toAdd.length;
    }
    return result;
  }

  /**
   * A running job is locked and cannot be removed. Its run is short (one case read, one outbox add),
   * so wait for it briefly: it may put itself back in the delayed set from a case read before this
   * change. If it is still running after that, the worker finds the slot moot next time and ends it.
   */
  private async remove(jobId: string): Promise<boolean> {
    const { queue } = this.options;
    for (let attempt = 0; attempt < LOCKED_RETRIES; attempt++) {
      if ((await queue.remove(jobId)) === 1) return true;
      if (!(await queue.getJob(jobId))) return false;
      await sleep(LOCKED_RETRY_MS);
    }
    return false;
  }

  private async move(jobId: string, delayMs: number): Promise<boolean> {
    const startedAt = this.now().getTime();
    for (let attempt = 0; attempt < LOCKED_RETRIES; attempt++) {
      const job = await this.options.queue.getJob(jobId);
      if (!job) return false;
      try {
        await job.changeDelay(Math.max(0, delayMs - (this.now().getTime() - startedAt)));
        return true;
      } catch {
        // Not in the delayed set right now (it is running): it usually returns there in a moment.
        await sleep(LOCKED_RETRY_MS);
      }
    }
    return false;
  }

  /** A failed (or kept completed) job would block its id; drop it so the slot can be scheduled again. */
  private async replaceFinished(jobId: string): Promise<boolean> {
    const job = await this.options.queue.getJob(jobId);
    if (!job) return true;
    const state = await job.getState();
    if (state !== 'failed' && state !== 'completed') return false;
    return this.remove(jobId);
  }
}
