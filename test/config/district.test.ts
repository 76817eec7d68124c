import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../config';
import { loadDistrictSeed } from '../../config/district';

function writeSeed(seed: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'seed-')), 'district.json');
  writeFileSync(file, JSON.stringify(seed));
  return file;
}

describe('district seed file', () => {
  const demo = join(__dirname, '../../config/district.demo.json');

  it('loads the shipped demo district', () => {
    const seed = loadDistrictSeed(demo);
    expect(seed.streets[0]!.communities.length).toBeGreaterThan(1);
    expect(seed.departments).toHaveLength(17);
  });

  it('names the file and the bad key when a user points at an unknown grid or department', () => {
    const seed = loadDistrictSeed(demo);
    seed.users[0] = { ...seed.users[0]!, deptCode: 'nonexistent' };
    seed.users.push({ userId: 'ghost', name: '幽灵', roles: ['grid_member'], gridId: 'no-such-grid' });
    const file = writeSeed(seed);
    try {
      loadDistrictSeed(file);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      expect(text).toContain(`${file}: users.0.deptCode department "nonexistent" is not listed in departments`);
      expect(text).toContain('gridId unknown grid "no-such-grid"');
    }
  });

  it('explains a file that is not JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'seed-')), 'broken.json');
    writeFileSync(file, '{ not json');
    expect(() => loadDistrictSeed(file)).toThrow(/DISTRICT_CONFIG .*broken.json cannot be read as JSON/);
  });
});
