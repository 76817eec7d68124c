import { stopRecordedServices } from './ensure';
import { servicesDir } from './dirs';

/** `npm run services:stop`: stops the Redis and FerretDB that `npm start` started (recorded in .data/services). */
async function stop(): Promise<void> {
  const dir = servicesDir();
  const stopped = await stopRecordedServices(dir);
  if (stopped.length === 0) {
    process.stderr.write(`no local services recorded in ${dir} are running; nothing to stop\n`);
    return;
  }
  const names = { redis: 'redis-server', mongo: 'FerretDB' } as const;
  process.stderr.write(`stopped ${stopped.map(({ service, pid }) => `${names[service]} (pid ${pid})`).join(' and ')}\n`);
}

stop().catch((error: unknown) => {
  process.stderr.write(`services:stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
