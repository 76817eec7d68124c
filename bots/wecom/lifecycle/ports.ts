import type { Case } from '../../../src/cases';
import type { ResidentMilestone } from '../../../src/cases/milestones';
import type { OutboundMessage } from '../messages';

/** The outbox (`jobs/outbox`): the same idempotency key is sent once. */
export interface LifecycleOutbox {
  enqueueOutbound(message: OutboundMessage, idempotencyKey: string): Promise<unknown>;
}

/**
 * Residents report through the mini-program, not WeCom: their milestones go through the MP side
 * (`notifyResidentMilestone` of `web/mp`), wired here when the app is composed.
 */
export type ResidentMilestoneNotifier = (c: Case, milestone: ResidentMilestone) => Promise<void>;
