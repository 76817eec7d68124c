import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnv } from '../../config';
import { loadDirectoryMapping } from '../../config/directory';
import { loadDistrictSeed } from '../../config/district';

const seed = loadDistrictSeed(join(__dirname, '../../config/district.demo.json'));

function writeMapping(mapping: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'directory-')), 'directory.json');
  writeFileSync(file, typeof mapping === 'string' ? mapping : JSON.stringify(mapping));
  return file;
}

/** The problems a mapping file is refused with, one string. */
function refusal(mapping: unknown): string {
  const file = writeMapping(mapping);
  try {
    loadDirectoryMapping(file, seed);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n').replaceAll(file, '<file>');
  }
  throw new Error('expected the mapping to be refused');
}

describe('directory mapping (DIRECTORY_CONFIG)', () => {
  it('loads the shipped demo mapping, with defaults', () => {
    const mapping = loadDirectoryMapping(join(__dirname, '../../config/directory.demo.json'), seed);
    expect(mapping.entries).toHaveLength(26);
    expect(mapping).toMatchObject({ followNames: true, maxRemovedShare: 0.3, users: { 'district-admin': { roles: ['admin'] } } });
  });

  it('refuses a unit DISTRICT_CONFIG does not have, naming the entry and what to do', () => {
    expect(refusal({ entries: [{ wecom: { id: 5 }, community: 'atlantis' }, { wecom: { id: 6 }, department: 'nasa' }] })).toBe(
      [
        '<file>: entries.0.community "atlantis" is not a community of DISTRICT_CONFIG (demo-district); add it there or fix the id',
        '<file>: entries.1.department "nasa" is not a department of DISTRICT_CONFIG (demo-district); add it there or fix the id',
      ].join('\n'),
    );
  });

  it('refuses an entry naming two units, or none and no roles', () => {
    expect(refusal({ entries: [{ wecom: { id: 5 }, street: 'wenming', grid: 'nongji-1' }] })).toContain('<file>: entries.0 names street and grid: an entry maps to one unit at most');
    expect(refusal({ entries: [{ wecom: { id: 5 } }] })).toContain('<file>: entries.0.roles is required when the entry names no department, street, community or grid');
  });

  it('refuses a WeChat Work reference that is neither an id nor a name, and one mapped twice', () => {
    expect(refusal({ entries: [{ wecom: { id: -3 }, street: 'wenming' }] })).toContain('entries.0.wecom');
    expect(refusal({ entries: [{ wecom: { id: 3, name: '文明街道' }, street: 'wenming' }] })).toContain('<file>: entries.0.wecom must be {"id": <WeChat Work department id>} or {"name": "<exact department name>"}');
    expect(refusal({ entries: [{ wecom: { name: '文明街道' }, street: 'wenming' }, { wecom: { name: '文明街道' }, community: 'nongji' }] })).toContain(
      '<file>: entries.1.wecom WeChat Work department name "文明街道" is already mapped by entries.0',
    );
  });

  it('refuses unknown roles, unknown keys, bad userids, a share out of range, and an empty mapping', () => {
    expect(refusal({ entries: [{ wecom: { id: 5 }, street: 'wenming', roles: ['emperor'] }] })).toContain('<file>: entries.0.roles.0');
    expect(refusal({ entries: [{ wecom: { id: 5 }, street: 'wenming', colour: 'red' }] })).toMatch(/entries\.0 .*colour/);
    expect(refusal({ entries: [{ wecom: { id: 5 }, street: 'wenming' }], users: { '张 三': { roles: ['admin'] } } })).toContain('userids use letters, digits and _ . @ - (at most 64)');
    expect(refusal({ entries: [{ wecom: { id: 5 }, street: 'wenming' }], maxRemovedShare: 2 })).toContain('<file>: maxRemovedShare');
    expect(refusal({ entries: [] })).toContain('<file>: entries must map at least one WeChat Work department');
  });

  it('explains a file that is not JSON', () => {
    expect(() => loadDirectoryMapping(writeMapping('{ nope'), seed)).toThrow(/DIRECTORY_CONFIG .*directory.json cannot be read as JSON/);
  });

  it('the directory secret needs a corp, and the resync schedule must be a cron pattern', () => {
    const base = { MONGODB_URI: 'mongodb://127.0.0.1/x', REDIS_URL: 'redis://127.0.0.1' };
    expect(() => loadEnv({ ...base, WECOM_DIRECTORY_SECRET: 's' })).toThrow(/WECOM_CORP_ID is required when WECOM_DIRECTORY_SECRET is set/);
    expect(() => loadEnv({ ...base, DIRECTORY_SYNC_CRON: 'nightly' })).toThrow(/DIRECTORY_SYNC_CRON must be a five-field cron pattern/);
    expect(loadEnv(base)).toMatchObject({ DIRECTORY_SYNC_CRON: '30 2 * * *', DIRECTORY_SYNC_TZ: 'Asia/Shanghai' });
  });
});
