import { refuse } from '../../src/alliance/refusals';
import { confirmDecision } from '../../src/alliance/signupRules';
import type { AllianceDeps } from './deps';
import type { Outcome } from './outcome';
import { activityNotFound, loadActivity } from './signUp';

/** The organiser confirms a seated participant; only then can they check in. */
export async function confirmSignup(deps: AllianceDeps, activityId: string, participantId: string, by: string): Promise<Outcome<object>> {
  const activity = await loadActivity(deps, activityId);
  if (!activity) return activityNotFound(activityId);
  const participant = await deps.repo.participant(participantId);
  if (!participant) return refuse('not_found', `报到对象 ${participantId} 不存在`);
  const decision = confirmDecision(activity, await deps.repo.signup(activity.id, participantId));
  if (!decision.ok) return decision;
  if (!(await deps.repo.confirm(activity.id, participantId, by, deps.clock()))) return refuse('already_confirmed', `${participant.name}参加「${activity.title}」已确认过`);
  await deps.notifier.tell(participant, `组织方已确认您参加「${activity.title}」，请按时到「${activity.venue.name}」签到`, `al-confirmed:${activity.id}:${participant.id}`, { kind: 'confirmed', activity });
  return { ok: true };
}
