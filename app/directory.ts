import type { RedisClient } from '../infra/redis';
import type { Connection } from 'mongoose';
import { DirectoryClient } from '../bots/wecom/directoryClient';
import { DirectorySync } from '../commands/directory/directorySync';
import type { Env } from '../config';
import { loadDirectoryMapping } from '../config/directory';
import { loadDistrictSeed } from '../config/district';
import type { Logger } from '../infra/logger';
import type { RedisOrgChanges } from '../infra/orgChanges';
import { withRedisLock } from '../infra/redisLock';
import { DirectorySnapshotRepository } from '../store/directorySnapshotRepository';
import type { OrgRepository } from '../store/orgRepository';

export interface DirectoryParts {
  env: Env;
  mongo: Connection;
  redis: RedisClient;
  org: Pick<OrgRepository, 'loadSeed'>;
  orgChanges: Pick<RedisOrgChanges, 'publish'>;
  logger?: Logger;
  /** user/list_id page size (default 1000). */
  pageSize?: number;
}

/** True when the organisation's people come from WeChat Work's directory rather than DISTRICT_CONFIG. */
export function directorySyncIsOn(env: Env): boolean {
  return env.WECOM_DIRECTORY_SECRET !== undefined && env.WECOM_CORP_ID !== undefined;
}

/**
 * The directory sync of this deployment, or undefined when WECOM_DIRECTORY_SECRET is unset (the
 * JSON seed then stays the organisation). Reads and validates DIRECTORY_CONFIG against DISTRICT_CONFIG.
 */
export function directorySyncFor(parts: DirectoryParts): DirectorySync | undefined {
  const { env } = parts;
  if (!directorySyncIsOn(env) || !env.WECOM_DIRECTORY_SECRET || !env.WECOM_CORP_ID) return undefined;
  const skeleton = loadDistrictSeed(env.DISTRICT_CONFIG);
  const mapping = loadDirectoryMapping(env.DIRECTORY_CONFIG, skeleton);
  const logger = parts.logger?.child({ component: 'directory-sync' });
  const reader = new DirectoryClient({ baseUrl: env.WECOM_API_BASE, corpId: env.WECOM_CORP_ID, secret: env.WECOM_DIRECTORY_SECRET, redis: parts.redis, keyPrefix: env.QUEUE_PREFIX, ...(parts.pageSize !== undefined && { pageSize: parts.pageSize }), ...(logger && { logger }) });
  const lockKey = `${env.QUEUE_PREFIX}:directory:lock:${skeleton.district.id}`;
  return new DirectorySync({
    reader,
    snapshots: new DirectorySnapshotRepository(parts.mongo),
    applyOrganisation: (seed, previous) => parts.org.loadSeed(seed, previous),
    publish: (notice) => parts.orgChanges.publish(notice),
    exclusive: (work) => withRedisLock(parts.redis, lockKey, work, { ttlMs: 120_000, waitMs: 60_000 }),
    skeleton,
    mapping,
    ...(logger && { logger }),
  });
}
