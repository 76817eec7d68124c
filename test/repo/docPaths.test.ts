import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const REPO_PATH = /`((?:app|bots|commands|config|fakes|infra|jobs|scripts|src|store|test|web|bench|docs)\/[\w/.-]*)`/g;

/** A path a document names in backticks must be there: moved code takes its documentation along. */
describe.each(['docs/ARCHITECTURE.md', 'README.md'])('%s', (doc) => {
  it('names only files and folders that exist', () => {
    const named = [...readFileSync(join(ROOT, doc), 'utf8').matchAll(REPO_PATH)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
