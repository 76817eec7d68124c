import type { CommandResult } from '../src/cases';

/**
 * Thrown for a command that kept losing the race for its case: transact's retries ran out, or a
 * writer that crashed between claiming a version and saving it holds the case until its claim goes
 * stale (QUEUE_LOCK_MS). A member's tap or message is not refused for that; its job throws and is
 * retried later, with the tap's single-use response code still unspent.
 */
export class CaseBusyError extends Error {
  constructor(readonly caseRef: string) {
    super(`case ${caseRef} is being changed by another writer; the job will retry`);
    this.name = 'CaseBusyError';
  }
}

/** The result, unless it is the conflict refusal: then a CaseBusyError for the caller's job to retry. */
export function retryWhenBusy<T extends CommandResult>(result: T, caseRef: string): T {
  if (!result.ok && result.code === 'conflict') throw new CaseBusyError(caseRef);
  return result;
}
