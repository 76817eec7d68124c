import { Session } from 'node:inspector/promises';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(__dirname, '../..');
/** What a walk counts: the service's own code, not its tests, fakes, benches or packages. */
const NOT_SERVICE_CODE = /^(test|fakes|bench|node_modules)\//;

interface FunctionCoverage {
  functionName: string;
  ranges: { count: number }[];
}
interface ScriptCoverage {
  url: string;
  functions: FunctionCoverage[];
}

function repoPathOf(url: string): string | undefined {
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  if (!path.startsWith(REPO_ROOT + sep)) return undefined;
  const repoPath = relative(REPO_ROOT, path).split(sep).join('/');
  return NOT_SERVICE_CODE.test(repoPath) || !repoPath.endsWith('.ts') ? undefined : repoPath;
}

/**
 * Which of the service's files run between `start()` and `filesRun()`, read from V8's precise
 * coverage in this process (what the inspector counts, not what a reader guesses). Each `filesRun()`
 * resets the counts, so consecutive calls measure consecutive stretches.
 */
export class CodeWalk {
  private constructor(private readonly session: Session) {}

  static async start(): Promise<CodeWalk> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    const walk = new CodeWalk(session);
    await walk.filesRun();
    return walk;
  }

  /** The repository paths of the service files any function of which ran since the last call, sorted. */
  async filesRun(): Promise<string[]> {
    const { result } = (await this.session.post('Profiler.takePreciseCoverage')) as { result: ScriptCoverage[] };
    const files = new Set<string>();
    for (const script of result) {
      const path = repoPathOf(script.url);
      if (path !== undefined && script.functions.some((f) => (f.ranges[0]?.count ?? 0) > 0)) files.add(path);
    }
    return [...files].sort();
  }

  async stop(): Promise<void> {
    await this.session.post('Profiler.stopPreciseCoverage');
    await this.session.post('Profiler.disable');
    this.session.disconnect();
  }
}
