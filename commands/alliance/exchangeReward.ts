import { refuse } from '../../src/alliance/refusals';
import { exchangeDecision } from '../../src/alliance/rewards';
import { pointsBalance, type RewardExchange } from '../../src/alliance/yearlyFigures';
import type { AllianceDeps } from './deps';
import type { Outcome } from './outcome';
import type { AllianceRefusal } from '../../src/alliance/refusals';

/** Points exchanged for a reward, recorded; two exchanges at once cannot spend the same points twice. */
export async function exchangeReward(deps: AllianceDeps, participantId: string, reward: string, points: number, by: string): Promise<Outcome<{ exchange: RewardExchange; balance: number }>> {
  const participant = await deps.repo.participant(participantId);
  if (!participant) return refuse('not_found', `报到对象 ${participantId} 不存在`);
  const signups = await deps.repo.signupsOfParticipant(participantId);
  const activities = await deps.repo.activitiesByIds(signups.map((s) => s.activityId));
  let refusal: AllianceRefusal | undefined;
  let balance = 0;
  const exchange = await deps.repo.exchange(participantId, (previous) => {
    balance = pointsBalance(participantId, activities, signups, previous, deps.config.points);
    const decision = exchangeDecision(balance, points, participant.name);
    if (!decision.ok) {
      refusal = decision;
      return undefined;
    }
    return { participantId, reward, points, at: deps.clock(), by };
  });
  if (!exchange) return refusal ?? refuse('insufficient_points', '积分不足');
  await deps.notifier.tell(participant, `已用 ${points} 积分兑换「${reward}」，剩余 ${balance - points} 积分`, `al-exchange:${exchange.id}`);
  return { ok: true, exchange, balance: balance - points };
}
