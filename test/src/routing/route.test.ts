import routingJson from '../../../config/routing.json';
import { ConfigError } from '../../../config/errors';
import { baseModel } from '../../../src/parser';
import { defaultRoutingTable, decidedDepartments, duplicateRule, parseRoutingTable, route, type RoutingInput } from '../../../src/routing';

const table = parseRoutingTable({
  ...routingJson,
  streetOverrides: { 's-east': { road: { lead: 'chengguan', assisting: ['zhujian'] } } },
});
const base: RoutingInput = { streetId: 's-west', source: 'grid', category: 'road', urgency: 'daily', confidence: 0.9 };

describe('routing', () => {
  test('the taxonomy lead whistles directly when the parser is confident', () => {
    expect(route(base, table)).toEqual({ kind: 'whistle', departments: ['zhujian'] });
  });

  test('category assisting departments and parser extras follow the lead, deduplicated', () => {
    expect(route({ ...base, category: 'gas', extraDepartments: ['xiaofang', 'ranqi', 'yingji', 'nonsense'] }, table)).toEqual({
      kind: 'whistle',
      departments: ['ranqi', 'yingji', 'xiaofang'],
    });
  });

  test('a street can change who leads a category', () => {
    expect(route({ ...base, streetId: 's-east' }, table)).toEqual({ kind: 'whistle', departments: ['chengguan', 'zhujian'] });
  });

  test('low confidence goes to the dispatcher with a suggestion', () => {
    const threshold = routingJson.confidenceThreshold;
    expect(route({ ...base, confidence: threshold - 0.01 }, table)).toEqual({ kind: 'triage', reason: 'low_confidence', suggested: ['zhujian'] });
    expect(route({ ...base, confidence: threshold }, table).kind).toBe('whistle');
  });

  test('no or unknown category, and "other", go to the dispatcher', () => {
    const { category: _omit, ...noCategory } = base;
    expect(route(noCategory, table)).toEqual({ kind: 'triage', reason: 'unknown_category', suggested: [] });
    expect(route({ ...base, category: 'weather' }, table).kind).toBe('triage');
    expect(route({ ...base, category: 'other' }, table)).toEqual({ kind: 'triage', reason: 'dispatcher_decides', suggested: ['shequ'] });
  });

  test('daily resident reports in community categories stay in the community', () => {
    expect(route({ ...base, source: 'resident', category: 'sanitation' }, table)).toEqual({ kind: 'community', suggested: ['chengguan'] });
    expect(route({ ...base, source: 'resident', category: 'sanitation', urgency: 'key' }, table).kind).toBe('whistle');
    expect(route({ ...base, source: 'grid', category: 'sanitation' }, table).kind).toBe('whistle');
    expect(route({ ...base, source: 'resident', category: 'road' }, table).kind).toBe('whistle');
  });

  test('the shipped table is valid; bad codes are named', () => {
    // Chosen by npm run parser:train on out-of-fold letters (the parser's confidence is calibrated): a
    // retrained base model comes with the threshold it was fitted for.
    expect(defaultRoutingTable().confidenceThreshold).toBe(baseModel().metrics['letters.autoThreshold']);
    expect(duplicateRule(defaultRoutingTable())).toEqual({ windowMs: 72 * 3_600_000, maxDistanceMeters: 50 });
    let problems: string[] = [];
    try {
      parseRoutingTable({ ...routingJson, categoryAssisting: { gas: ['fire_brigade'] } });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([expect.stringContaining('routing.categoryAssisting.gas.0')]);
  });
  it('names the departments of a decision, lead first, whatever its kind', () => {
    expect(decidedDepartments(route(base, table))).toEqual(['zhujian']);
    expect(decidedDepartments(route({ ...base, confidence: 0.3, extraDepartments: ['chengguan'] }, table))).toEqual(['zhujian', 'chengguan']);
    expect(decidedDepartments(route({ ...base, source: 'resident', category: 'sanitation' }, table))).toEqual(['chengguan']);
  });
});
