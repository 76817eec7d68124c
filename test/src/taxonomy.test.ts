import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY_CODES, DEPARTMENT_CODES, category, isDepartmentCode, taxonomy } from '../../src/taxonomy';

describe('taxonomy', () => {
  const shared = join(__dirname, '../../../shared/taxonomy.json');

  (existsSync(shared) ? it : it.skip)('equals ../shared/taxonomy.json, the source every part shares', () => {
    expect(taxonomy).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
  });

  it('gives every category a lead department that exists', () => {
    for (const code of CATEGORY_CODES) expect(isDepartmentCode(category(code).lead)).toBe(true);
    expect(DEPARTMENT_CODES).toContain('shequ');
  });
});
