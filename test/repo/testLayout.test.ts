import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '../..');

/**
 * Folders whose tests follow a whole flow (e2e: through the composed app or a browser; faults: with
 * servers killed and restarted) or check the repository itself (repo), and the tests' own helpers
 * and data (support, fixtures). Every other test mirrors one source file.
 */
export const EXEMPT_FOLDERS = ['e2e', 'faults', 'repo', 'support', 'fixtures'];

const SOURCE_EXTENSIONS = ['.ts', '.js', '.cjs', '.json'];

/**
 * The source file a test mirrors: `test/X/Y.test.ts` → `X/Y.ts`; a source file with several test
 * files gives them a folder of its name, `test/X/Y/<aspect>.test.ts` → `X/Y.ts`.
 */
export function mirroredSource(testPath: string, exists: (path: string) => boolean = (path) => existsSync(join(ROOT, path))): string | undefined {
  const base = testPath.replace(/^test\//, '').replace(/\.test\.ts$/, '');
  for (const candidate of [base, dirname(base)]) {
    const found = SOURCE_EXTENSIONS.map((ext) => `${candidate}${ext}`).find(exists);
    if (found) return found;
  }
  return undefined;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('test layout (README, "Tests"): a test mirrors the source file it tests', () => {
  it('finds the mirrored file, directly or through a folder of its name, and nothing for a test of no file', () => {
    const sources = new Set(['src/cases/lifecycle.ts', 'store/caseRepository.ts', 'config/taxonomy.json']);
    const exists = (path: string) => sources.has(path);
    expect(mirroredSource('test/src/cases/lifecycle.test.ts', exists)).toBe('src/cases/lifecycle.ts');
    expect(mirroredSource('test/store/caseRepository/contract.test.ts', exists)).toBe('store/caseRepository.ts');
    expect(mirroredSource('test/config/taxonomy.test.ts', exists)).toBe('config/taxonomy.json');
    expect(mirroredSource('test/src/cases/closing.test.ts', exists)).toBeUndefined();
    expect(mirroredSource('test/src/cases/lifecycle/x/deep.test.ts', exists)).toBeUndefined();
  });

  it('every test outside e2e/, faults/, repo/, support/ and fixtures/ mirrors a source file', () => {
    const stray = testFiles(join(ROOT, 'test'))
      .filter((path) => !EXEMPT_FOLDERS.some((folder) => path.startsWith(`test/${folder}/`)))
      .filter((path) => mirroredSource(path) === undefined);
    expect(stray).toEqual([]);
  });
});
