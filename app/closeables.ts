import type { Logger } from '../infra/logger';

/** Something the runtime must close on shutdown, in reverse order of opening. */
export interface Closeable {
  name: string;
  close(): Promise<void>;
}

/** Closes everything (last opened first), each step bounded by what is left of `timeoutMs`. */
export async function closeAll(items: Closeable[], timeoutMs: number, logger: Logger): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let clean = true;
  for (const item of [...items].reverse()) {
    const left = deadline - Date.now();
    if (left <= 0) {
      logger.error({ step: item.name }, 'shutdown time is up; skipping the remaining steps');
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      item.close().then(() => true, (error: unknown) => {
        logger.warn({ step: item.name, err: (error as Error).message }, 'shutdown step failed');
        return true;
      }),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), left);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) {
      logger.error({ step: item.name }, 'shutdown step did not finish in time');
      clean = false;
    }
  }
  return clean;
}
