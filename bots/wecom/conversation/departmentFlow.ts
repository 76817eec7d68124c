import { retryWhenBusy } from '../../../commands/caseBusy';
import { formatChinaTime } from '../../../src/chinaTime';
import type { Actor, MediaRef } from '../../../src/cases';
import type { UserDoc } from '../../../store/models/org';
import type { ConversationDeps } from './deps';
import { draftFeedback, draftMedia } from './draft';
import { requestedDueAt } from './extensionDate';
import { Replier } from './reply';
import { replies } from './replies';
import { departmentActor } from './sender';

/** A department member's photo waits in their draft for the feedback text it belongs to. */
export async function addDepartmentPhoto(deps: ConversationDeps, reply: Replier, user: UserDoc, media: MediaRef, messageKey: string): Promise<void> {
  const draft = await deps.drafts.append(user._id, { kind: 'media', media, at: deps.clock().getTime() }, messageKey);
  const waitingFeedback = draftFeedback(draft).length > 0;
  if (!waitingFeedback && draft.pieces.length === 1) await reply.text('已收到照片。提交处理反馈请发送“案件编号 处理结果”，照片会一并附上。', 'photo-hint');
}

/**
 * `2026-000123 已处理完毕…`: held for `feedbackWindowSeconds` so photos sent right after it are
 * attached too; the timer then calls `settleFeedback`.
 */
export async function holdFeedback(deps: ConversationDeps, reply: Replier, user: UserDoc, number: string, text: string, messageKey: string): Promise<void> {
  const draft = await deps.drafts.append(user._id, { kind: 'feedback', number, text, at: deps.clock().getTime() }, messageKey);
  await deps.feedbackTimer.schedule(user._id, draft.id, deps.config.feedbackWindowSeconds * 1000);
  await reply.text(replies.feedbackHeld(number, deps.config.feedbackWindowSeconds), 'feedback-held');
}

/** Sends held feedback with every photo gathered around it; a second call for the same draft does nothing. */
export async function settleFeedback(deps: ConversationDeps, userId: string, draftId: string): Promise<void> {
  const draft = await deps.drafts.take(userId, draftId);
  if (!draft) return;
  const user = await deps.org.user(userId);
  const actor = user ? departmentActor(user) : undefined;
  const reply = new Replier(deps.outbound, userId, `feedback-${draftId}`);
  if (!actor) return reply.text(replies.notADepartment);
  const media = draftMedia(draft);
  for (const piece of draftFeedback(draft)) {
    const ctx = { actor, channel: 'wecom' as const, now: deps.clock(), commandId: `wecom-feedback-${draftId}-${piece.number}` };
    const result = await deps.desk.runCaseCommand({ number: piece.number }, { type: 'feedback', text: piece.text, media }, ctx);
    await reply.text(result.ok ? replies.feedbackDone(piece.number) : replies.refused(piece.number, result.reason), `feedback-${piece.number}`);
  }
}

/** `2026-000123 申请延期 3天 原因…`: asked at once, the street decides. */
export async function askExtension(deps: ConversationDeps, reply: Replier, user: UserDoc, actor: Actor, number: string, text: string, commandId: string): Promise<void> {
  const found = await deps.desk.caseByNumber(number, user.districtId);
  if (!found) return reply.text(replies.caseNotFound(number), 'extension');
  const now = deps.clock();
  const current = found.assignments.find((a) => a.deptCode === actor.deptCode && a.state === 'accepted')?.finishDueAt;
  const due = requestedDueAt(text, now, current, deps.config.defaultExtensionDays);
  const result = retryWhenBusy(await deps.desk.runCaseCommand({ number }, { type: 'requestExtension', reason: text, requestedDueAt: due }, { actor, channel: 'wecom', now, commandId }), number);
  await reply.text(result.ok ? replies.extensionDone(number, formatChinaTime(due, 'written')) : replies.refused(number, result.reason), 'extension');
}

/** `退回 2026-000123 理由`: the typed reason the lifecycle's return card asked for. */
export async function returnByText(deps: ConversationDeps, reply: Replier, actor: Actor, number: string, reason: string, commandId: string): Promise<void> {
  const result = retryWhenBusy(await deps.desk.runCaseCommand({ number }, { type: 'return', reason }, { actor, channel: 'wecom', now: deps.clock(), commandId }), number);
  await reply.text(result.ok ? replies.returnDone(number) : replies.refused(number, result.reason), 'return');
}
