import { rmSync } from 'node:fs';
import { stopPid } from '../../scripts/services/process';

/** Stops the servers globalSetup started and removes their data, so a test run leaves nothing behind. */
export default async function globalTeardown(): Promise<void> {
  const pids = (process.env.WHISTLEBOT_TEST_PIDS ?? '').split(',').filter(Boolean).map(Number);
  await Promise.all(pids.map((pid) => stopPid(pid)));
  const dataDir = process.env.WHISTLEBOT_TEST_DATA_DIR;
  if (dataDir && pids.length > 0) rmSync(dataDir, { recursive: true, force: true });
}
