export const DEADLINE_QUEUE_NAME = 'deadlines';
export const DEADLINE_JOB_NAME = 'deadline';
export const SWEEP_QUEUE_NAME = 'deadline-sweeper';
export const SWEEP_SCHEDULER_ID = 'deadline-sweep';

const SLOT = /^(a\d+\.(?:accept|finish)|verify)$/;

/**
 * One job per deadline slot: `dl.<caseId>.<slot>`. BullMQ refuses ':' in custom ids, so the case
 * id is URI-encoded (a no-op for ObjectIds and our own ids).
 */
export function deadlineJobId(caseId: string, slot: string): string {
  if (!SLOT.test(slot)) throw new Error(`not a deadline slot: "${slot}"`);
  return `dl.${encodeURIComponent(caseId)}.${slot}`;
}

export function parseDeadlineJobId(jobId: string): { caseId: string; slot: string } | undefined {
  const match = /^dl\.(.+)\.(a\d+\.(?:accept|finish)|verify)$/.exec(jobId);
  if (!match?.[1] || !match[2]) return undefined;
  return { caseId: decodeURIComponent(match[1]), slot: match[2] };
}
