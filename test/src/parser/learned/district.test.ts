import { createParser, defaultVocab, baseModel } from '../../../../src/parser';
import { categoryTaught, retrainDistrictModel, type StreetExample } from '../../../../src/parser/learned/district';
import type { ParserModelData } from '../../../../src/parser/learned/model';
import { CATEGORY_CODES } from '../../../../src/taxonomy';

const rules = createParser(defaultVocab);
const normalize = (text: string): string => rules.normalize(text);
const verdict = (text: string) => {
  const parsed = rules.parseReport({ text });
  return { category: parsed.category, confidence: parsed.evidence.category.length > 0 ? parsed.confidence : 0 };
};
const baseRows = defaultVocab.examples.slice(0, 60).map((e) => ({ text: normalize(e.text), category: e.category, group: 'grid' }));
const corrections: StreetExample[] = Array.from({ length: 20 }, (_, i) => ({
  kind: 'reporter_correction',
  text: `${i + 1}号楼的共享充电桩一直滋滋响还发烫`,
  parsedCategory: 'noise',
  category: 'power',
}));

describe('retraining a district model from street corrections', () => {
  it('reads the category a correction teaches', () => {
    const ranked = () => ['road', 'street_light', 'sanitation'];
    expect(categoryTaught({ kind: 'reporter_correction', text: 't', category: 'gas' }, ranked)).toBe('gas');
    expect(categoryTaught({ kind: 'triage', text: 't', parsedCategory: 'road', department: 'zhujian' }, ranked)).toBe('road');
    // 城管局 leads several categories: the one the parser ranks highest among them.
    expect(categoryTaught({ kind: 'triage', text: 't', parsedCategory: 'road', department: 'chengguan' }, ranked)).toBe('street_light');
    expect(categoryTaught({ kind: 'reassignment', text: 't', department: 'shequ' }, ranked)).toBe('other');
    expect(categoryTaught({ kind: 'return', text: 't', rejectedDepartment: 'zhujian' }, ranked)).toBeNull();
  });

  it('refuses to train without corrections to hold back', () => {
    const result = retrainDistrictModel({
      current: baseModel(), baseRows, examples: corrections.slice(0, 1), normalize, rules: verdict, labels: CATEGORY_CODES,
      categoryWith: () => () => 'power', ranked: () => [], version: 'd-1', now: new Date(), folds: 2,
    });
    expect(result.accepted).toBe(false);
    expect(result.model).toBeNull();
    expect(result.reason).toMatch(/too few corrections/);
  });

  it('refuses a retrained model that scores worse on held-back corrections than the current one', () => {
    const result = retrainDistrictModel({
      current: baseModel(), baseRows, examples: corrections, normalize, rules: verdict, labels: CATEGORY_CODES,
      // The current model gets every held-back correction right, any new one gets them wrong.
      categoryWith: (model: ParserModelData) => () => (model === baseModel() ? 'power' : 'noise'),
      ranked: () => [], version: 'd-2', now: new Date(), folds: 2,
    });
    expect(result.heldBack).toBeGreaterThan(0);
    expect(result).toMatchObject({ accepted: false, model: null, currentScore: 1, newScore: 0 });
    expect(result.reason).toMatch(/worse than the current model/);
  });

  it('accepts a model that learned the corrections, and it answers them', () => {
    const result = retrainDistrictModel({
      current: baseModel(), baseRows, examples: corrections, normalize, rules: verdict, labels: CATEGORY_CODES,
      categoryWith: (model) => {
        const parser = createParser(defaultVocab, model);
        return (text) => parser.parseReport({ text }).category;
      },
      ranked: () => [], version: 'd-3', now: new Date(), folds: 2,
    });
    expect(result.accepted).toBe(true);
    expect(result.model?.version).toBe('d-3');
    expect(result.newScore).toBeGreaterThanOrEqual(result.currentScore);
    expect(result.newScore).toBe(1);
    // The data set's coarse labels stay answered as the base model answers them.
    expect(result.model?.coarseAnswer).toEqual(baseModel().coarseAnswer);
  });
});
