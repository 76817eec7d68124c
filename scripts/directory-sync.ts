import { directorySyncFor } from '../app/directory';
import { DirectorySyncRefused, type SyncReport } from '../commands/directory/directorySync';
import { ConfigError, loadEnv, type Env } from '../config';
import { createLogger } from '../infra/logger';
import { RedisOrgChanges } from '../infra/orgChanges';
import { createRedis } from '../infra/redis';
import { formatDiff, isEmptyDiff } from '../src/directory/diff';
import { connectMongo } from '../store/connection';
import { OrgRepository } from '../store/orgRepository';

const USAGE = `usage: npm run directory:sync -- [--dry-run] [--force]
  reads WeChat Work's directory (WECOM_DIRECTORY_SECRET) and replaces the organisation with it
  --dry-run   print what would change (added / removed / moved / roles / renamed) and change nothing
  --force     apply even when more than maxRemovedShare of the people would be removed`;

export interface Output { write(text: string): unknown }

function summary(report: SyncReport): string {
  const { diff } = report;
  const counts = `${diff.added.length} added, ${diff.removed.length} removed, ${diff.moved.length} moved, ${diff.roles.length} with other roles, ${diff.renamed.length} units renamed`;
  const verdict = report.dryRun ? 'dry run: nothing changed' : `applied as directory snapshot version ${report.version}`;
  const unmapped = report.unmapped.length > 0 ? `; ${report.unmapped.length} WeChat Work members in no mapped department (not part of the district)` : '';
  return `${report.users} people; ${counts}; ${verdict}${unmapped}`;
}

/** The command: exit code 0 synced (or dry run), 1 refused or failed, 64 bad usage, 78 not configured. */
export async function directorySyncCommand(argv: string[], env: Env, out: Output, err: Output): Promise<number> {
  const unknown = argv.filter((a) => a !== '--dry-run' && a !== '--force');
  if (unknown.length > 0) {
    err.write(`${USAGE}\n`);
    return 64;
  }
  const mongo = await connectMongo(env.MONGODB_URI);
  const redis = createRedis(env);
  const orgChanges = new RedisOrgChanges(redis, env.QUEUE_PREFIX);
  const logger = createLogger({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL });
  try {
    const sync = directorySyncFor({ env, mongo, redis, org: new OrgRepository(mongo), orgChanges, logger });
    if (!sync) {
      err.write('directory sync is off: set WECOM_CORP_ID and WECOM_DIRECTORY_SECRET (the 通讯录同步 secret); without them the people come from DISTRICT_CONFIG\n');
      return 78;
    }
    const report = await sync.fullSync({
      dryRun: argv.includes('--dry-run'),
      force: argv.includes('--force'),
      onProgress: (p) => err.write(`reading ${p.phase}: ${p.done}${p.total === undefined ? '' : `/${p.total}`}\n`),
    });
    for (const line of formatDiff(report.diff)) out.write(`${line}\n`);
    if (isEmptyDiff(report.diff)) out.write('no change\n');
    for (const entry of report.missing) err.write(`warning: ${entry} no longer exists in WeChat Work; its unit keeps no members\n`);
    err.write(`${summary(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DirectorySyncRefused) {
      err.write(`directory sync refused, nothing applied:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return 1;
    }
    if (error instanceof ConfigError) {
      err.write(`${error.message}\n`);
      return 78;
    }
    err.write(`directory sync failed, nothing applied: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await orgChanges.close();
    await redis.quit().catch(() => redis.disconnect());
    await mongo.close();
  }
}

if (require.main === module) {
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(78);
  }
  directorySyncCommand(process.argv.slice(2), env, process.stdout, process.stderr).then((code) => process.exit(code), (error: unknown) => {
    process.stderr.write(`directory:sync failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
