import type { AllianceDeps } from '../../../commands/alliance/deps';
import { confirmSignup } from '../../../commands/alliance/confirmSignup';
import { organiserDecision } from '../../../src/alliance/activityChanges';
import { signUp, withdraw } from '../../../commands/alliance/signUp';
import type { Logger } from '../../../infra/logger';
import type { InboundDispatcher } from '../../../jobs/inbound/dispatcher';
import type { Outbox } from '../../../jobs/outbox';
import { replaceCardButton } from '../cards';
import type { CardActionEvent } from '../events';
import { cardUpdate, text, toUsers } from '../messages';
import { ALLIANCE_KEY, ALLIANCE_KEY_PREFIX, activityIdOfTask, confirmTargetOfTask } from './keys';

export const NOT_REGISTERED = '您还没有登记为联盟单位、党员或志愿者等报到对象，暂不能报到；请联系街道或社区登记';

interface TapDeps {
  alliance: AllianceDeps;
  outbox: Pick<Outbox, 'enqueueOutbound'>;
  logger?: Logger;
}

async function answer(deps: TapDeps, event: CardActionEvent, content: string): Promise<void> {
  await deps.outbox.enqueueOutbound(toUsers([event.fromUser], text(content)), `al-tap:${event.dedupeKey}`);
}

async function greyOut(deps: TapDeps, event: CardActionEvent, label: string): Promise<void> {
  if (!event.responseCode) return;
  await deps.outbox.enqueueOutbound(cardUpdate(replaceCardButton(event.responseCode, label, { userIds: [event.fromUser] })), `al-tap-card:${event.dedupeKey}`);
}

/** A tap on a 哨令 card: 报到 or 取消报名, answered to the tapper; refusals change nothing. */
export async function handleAllianceTap(deps: TapDeps, event: CardActionEvent): Promise<void> {
  if (event.eventKey === ALLIANCE_KEY.confirm) return handleConfirmTap(deps, event);
  const activityId = activityIdOfTask(event.taskId);
  if (!activityId) return answer(deps, event, '这张卡片已失效，请在最新的哨令卡片上操作');
  const participant = await deps.alliance.repo.participantByWecomUser(event.fromUser);
  if (!participant) return answer(deps, event, NOT_REGISTERED);
  if (event.eventKey === ALLIANCE_KEY.signUp) {
    const result = await signUp(deps.alliance, activityId, participant);
    deps.logger?.info({ activityId, participantId: participant.id, outcome: result.ok ? (result.seat !== undefined ? 'seated' : 'waitlisted') : result.code }, 'alliance sign-up tap');
    // The card keeps its buttons, so 取消报名 stays possible; a second 报到 is answered as a repeat.
    return answer(deps, event, result.message);
  }
  if (event.eventKey === ALLIANCE_KEY.withdraw) {
    const result = await withdraw(deps.alliance, activityId, participant);
    if (!result.ok) return answer(deps, event, result.message);
    await greyOut(deps, event, '已取消报名');
    return answer(deps, event, '已取消报名，名额将让给候补人员');
  }
  return answer(deps, event, '无法识别的操作，请在最新的哨令卡片上重试');
}

/** 确认参加 on the organiser's card: only the member who posted the 哨令; refusals change nothing. */
async function handleConfirmTap(deps: TapDeps, event: CardActionEvent): Promise<void> {
  const target = confirmTargetOfTask(event.taskId);
  if (!target) return answer(deps, event, '这张卡片已失效，请在最新的报到确认卡片上操作');
  const activity = await deps.alliance.repo.activity(target.activityId);
  if (!activity) return answer(deps, event, '这个哨令不存在或已撤回');
  const allowed = organiserDecision(activity, event.fromUser);
  if (!allowed.ok) return answer(deps, event, allowed.message);
  const result = await confirmSignup(deps.alliance, activity.id, target.participantId, event.fromUser);
  deps.logger?.info({ activityId: activity.id, participantId: target.participantId, outcome: result.ok ? 'confirmed' : result.code }, 'alliance confirm tap');
  if (!result.ok) return answer(deps, event, result.message);
  await greyOut(deps, event, '已确认');
  const participant = await deps.alliance.repo.participant(target.participantId);
  return answer(deps, event, `已确认${participant?.name ?? target.participantId}参加「${activity.title}」`);
}

export function registerAllianceListeners(dispatcher: Pick<InboundDispatcher, 'onAction'>, deps: TapDeps): void {
  dispatcher.onAction(ALLIANCE_KEY_PREFIX, async (event) => {
    if (event.type === 'template_card_event') await handleAllianceTap(deps, event);
  });
}
