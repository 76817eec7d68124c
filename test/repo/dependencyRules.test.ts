import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const bin = join(__dirname, '../../node_modules/.bin/depcruise');

/** The dependency checker `npm test` runs (npm run deps:check) refuses what the rules forbid. */
test('a domain module importing the store, and a channel importing another, fail the check with the rule named', () => {
  const fixture = join(__dirname, '../fixtures/deps');
  const run = spawnSync(bin, ['src', 'store', 'bots', 'web', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: fixture, encoding: 'utf8' });
  expect(run.status).not.toBe(0);
  const output = run.stdout.replace(/\u001b\[[0-9;]*m/g, '');
  expect(output).toContain('domain-is-pure: src/rule.js → store/db.js');
  expect(output).toContain('channels-do-not-import-each-other: bots/card.js → web/route.js');
});

