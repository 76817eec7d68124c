import type { LifecycleDeps, OrgDirectory } from '../commands/deps';
import { loadDistrictSeed } from '../config/district';
import { ConfigError } from '../config/errors';
import { loadOpen311Config, type Open311Config } from '../config/open311';
import { Open311Repository } from '../store/open311Repository';
import { OPEN311_STALE_CLAIM_MS, open311Router } from '../web/open311/router';
import { RateLimiter } from '../web/rateLimit';
import type { AppModule, Infrastructure } from './runtime';

export interface Open311ModuleOptions {
  /** The case lifecycle this process runs (the same the WeCom side, the mini-program and the hotline use). */
  lifecycle: LifecycleDeps;
  /** The organisation as the process caches it. */
  org: OrgDirectory;
}

function checkStreets(config: Open311Config, streets: readonly string[], source: string): void {
  const unknown = config.jurisdictions.filter((j) => !streets.includes(j.streetId));
  if (unknown.length > 0) throw new ConfigError(unknown.map((j) => `${source}: jurisdiction ${j.id} names street "${j.streetId}", which is not in the district seed (${streets.join(', ')})`));
}

/** Open311 GeoReport v2 for third-party reporting apps (web role only; closed without OPEN311_CONFIG). */
export function open311Module(infra: Infrastructure, options: Open311ModuleOptions): AppModule {
  return {
    routers() {
      const path = infra.env.OPEN311_CONFIG;
      if (path === undefined) {
        infra.logger.info('Open311 is closed: set OPEN311_CONFIG to open /open311/v2');
        return [];
      }
      const seed = loadDistrictSeed(infra.env.DISTRICT_CONFIG);
      const config = loadOpen311Config(path);
      checkStreets(config, seed.streets.map((s) => s.id), path);
      const repository = new Open311Repository(infra.mongo);
      return [
        open311Router({
          config,
          repository,
          deps: { lifecycle: options.lifecycle, requests: repository, districtId: seed.district.id, staleClaimMs: OPEN311_STALE_CLAIM_MS },
          org: options.org,
          limiter: new RateLimiter(infra.redis, infra.env.QUEUE_PREFIX),
          logger: infra.logger.child({ module: 'open311' }),
        }),
      ];
    },
  };
}
