import type { LifecycleDeps } from '../commands/deps';
import { loadDistrictSeed } from '../config/district';
import { HotlineOrderRepository } from '../store/hotlineOrderRepository';
import { hotlineDistrictFrom } from '../web/hotline/district';
import { HOTLINE_CLAIM_TIMINGS, hotlineRouter } from '../web/hotline/router';
import type { AppModule, Infrastructure } from './runtime';

export interface HotlineModuleOptions {
  /** The case lifecycle this process runs (the same deps the WeCom side and the mini-program use). */
  lifecycle: LifecycleDeps;
  /** Platforms told of progress, which an order may name. */
  platforms?: readonly string[];
}

/** The 12345 hotline's work-order API (web role only: it has no workers). */
export function hotlineModule(infra: Infrastructure, options: HotlineModuleOptions): AppModule {
  return {
    routers() {
      const district = hotlineDistrictFrom(loadDistrictSeed(infra.env.DISTRICT_CONFIG));
      return [
        hotlineRouter({
          token: infra.env.HOTLINE_API_TOKEN,
          deps: { lifecycle: options.lifecycle, orders: new HotlineOrderRepository(infra.mongo), districtId: district.districtId, ...HOTLINE_CLAIM_TIMINGS },
          district,
          platforms: options.platforms ?? [],
          logger: infra.logger.child({ module: 'hotline' }),
        }),
      ];
    },
  };
}
