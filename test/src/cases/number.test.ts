import { caseCounterId, formatCaseNumber, parseCaseNumber } from '../../../src/cases';

describe('case numbers', () => {
  test('format and parse', () => {
    expect(formatCaseNumber(2026, 123)).toBe('2026-000123');
    expect(formatCaseNumber(2026, 1234567)).toBe('2026-1234567');
    expect(parseCaseNumber(' 2026-000123 ')).toEqual({ year: 2026, sequence: 123 });
    expect(parseCaseNumber('2026-123')).toBeUndefined();
    expect(parseCaseNumber('2026-000000')).toBeUndefined();
    expect(() => formatCaseNumber(2026, 0)).toThrow(RangeError);
    expect(caseCounterId('d1', 2026)).toBe('case:d1:2026');
  });
});
