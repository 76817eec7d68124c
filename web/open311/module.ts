import type { AppModule, Infrastructure } from '../../app/runtime';
import { sharedCachedOrg } from '../../commands/cachedOrg';
import type { LifecycleDeps } from '../../commands/deps';
import { loadDistrictSeed } from '../../config/district';
import { ConfigError } from '../../config/errors';
import { loadOpen311Config, type Open311Config } from '../../config/open311';
import { Open311Repository } from '../../store/open311Repository';
import { RateLimiter } from '../rateLimit';
import { open311Router, type Open311Services } from './router';

export interface Open311ModuleOptions {
  /** The case lifecycle this process runs (the same the WeCom side, the mini-program and the hotline use). */
  lifecycle(infra: Infrastructure): LifecycleDeps;
}

/** A request that claimed its id but never got a case for this long was left by a crash; a repeat takes it over. */
export const OPEN311_STALE_CLAIM_MS = 2 * 60_000;

function checkStreets(config: Open311Config, streets: readonly string[], source: string): void {
  const unknown = config.jurisdictions.filter((j) => !streets.includes(j.streetId));
  if (unknown.length > 0) throw new ConfigError(unknown.map((j) => `${source}: jurisdiction ${j.id} names street "${j.streetId}", which is not in the district seed (${streets.join(', ')})`));
}

export function open311Services(infra: Infrastructure, lifecycle: LifecycleDeps, configPath: string): Open311Services {
  const seed = loadDistrictSeed(infra.env.DISTRICT_CONFIG);
  const config = loadOpen311Config(configPath);
  checkStreets(config, seed.streets.map((s) => s.id), configPath);
  const repository = new Open311Repository(infra.mongo);
  return {
    config,
    repository,
    deps: { lifecycle, requests: repository, districtId: seed.district.id, staleClaimMs: OPEN311_STALE_CLAIM_MS },
    org: sharedCachedOrg(infra),
    limiter: new RateLimiter(infra.redis, infra.env.QUEUE_PREFIX),
    logger: infra.logger.child({ module: 'open311' }),
  };
}

/** Open311 GeoReport v2 for third-party reporting apps (web role only; closed without OPEN311_CONFIG). */
export function open311Module(options: Open311ModuleOptions): AppModule {
  return {
    routers(infra) {
      const path = infra.env.OPEN311_CONFIG;
      if (path === undefined) {
        infra.logger.info('Open311 is closed: set OPEN311_CONFIG to open /open311/v2');
        return [];
      }
      return [open311Router(open311Services(infra, options.lifecycle(infra), path))];
    },
  };
}
