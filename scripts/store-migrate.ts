import { loadEnv } from '../config';
import { connectMongo } from '../store/connection';
import { migrateStore } from '../store/storeMigration';

const USAGE = `usage: npm run store:migrate -- --to mongodb://host:27017/whistlebot [--from mongodb://…] [--batch=1000]
  Copies every collection of the store (default: MONGODB_URI) into the target, in _id order, with its indexes.
  Stop it any time and run it again: it goes on from where it stopped. At the end it compares the counts.
  Stop the service (or every worker and web process) first, so that nothing changes while it copies.`;

/** Same hosts and database, however the two addresses are written. */
function sameStore(a: string, b: string): boolean {
  const parts = (uri: string) => {
    const url = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:'));
    return `${url.host.toLowerCase().split(',').sort().join(',')}${url.pathname.replace(/\/$/, '') || '/test'}`;
  };
  return parts(a) === parts(b);
}

function option(argv: string[], name: string): string | undefined {
  const inline = argv.find((a) => a.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const to = option(argv, 'to');
  const from = option(argv, 'from') ?? loadEnv({ REDIS_URL: 'redis://unused', ...process.env }).MONGODB_URI;
  const batchSize = Number(option(argv, 'batch') ?? 1000);
  if (!to || !/^mongodb(\+srv)?:\/\//.test(to) || !Number.isInteger(batchSize) || batchSize <= 0) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  if (sameStore(to, from)) {
    process.stderr.write('store:migrate: --to names the store it would copy from; give the new MongoDB\'s address\n');
    return 64;
  }
  const source = await connectMongo(from);
  const target = await connectMongo(to);
  try {
    const report = await migrateStore(source.db!, target.db!, { batchSize, log: (line) => process.stderr.write(`[store:migrate] ${line}\n`) });
    for (const c of report.collections) process.stdout.write(`${c.name}\tsource ${c.source}\ttarget ${c.target}\t${c.alreadyDone ? 'done before' : `copied ${c.copiedThisRun} now`}\n`);
    if (report.mismatched.length > 0) {
      process.stderr.write(`store:migrate: counts differ for ${report.mismatched.join(', ')}: was the service still writing? Stop it and run again.\n`);
      return 1;
    }
    process.stderr.write(`store:migrate: ${report.collections.length} collections copied and counted; point MONGODB_URI at ${to.replace(/\/\/[^@/]*@/, '//…@')} and start the service\n`);
    return 0;
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`store:migrate failed: ${error instanceof Error ? error.message : String(error)}\nRun it again to go on from the last checkpoint.\n`);
  process.exit(1);
});
