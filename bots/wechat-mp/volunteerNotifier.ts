import type { Model } from 'mongoose';
import type { ActivityNotice, AllianceNotifier } from '../../commands/alliance/deps';
import type { MpConfig, VolunteerTemplate, VolunteerValueSource } from '../../config/mp';
import type { Logger } from '../../infra/logger';
import type { MpOutbox } from '../../jobs/mp-outbox';
import type { ActivityNoticeKind, Participant } from '../../src/alliance/types';
import type { ResidentDoc } from '../../store/models/resident';
import { takeGrant, type ResidentSubscriptionDoc } from '../../store/models/residentSubscription';
import type { SubscribeMessage } from './client';
import { fitTemplateValue } from './subscribeMessage';
import { formatChinaTime } from '../../src/chinaTime';

export type VolunteerNotifyOutcome = 'queued' | 'not_volunteer' | 'no_template' | 'not_subscribed' | 'no_resident';

const STATUS: Record<ActivityNoticeKind, string> = {
  posted: '新哨令',
  confirmed: '已确认参加',
  reminder: '即将开始',
  changed: '哨令变更',
  cancelled: '哨令取消',
  waitlisted: '转为候补',
  promoted: '候补递补',
};

/** A volunteer's grants are counted per volunteer and template (a case's per case and template). */
export function volunteerGrantScope(residentId: string): string {
  return `volunteer:${residentId}`;
}

function valueFor(source: VolunteerValueSource, notice: ActivityNotice, text: string): string {
  switch (source) {
    case 'activityTitle': return notice.activity.title;
    case 'startsAt': return formatChinaTime(notice.activity.startsAt, 'full');
    case 'venue': return notice.activity.venue.name;
    case 'status': return STATUS[notice.kind];
    case 'message': return text;
  }
}

export function buildVolunteerMessage(notice: ActivityNotice, text: string, template: VolunteerTemplate, subscribe: MpConfig['subscribe'], openid: string): SubscribeMessage {
  const data: Record<string, { value: string }> = {};
  for (const [key, source] of Object.entries(template.fields)) data[key] = { value: fitTemplateValue(key, valueFor(source, notice, text)) };
  return { touser: openid, templateId: template.templateId, page: `${subscribe.volunteerPage}?id=${encodeURIComponent(notice.activity.id)}`, data, miniprogramState: subscribe.miniprogramState, lang: subscribe.lang };
}

export interface VolunteerNotifierDeps {
  config: MpConfig['subscribe'];
  outbox: Pick<MpOutbox, 'enqueue' | 'has'>;
  subscriptions: Model<ResidentSubscriptionDoc>;
  residents: Model<ResidentDoc>;
  clock?: () => Date;
  logger?: Logger;
}

/**
 * 哨令 news for volunteers outside the corp (registered in the mini-program): one subscribe message
 * (`subscribeMessage.send`) through the mini-program outbox, when the volunteer granted one for that
 * kind's template (each 允许 in wx.requestSubscribeMessage is one message).
 */
export function createVolunteerNotifier(deps: VolunteerNotifierDeps) {
  const clock = deps.clock ?? (() => new Date());
  return {
    async notify(participant: Participant, notice: ActivityNotice, text: string, idempotencyKey: string): Promise<VolunteerNotifyOutcome> {
      if (!participant.residentId || participant.wecomUserId) return 'not_volunteer';
      const template = deps.config.volunteerTemplates[notice.kind];
      if (!template) return 'no_template';
      // The same news told twice (a retried step) must not use up a second grant.
      if (await deps.outbox.has(idempotencyKey)) return 'queued';
      const resident = await deps.residents.findById(participant.residentId).lean<ResidentDoc>().exec();
      if (!resident) return 'no_resident';
      if (!(await takeGrant(deps.subscriptions, volunteerGrantScope(participant.residentId), template.templateId, clock()))) {
        deps.logger?.debug({ participantId: participant.id, kind: notice.kind }, 'volunteer has no grant left for this template; not sent');
        return 'not_subscribed';
      }
      const label = `${notice.activity.id} ${notice.kind} ${participant.id}`;
      const { jobId } = await deps.outbox.enqueue({ message: buildVolunteerMessage(notice, text, template, deps.config, resident.openid), label }, idempotencyKey);
      deps.logger?.info({ activityId: notice.activity.id, kind: notice.kind, participantId: participant.id, jobId }, 'volunteer subscribe message queued');
      return 'queued';
    },
  };
}

export type VolunteerNotifier = ReturnType<typeof createVolunteerNotifier>;

/**
 * The alliance notifier with volunteers' subscribe messages added: WeChat Work members get what
 * they got before; a volunteer registered in the mini-program (no WeChat Work id) gets the 哨令
 * they are targeted by and the news the lifecycle tells them (confirmation, reminders, changes,
 * cancellation, waiting list) as subscribe messages.
 */
export function withVolunteerMessages(base: AllianceNotifier, volunteers: VolunteerNotifier): AllianceNotifier {
  return {
    ...base,
    async activityPosted(activity, targets) {
      await base.activityPosted(activity, targets);
      for (const target of targets) {
        await volunteers.notify(target, { kind: 'posted', activity }, `「${activity.title}」邀请您报到，请进入小程序报名`, `vol:al-posted:${activity.id}:${target.id}`);
      }
    },
    async tell(participant, text, idempotencyKey, about) {
      await base.tell(participant, text, idempotencyKey, about);
      if (about) await volunteers.notify(participant, about, text, `vol:${idempotencyKey}`);
    },
  };
}
