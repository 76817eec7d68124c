import type { CaseChangeSubscriber } from '../../commands/caseSubscribers';
import type { OrgDirectory } from '../../commands/deps';
import type { HotlineWebhooks } from '../../config/hotlineWebhooks';
import type { Logger } from '../../infra/logger';
import { COMMUNITY_DEPT_CODE, type Case } from '../../src/cases';
import { progressSteps } from '../../src/cases/milestones';
import type { HotlineOrderRecord } from '../../store/hotlineOrderRepository';
import { progressPayload, type OrderRef } from './progressPayload';

/** The per-platform webhook outbox (`jobs/hotline-webhook`). */
export interface ProgressOutbox {
  enqueue(platformId: string, data: { eventId: string; body: string; label: string }): Promise<void>;
}

export interface HotlineProgressDeps {
  orders: { byCase(caseId: string): Promise<HotlineOrderRecord | null> };
  org: Pick<OrgDirectory, 'department' | 'community'>;
  outbox: ProgressOutbox;
  webhooks: HotlineWebhooks;
  logger?: Logger;
}

async function departmentName(deps: HotlineProgressDeps, c: Case, code: string): Promise<string | null> {
  if (code === COMMUNITY_DEPT_CODE && c.communityId !== undefined) return (await deps.org.community(c.communityId))?.name ?? null;
  return (await deps.org.department(c.districtId, code))?.name ?? null;
}

/** The orders whose progress this case carries: its own, and those of hotline cases merged into it. */
async function ordersOf(deps: HotlineProgressDeps, c: Case): Promise<OrderRef[]> {
  const caseIds = [...(c.source === 'hotline' ? [c.id] : []), ...c.mergedDuplicates];
  const found = await Promise.all(caseIds.map(async (caseId) => ({ caseId, order: await deps.orders.byCase(caseId) })));
  return found.flatMap(({ caseId, order }) => (order ? [{ orderNo: order.orderNo, platform: order.platform ?? deps.webhooks.defaultPlatform, caseId }] : []));
}

/**
 * Tells each hotline platform of its orders' milestones (accepted, returned, done, closed,
 * satisfaction) by queueing a signed push per step on the platform's own webhook queue.
 */
export function hotlineProgressSubscriber(deps: HotlineProgressDeps): CaseChangeSubscriber {
  const platforms = new Map(deps.webhooks.platforms.map((p) => [p.id, p]));
  return async ({ after, events }) => {
    const steps = progressSteps(after, events);
    if (steps.length === 0) return;
    const orders = await ordersOf(deps, after);
    for (const order of orders) {
      const platform = platforms.get(order.platform);
      if (!platform) {
        deps.logger?.error({ orderNo: order.orderNo, platform: order.platform }, 'hotline order names a platform missing from HOTLINE_WEBHOOKS_CONFIG: add it there; its progress is not pushed');
        continue;
      }
      for (const [index, step] of steps.entries()) {
        if (!platform.milestones.includes(step.milestone)) continue;
        const eventId = `${order.platform}:${order.orderNo}:${after.id}:${after.version}:${index}:${step.milestone}`;
        const name = step.deptCode === undefined ? null : await departmentName(deps, after, step.deptCode);
        const body = JSON.stringify(progressPayload(order, after, step, eventId, name));
        await deps.outbox.enqueue(platform.id, { eventId, body, label: `${after.number} ${step.milestone}` });
      }
    }
  };
}
