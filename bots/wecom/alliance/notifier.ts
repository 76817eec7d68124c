import type { AllianceNotifier } from '../../../commands/alliance/deps';
import type { Logger } from '../../../infra/logger';
import type { Outbox } from '../../../jobs/outbox';
import type { Activity, Participant } from '../../../src/alliance/types';
import { templateCard, text, toUsers } from '../messages';
import { activityCard, confirmCard } from './activityCard';

const MAX_USERS_PER_MESSAGE = 1000;

/**
 * Alliance messages through the outbox: the 哨令 card to every target with a WeChat Work id, texts to
 * participants and organisers. Residents (volunteers outside the corp) read their state in the mini-program.
 */
export function wecomAllianceNotifier(deps: { outbox: Pick<Outbox, 'enqueueOutbound'>; timeZone: string; clock?: () => Date; logger?: Logger }): AllianceNotifier {
  const clock = deps.clock ?? (() => new Date());
  return {
    async activityPosted(activity: Activity, targets: readonly Participant[]) {
      const userIds = [...new Set(targets.flatMap((t) => (t.wecomUserId ? [t.wecomUserId] : [])))];
      const card = templateCard(activityCard(activity, deps.timeZone));
      for (let i = 0; i < userIds.length; i += MAX_USERS_PER_MESSAGE) {
        await deps.outbox.enqueueOutbound(toUsers(userIds.slice(i, i + MAX_USERS_PER_MESSAGE), card), `al-card:${activity.id}:${i / MAX_USERS_PER_MESSAGE}`);
      }
      deps.logger?.info({ activityId: activity.id, targets: targets.length, wecom: userIds.length }, 'alliance whistle posted');
    },
    async tell(participant: Participant, content: string, idempotencyKey: string) {
      if (!participant.wecomUserId) return;
      await deps.outbox.enqueueOutbound(toUsers([participant.wecomUserId], text(content)), idempotencyKey);
    },
    async confirmRequest(activity: Activity, participant: Participant, content: string, idempotencyKey: string) {
      await deps.outbox.enqueueOutbound(toUsers([activity.organiser.userId], templateCard(confirmCard(activity, participant, content, deps.timeZone, clock()))), idempotencyKey);
    },
    async tellOrganiser(activity: Activity, content: string, idempotencyKey: string) {
      await deps.outbox.enqueueOutbound(toUsers([activity.organiser.userId], text(content)), idempotencyKey);
    },
  };
}
