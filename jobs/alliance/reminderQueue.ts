import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { ReminderScheduler } from '../../commands/alliance/deps';
import type { Logger } from '../../infra/logger';
import type { Activity } from '../../src/alliance/types';

export const ALLIANCE_REMINDER_QUEUE = 'alliance-reminders';

interface ReminderJob {
  activityId: string;
  minutesBefore: number;
}

/** One delayed job per activity and lead time (deterministic id, so posting twice schedules once). */
export function allianceReminderScheduler(options: { connection: ConnectionOptions; prefix: string; leadMinutes: readonly number[]; clock?: () => Date }): ReminderScheduler & { queue: Queue<ReminderJob>; close(): Promise<void> } {
  const queue = new Queue<ReminderJob>(ALLIANCE_REMINDER_QUEUE, { connection: options.connection, prefix: options.prefix });
  const clock = options.clock ?? (() => new Date());
  return {
    queue,
    async schedule(activity: Activity) {
      for (const minutesBefore of options.leadMinutes) {
        const delay = activity.startsAt.getTime() - minutesBefore * 60_000 - clock().getTime();
        if (delay <= 0) continue;
        await queue.add('remind', { activityId: activity.id, minutesBefore }, { jobId: `${activity.id}-${minutesBefore}`, delay, attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: 100 });
      }
    },
    async cancel(activity: Activity) {
      for (const minutesBefore of options.leadMinutes) await queue.remove(`${activity.id}-${minutesBefore}`);
    },
    close: () => queue.close(),
  };
}

export function createAllianceReminderWorker(options: { connection: ConnectionOptions; prefix: string; remind: (activityId: string, minutesBefore: number) => Promise<number>; logger?: Logger }): Worker<ReminderJob> {
  const worker = new Worker<ReminderJob>(ALLIANCE_REMINDER_QUEUE, async (job) => options.remind(job.data.activityId, job.data.minutesBefore), { connection: options.connection, prefix: options.prefix });
  worker.on('failed', (job, error) => options.logger?.warn({ activityId: job?.data.activityId, err: error.message }, 'alliance reminder failed; BullMQ retries it'));
  return worker;
}
