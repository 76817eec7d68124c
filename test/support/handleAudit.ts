import { appendFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * With WHISTLEBOT_HANDLE_AUDIT=1, each test file's worker writes down the handles keeping it alive
 * (`process.getActiveResourcesInfo()`): once as the file starts, and every 2 s for 10 s after its
 * tests end. Handles that stay after a file's tests (and are there when the next file starts)
 * name the file that leaked what kept a Jest worker from exiting. Written to
 * test-artifacts/handle-audit/<worker pid>.jsonl; README's "leaked handles" says how to read it.
 */
if (process.env.WHISTLEBOT_HANDLE_AUDIT === '1') {
  const dir = join(__dirname, '../../test-artifacts/handle-audit');
  mkdirSync(dir, { recursive: true });
  const file = relative(join(__dirname, '../..'), expect.getState().testPath ?? 'unknown');
  const counts = (): Record<string, number> => {
    const result: Record<string, number> = {};
    for (const kind of process.getActiveResourcesInfo()) result[kind] = (result[kind] ?? 0) + 1;
    return result;
  };
  const note = (at: string) => appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify({ file, at, handles: counts() })}\n`);
  beforeAll(() => note('start'));
  // Hooks from this setup file run before the test file's own afterAll, so the look comes later.
  afterAll(() => {
    let looks = 0;
    const timer = setInterval(() => {
      note(`${2 * ++looks}s after`);
      if (looks === 5) clearInterval(timer);
    }, 2_000);
    timer.unref();
  });
}
