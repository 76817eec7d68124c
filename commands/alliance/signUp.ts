import { refuse } from '../../src/alliance/refusals';
import { fullRefusal, signUpDecision, withdrawDecision } from '../../src/alliance/signupRules';
import type { Activity, Participant } from '../../src/alliance/types';
import type { AllianceDeps } from './deps';
import type { Outcome } from './outcome';
import { yearOf } from './year';

export type SignUpAnswer = { seat: number; waitlisted?: undefined; message: string } | { seat?: undefined; waitlisted: number; message: string };

export async function loadActivity(deps: Pick<AllianceDeps, 'repo'>, activityId: string): Promise<Activity | undefined> {
  return deps.repo.activity(activityId);
}

export const activityNotFound = (activityId: string) => refuse('not_found', `活动 ${activityId} 不存在或已撤回`);

/** 报到: a seat while there is one, else a waiting place, else a refusal; the organiser hears of each. */
export async function signUp(deps: AllianceDeps, activityId: string, participant: Participant): Promise<Outcome<SignUpAnswer>> {
  const activity = await loadActivity(deps, activityId);
  if (!activity) return activityNotFound(activityId);
  const now = deps.clock();
  const existing = await deps.repo.signup(activity.id, participant.id);
  if (existing?.withdrawnAt !== undefined) return refuse('withdrawn', `${participant.name}已取消过「${activity.title}」的报名，如需再参加请联系组织方`);
  const decision = signUpDecision(activity, participant, existing, now);
  if (!decision.ok) return decision;

  const outcome = await deps.repo.signUp(activity, participant.id, yearOf(deps, activity.startsAt), now);
  switch (outcome.kind) {
    case 'duplicate': {
      const again = signUpDecision(activity, participant, outcome.existing, now);
      return again.ok ? refuse('already_signed_up', `${participant.name}已报名「${activity.title}」`) : again;
    }
    case 'full':
      return fullRefusal(activity);
    case 'seated': {
      const message = `报到成功：「${activity.title}」第 ${outcome.seat} 个名额（共 ${activity.capacity} 个），请等待组织方确认`;
      await deps.notifier.confirmRequest(activity, participant, `${participant.name} 报到「${activity.title}」（第 ${outcome.seat}/${activity.capacity} 个名额），待确认`, `al-org-signup:${activity.id}:${participant.id}`);
      return { ok: true, seat: outcome.seat, message };
    }
    case 'waitlisted': {
      const message = `「${activity.title}」名额已满，已为您登记候补第 ${outcome.position} 位；有人取消时按顺序递补并通知您`;
      return { ok: true, waitlisted: outcome.position, message };
    }
  }
}

/** Taking a sign-up back before the start; the first on the waiting list gets the freed seat and is told. */
export async function withdraw(deps: AllianceDeps, activityId: string, participant: Participant): Promise<Outcome<{ promoted?: string }>> {
  const activity = await loadActivity(deps, activityId);
  if (!activity) return activityNotFound(activityId);
  const now = deps.clock();
  const decision = withdrawDecision(activity, await deps.repo.signup(activity.id, participant.id), now);
  if (!decision.ok) return decision;
  if (!(await deps.repo.withdraw(activity, participant.id, now))) return refuse('not_signed_up', `${participant.name}已取消报名「${activity.title}」`);
  await deps.notifier.tellOrganiser(activity, `${participant.name} 取消了「${activity.title}」的报名`, `al-org-withdraw:${activity.id}:${participant.id}`);
  const promoted = await promoteNext(deps, activity, now);
  return promoted ? { ok: true, promoted } : { ok: true };
}

/** The first on the waiting list takes a free seat; they and the organiser (with a card to confirm) are told. */
export async function promoteNext(deps: AllianceDeps, activity: Activity, now: Date): Promise<string | undefined> {
  const promoted = await deps.repo.promoteFromWaitlist(activity, now);
  if (!promoted) return undefined;
  const who = await deps.repo.participant(promoted.participantId);
  if (who) {
    const at = now.getTime();
    await deps.notifier.tell(who, `候补递补成功：您已获得「${activity.title}」第 ${promoted.seat} 个名额，请等待组织方确认`, `al-promoted:${activity.id}:${who.id}:${at}`, { kind: 'promoted', activity });
    await deps.notifier.confirmRequest(activity, who, `${who.name} 由候补递补「${activity.title}」第 ${promoted.seat} 个名额，待确认`, `al-org-promoted:${activity.id}:${who.id}:${at}`);
  }
  return promoted.participantId;
}
