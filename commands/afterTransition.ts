import type { Case, TimelineEvent } from '../src/cases';
import type { LifecycleDeps } from './deps';

/**
 * The side effects of one successful change: chat notifications, then deadline timers. Both run
 * even if the other fails, and neither failure is thrown: the change itself is already stored, so
 * the caller must report success (a retry would repeat a stored change). Failures go to `sideEffectFailed`.
 */
export async function afterTransition(deps: Pick<LifecycleDeps, 'notifier' | 'deadlines' | 'sideEffectFailed'>, before: Case | null, after: Case, events: TimelineEvent[]): Promise<void> {
  const [notified, synced] = await Promise.allSettled([deps.notifier.caseChanged({ before, after, events }), deps.deadlines.syncCase(after)]);
  if (notified.status === 'rejected') deps.sideEffectFailed({ step: 'notify', case: after, error: notified.reason });
  if (synced.status === 'rejected') deps.sideEffectFailed({ step: 'deadlines', case: after, error: synced.reason });
}
