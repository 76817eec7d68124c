import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeReportText, parseReport } from '../../../src/parser';
import { evaluate, type LabelledMessage } from '../../../src/parser/evaluation';
import { CATEGORY_CODES, URGENCIES } from '../../../src/taxonomy';

function load(name: string): LabelledMessage[] {
  return readFileSync(join(__dirname, '../../fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledMessage);
}

describe('parser on the labelled set', () => {
  const rows = load('parser-messages.jsonl');
  const result = evaluate(rows, (text) => parseReport({ text }), normalizeReportText);

  it('has at least 300 messages covering every category and urgency', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(CATEGORY_CODES));
    expect(new Set(rows.map((r) => r.urgency))).toEqual(new Set(URGENCIES));
    for (const row of rows) {
      if (row.location !== null) expect(normalizeReportText(row.text)).toContain(normalizeReportText(row.location));
    }
  });

  it('meets the accuracy targets', () => {
    expect(result.categoryAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.urgencyAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.locationFound).toBeGreaterThanOrEqual(0.9);
  });

  it('always returns well-formed output', () => {
    for (const row of rows) {
      const parsed = parseReport({ text: row.text });
      expect(CATEGORY_CODES).toContain(parsed.category);
      expect(URGENCIES).toContain(parsed.urgency);
      expect(parsed.confidence).toBeGreaterThanOrEqual(0);
      expect(parsed.confidence).toBeLessThanOrEqual(1);
      expect(parsed.departments.length).toBeGreaterThan(0);
    }
  });
});
