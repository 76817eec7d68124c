import type { RedisClient } from '../../../../infra/redis';
import type { Connection } from 'mongoose';
import { directorySyncFor } from '../../../../app/directory';
import type { DirectorySync } from '../../../../commands/directory/directorySync';
import { loadEnv, type Env } from '../../../../config';
import type { FakeWecomServer } from '../../../../fakes/wecom';
import { RedisOrgChanges } from '../../../../infra/orgChanges';
import { createRedis } from '../../../../infra/redis';
import { connectMongo } from '../../../../store/connection';
import { DirectorySnapshotRepository } from '../../../../store/directorySnapshotRepository';
import { OrgRepository } from '../../../../store/orgRepository';
import { testRedisUrl } from '../../../support/isolation';

export const DEMO_DISTRICT = `${__dirname}/../../../../config/district.demo.json`;
export const DEMO_MAPPING = `${__dirname}/../../../../config/directory.demo.json`;

/** The environment of a deployment syncing its directory from `fake`. */
export function directoryEnv(fake: FakeWecomServer, mongoUri: string, prefix: string): Env {
  return loadEnv({
    MONGODB_URI: mongoUri,
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    WECOM_CORP_ID: fake.corpId,
    WECOM_AGENT_ID: String(fake.agentId),
    WECOM_SECRET: fake.secret,
    WECOM_TOKEN: 'token',
    WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    WECOM_DIRECTORY_SECRET: fake.directorySecret,
    WECOM_API_BASE: fake.baseUrl,
    DISTRICT_CONFIG: DEMO_DISTRICT,
    DIRECTORY_CONFIG: DEMO_MAPPING,
  });
}

/** One running process: its own store and Redis connections, change subscriber and directory sync. */
export interface Instance {
  mongo: Connection;
  redis: RedisClient;
  org: OrgRepository;
  changes: RedisOrgChanges;
  sync: DirectorySync;
  snapshotVersion(): Promise<number>;
  close(): Promise<void>;
}

export async function startInstance(env: Env, options: { pageSize?: number } = {}): Promise<Instance> {
  const mongo = await connectMongo(env.MONGODB_URI);
  const redis = createRedis(env.REDIS_URL);
  const org = new OrgRepository(mongo);
  const changes = new RedisOrgChanges(redis, env.QUEUE_PREFIX);
  const sync = directorySyncFor({ env, mongo, redis, org, orgChanges: changes, ...(options.pageSize !== undefined && { pageSize: options.pageSize }) });
  if (!sync) throw new Error('directory sync should be on');
  const snapshots = new DirectorySnapshotRepository(mongo);
  return {
    mongo,
    redis,
    org,
    changes,
    sync,
    snapshotVersion: async () => (await snapshots.latest(sync.districtId))?.version ?? 0,
    close: async () => {
      await changes.close();
      await redis.quit();
      await mongo.close();
    },
  };
}
