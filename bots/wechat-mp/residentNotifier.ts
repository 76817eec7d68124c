import type { Model } from 'mongoose';
import type { MpConfig } from '../../config/mp';
import type { ResidentMilestone } from '../../src/cases/milestones';
import type { Logger } from '../../infra/logger';
import type { MpOutbox } from '../../jobs/mp-outbox';
import type { Case } from '../../src/cases';
import { takeGrant, type ResidentSubscriptionDoc } from '../../store/models/residentSubscription';
import { buildSubscribeMessage } from './subscribeMessage';

export type NotifyOutcome = 'queued' | 'not_resident' | 'no_template' | 'not_subscribed';

export interface ResidentNotifier {
  /**
   * Queues the subscribe message for one milestone if the resident granted one. Matches the WeCom
   * lifecycle notifier's `ResidentMilestoneNotifier` port (`bots/wecom/lifecycle/ports.ts`).
   */
  notifyResidentMilestone(c: Case, milestone: ResidentMilestone): Promise<NotifyOutcome>;
}

export interface ResidentNotifierDeps {
  config: MpConfig['subscribe'];
  outbox: MpOutbox;
  subscriptions: Model<ResidentSubscriptionDoc>;
  clock?: () => Date;
  logger?: Logger;
}

export function createResidentNotifier(deps: ResidentNotifierDeps): ResidentNotifier {
  const clock = deps.clock ?? (() => new Date());
  return {
    async notifyResidentMilestone(c, milestone) {
      const openid = c.reporter.openid;
      if (c.source !== 'resident' || !openid) return 'not_resident';
      const template = deps.config.templates[milestone];
      if (!template) return 'no_template';
      const now = clock();
      const idempotencyKey = `${c.id}/${milestone}/${c.version}`;
      // The same change notified twice (a retried side effect) must not use up a second grant.
      if (await deps.outbox.has(idempotencyKey)) return 'queued';
      // One grant is one message: it is used up when the message is queued, whatever WeChat says later.
      if (!(await takeGrant(deps.subscriptions, c.id, template.templateId, now))) return 'not_subscribed';
      const message = buildSubscribeMessage(c, milestone, template, deps.config, openid, now);
      const label = `${c.number} ${milestone}`;
      const { jobId } = await deps.outbox.enqueue({ message, label }, idempotencyKey);
      deps.logger?.info({ caseId: c.id, milestone, jobId }, 'resident subscribe message queued');
      return 'queued';
    },
  };
}
