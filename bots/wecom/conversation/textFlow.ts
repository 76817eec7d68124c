import { classifyIntent, type ConversationIntent } from '../../../src/conversation/intent';
import type { UserDoc } from '../../../store/models/org';
import type { TextEvent } from '../events';
import { cancelCase, cancelDraft } from './cancelFlow';
import { answerCaseQuery, answerMyReports } from './caseQueries';
import type { ConversationDeps } from './deps';
import { askExtension, holdFeedback, returnByText } from './departmentFlow';
import { Replier } from './reply';
import { replies } from './replies';
import { addReportPiece, correctByText } from './reportFlow';
import { canReport, departmentActor } from './sender';
import { parseCorrection } from './textCorrection';

/** A text message: an unknown sender is told how to register; otherwise the intent decides. */
export async function handleText(deps: ConversationDeps, event: TextEvent): Promise<void> {
  const reply = new Replier(deps.outbound, event.fromUser, event.dedupeKey);
  const user = await deps.org.user(event.fromUser);
  if (!user) {
    deps.logger.info({ userId: event.fromUser }, 'message from a user outside the organisation');
    return reply.text(replies.unknownSender);
  }
  const correction = canReport(user) ? parseCorrection(event.content) : undefined;
  if (correction && (await correctByText(deps, reply, user, correction, event.dedupeKey))) return;
  await answerIntent(deps, reply, user, event, classifyIntent(event.content));
}

function answerIntent(deps: ConversationDeps, reply: Replier, user: UserDoc, event: TextEvent, intent: ConversationIntent): Promise<void> {
  switch (intent.kind) {
    case 'help':
      return reply.text(replies.help);
    case 'my_reports':
      return answerMyReports(deps, reply, user);
    case 'query_case':
      return answerCaseQuery(deps, reply, user, intent.number);
    case 'cancel':
      return cancelDraft(deps, reply, user);
    case 'cancel_case':
      return cancelCase(deps, reply, user, intent.number, `wecom-${event.dedupeKey}`);
    case 'feedback': {
      if (!departmentActor(user)) return reply.text(replies.notADepartment);
      return holdFeedback(deps, reply, user, intent.number, intent.text, event.dedupeKey);
    }
    case 'extension': {
      const actor = departmentActor(user);
      if (!actor) return reply.text(replies.notADepartment);
      return askExtension(deps, reply, user, actor, intent.number, intent.text, `wecom-${event.dedupeKey}`);
    }
    case 'return_case': {
      const actor = departmentActor(user);
      if (!actor) return reply.text(replies.notADepartment);
      return returnByText(deps, reply, actor, intent.number, intent.reason, `wecom-${event.dedupeKey}`);
    }
    case 'greeting':
    case 'chatter':
      return chat(deps, reply, user, event, intent.kind);
    case 'report':
      return report(deps, reply, user, event);
  }
}

async function chat(deps: ConversationDeps, reply: Replier, user: UserDoc, event: TextEvent, kind: 'greeting' | 'chatter'): Promise<void> {
  // Right after we asked for the place, a short answer ("3号楼门口") can look like chatter.
  if (canReport(user) && (await deps.drafts.current(user._id))?.awaitingPlace) return report(deps, reply, user, event);
  return reply.text(kind === 'greeting' ? replies.greeting : replies.chatter);
}

function report(deps: ConversationDeps, reply: Replier, user: UserDoc, event: TextEvent): Promise<void> {
  if (!canReport(user)) return reply.text(departmentActor(user) ? replies.departmentHint : replies.notAReporter);
  return addReportPiece(deps, reply, user, { kind: 'text', text: event.content.trim(), at: deps.clock().getTime() }, event.dedupeKey);
}
