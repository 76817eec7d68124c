import type { AppModule, Infrastructure } from '../../app/runtime';
import type { LifecycleDeps } from '../../commands/deps';
import { loadDistrictSeed } from '../../config/district';
import { HotlineOrderRepository } from '../../store/hotlineOrderRepository';
import { hotlineDistrictFrom } from './district';
import { hotlineRouter, type HotlineServices } from './router';

export interface HotlineModuleOptions {
  /** The case lifecycle this process runs (the same deps the WeCom side and the mini-program use). */
  lifecycle(infra: Infrastructure): LifecycleDeps;
  /** Platforms told of progress, which an order may name. */
  platforms?(infra: Infrastructure): string[];
}

/** Timings of the order claim; see `receiveHotlineOrder`. */
export const HOTLINE_CLAIM_TIMINGS = { staleClaimMs: 2 * 60_000, waitForPendingMs: 5_000, pollMs: 100 } as const;

export function hotlineServices(infra: Infrastructure, lifecycle: LifecycleDeps, platforms: readonly string[] = []): HotlineServices {
  const district = hotlineDistrictFrom(loadDistrictSeed(infra.env.DISTRICT_CONFIG));
  return {
    token: infra.env.HOTLINE_API_TOKEN,
    deps: { lifecycle, orders: new HotlineOrderRepository(infra.mongo), districtId: district.districtId, ...HOTLINE_CLAIM_TIMINGS },
    district,
    platforms,
    logger: infra.logger.child({ module: 'hotline' }),
  };
}

/** The 12345 hotline's work-order API (web role only: it has no workers). */
export function hotlineModule(options: HotlineModuleOptions): AppModule {
  return { routers: (infra) => [hotlineRouter(hotlineServices(infra, options.lifecycle(infra), options.platforms?.(infra)))] };
}
