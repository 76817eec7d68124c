import Router from '@koa/router';
import type { Context } from 'koa';
import { receiveHotlineOrder, type HotlineDeps } from '../../commands/hotlineOrders';
import type { Logger } from '../../infra/logger';
import type { HotlineOrderRecord } from '../../store/hotlineOrderRepository';
import { bearerAuth } from '../bearerAuth';
import { readJsonBody } from '../jsonBody';
import { placeOf, type HotlineDistrict } from './district';
import { hotlineError } from './errors';
import { presentReceipt, presentStatus, type CaseOfOrder } from './presenter';
import { hotlineOrderSchema, ORDER_NO } from './schemas';
import { parseOrder } from './validate';

/** Work orders carry text, not photos: 64 KB is far above any real order. */
export const HOTLINE_BODY_LIMIT_BYTES = 64 * 1024;

/** Timings of the order claim; see `receiveHotlineOrder`. */
export const HOTLINE_CLAIM_TIMINGS = { staleClaimMs: 2 * 60_000, waitForPendingMs: 5_000, pollMs: 100 } as const;

export interface HotlineServices {
  /** HOTLINE_API_TOKEN; unset closes the API. */
  token: string | undefined;
  deps: HotlineDeps;
  district: HotlineDistrict;
  /** Platforms told of progress (HOTLINE_WEBHOOKS_CONFIG): an order naming another platform is refused. */
  platforms?: readonly string[];
  logger: Logger;
}

async function caseOfOrder(services: HotlineServices, order: HotlineOrderRecord): Promise<CaseOfOrder> {
  const c = order.caseId === undefined ? null : await services.deps.lifecycle.cases.findById(order.caseId);
  if (!c) throw new Error(`hotline order ${order.orderNo} points at case ${order.caseId ?? '(none)'}, which is missing`);
  const mergedInto = c.mergedInto === undefined ? null : await services.deps.lifecycle.cases.findById(c.mergedInto);
  return mergedInto ? { case: c, mergedInto } : { case: c };
}

function inProgress(ctx: Context, retryAfterSeconds: number): Error {
  ctx.set('Retry-After', String(retryAfterSeconds));
  return hotlineError('order_in_progress', { details: { retryAfterSeconds } });
}

/**
 * POST /api/hotline/orders — a 12345 work order becomes a case, exactly once per order number;
 * GET /api/hotline/orders/:orderNo — its state and timeline. See docs/hotline-api.md.
 */
export function hotlineRouter(services: HotlineServices): Router {
  const router = new Router({ prefix: '/api/hotline' });
  const { district, logger } = services;
  const auth = bearerAuth(services.token, { code: 'hotline_token_not_configured', message: '热线接口未配置令牌（HOTLINE_API_TOKEN），暂不可用' });

  router.post('/orders', auth, async (ctx) => {
    if (!ctx.is('application/json')) throw hotlineError('unsupported_media_type');
    const request = parseOrder(hotlineOrderSchema, await readJsonBody(ctx, HOTLINE_BODY_LIMIT_BYTES));
    const { streetId, communityId, ...rest } = request;
    if (rest.platform !== undefined && !(services.platforms ?? []).includes(rest.platform)) {
      throw hotlineError('unknown_platform', { message: `平台 ${rest.platform} 未配置（HOTLINE_WEBHOOKS_CONFIG），请去掉 platform 或使用已配置的平台`, details: { field: 'platform', known: [...(services.platforms ?? [])] } });
    }
    const order = { ...rest, ...placeOf(district, streetId, communityId) };
    const receipt = await receiveHotlineOrder(services.deps, order);
    ctx.set('Cache-Control', 'no-store');
    switch (receipt.kind) {
      case 'created': {
        const found = receipt.duplicateOf ? { case: receipt.case, mergedInto: receipt.duplicateOf } : { case: receipt.case };
        if (receipt.tookOverAttempt !== undefined) {
          logger.warn({ orderNo: order.orderNo, abandonedAttempt: receipt.tookOverAttempt, caseId: receipt.case.id }, 'hotline order: an earlier attempt was abandoned; if it stored a case, merge or cancel it');
        }
        logger.info({ orderNo: order.orderNo, caseId: receipt.case.id, number: receipt.case.number, outcome: receipt.outcome }, 'hotline order received');
        ctx.status = 201;
        ctx.body = presentReceipt(district, receipt.order, found);
        return;
      }
      case 'replayed':
        ctx.set('Idempotent-Replayed', 'true');
        ctx.body = presentReceipt(district, receipt.order, await caseOfOrder(services, receipt.order));
        return;
      case 'conflict':
        throw hotlineError('order_conflict', {
          message: `工单 ${order.orderNo} 已用不同的内容提交过（案件 ${receipt.order.number ?? '受理中'}），工单内容不能修改`,
          details: { orderNo: order.orderNo, number: receipt.order.number ?? null },
        });
      case 'in_progress':
        throw inProgress(ctx, receipt.retryAfterSeconds);
    }
  });

  router.get('/orders/:orderNo', auth, async (ctx) => {
    const orderNo = ctx.params.orderNo ?? '';
    if (!ORDER_NO.test(orderNo)) throw hotlineError('invalid_request', { message: '工单号只能包含字母、数字、_ . -，最长 64 位', details: { field: 'orderNo' } });
    const order = await services.deps.orders.latest(district.districtId, orderNo);
    if (!order) throw hotlineError('order_not_found', { message: `未找到工单 ${orderNo}`, details: { orderNo } });
    if (order.caseId === undefined) throw inProgress(ctx, 1);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = presentStatus(district, order, await caseOfOrder(services, order));
  });

  return router;
}
