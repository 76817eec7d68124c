import { listenToContactChanges } from '../bots/wecom/contactChangeListener';
import { DirectorySnapshotRepository } from '../store/directorySnapshotRepository';
import { createNightlyDirectorySync } from '../jobs/directory/nightlySync';
import type { InboundDispatcher } from '../jobs/inbound/dispatcher';
import { bullConnectionFor } from '../jobs/outbox/connection';
import { RedisOrgChanges } from '../infra/orgChanges';
import { directorySyncFor } from './directory';
import type { AppModule, Infrastructure } from './runtime';

/**
 * WeChat Work's directory as the organisation (when WECOM_DIRECTORY_SECRET is set). Worker role:
 * applies change_contact callbacks, runs the nightly full resync, and syncs at once when no sync
 * has run yet.
 */
export function directoryModule(infra: Infrastructure, dispatcher: InboundDispatcher): AppModule {
  return {
    async startWorkers() {
      const orgChanges = infra.orgChanges ?? new RedisOrgChanges(infra.redis, infra.env.QUEUE_PREFIX, infra.logger);
      const sync = directorySyncFor({ env: infra.env, mongo: infra.mongo, redis: infra.redis, org: infra.org, orgChanges, logger: infra.logger });
      if (!sync) return [];
      const logger = infra.logger.child({ component: 'directory-sync' });
      listenToContactChanges(dispatcher, sync, logger);
      const nightly = createNightlyDirectorySync({
        connection: bullConnectionFor(infra),
        prefix: infra.env.QUEUE_PREFIX,
        sync: () => sync.fullSync(),
        pattern: infra.env.DIRECTORY_SYNC_CRON,
        tz: infra.env.DIRECTORY_SYNC_TZ,
        logger,
      });
      await nightly.ensureScheduled();
      if (!(await new DirectorySnapshotRepository(infra.mongo).latest(sync.districtId))) {
        logger.info('no directory sync has run yet: syncing now');
        await nightly.runOnce(`first-sync-${sync.districtId}`);
      }
      return [{ name: 'directory resync', close: () => nightly.close() }];
    },
  };
}
