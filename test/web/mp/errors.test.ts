import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MP_ERROR_CODES, MP_ERRORS } from '../../../web/mp/errors';
import { OPERATIONS } from '../../../web/mp/openapi';

describe('mini-program errors in docs/mp-api.md', () => {
  it('docs/mp-api.md lists every error code with its status and message, and every route', () => {
    const guide = readFileSync(join(__dirname, '../../../docs/mp-api.md'), 'utf8');
    for (const code of MP_ERROR_CODES) {
      expect(guide).toContain(`| ${MP_ERRORS[code].status} | \`${code}\` | ${MP_ERRORS[code].message} |`);
    }
    for (const op of OPERATIONS) expect(guide).toContain(op.path.replace('{key}', ''));
  });
});
