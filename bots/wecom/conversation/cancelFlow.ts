import { reporterActor } from '../../../commands/actors';
import { retryWhenBusy } from '../../../commands/caseBusy';
import type { UserDoc } from '../../../store/models/org';
import type { ConversationDeps } from './deps';
import type { Replier } from './reply';
import { replies } from './replies';

/** 取消: drops the draft being gathered. */
export async function cancelDraft(deps: ConversationDeps, reply: Replier, user: UserDoc): Promise<void> {
  const result = await deps.drafts.cancel(user._id);
  if (result === 'cancelled') return reply.text(replies.cancelled);
  if (result === 'confirming') return reply.text(replies.submitting);
  return reply.text(replies.nothingToCancel);
}

/** 取消 2026-000123: the reporter withdraws a submitted case; the state machine says whether it still can. */
export async function cancelCase(deps: ConversationDeps, reply: Replier, user: UserDoc, number: string, commandId: string): Promise<void> {
  const ctx = { actor: reporterActor(user._id, user.name), channel: 'wecom' as const, now: deps.clock(), commandId };
  const result = retryWhenBusy(await deps.desk.runCaseCommand({ number }, { type: 'cancel', reason: '上报人撤销' }, ctx), number);
  await reply.text(result.ok ? replies.caseCancelled(number) : replies.refused(number, result.reason), 'cancel-case');
}
