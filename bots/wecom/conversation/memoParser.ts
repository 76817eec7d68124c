import type { ParseInput } from '../../../src/parser/types';
import type { ReportReading, ReportParser } from './ports';

/**
 * The parser behind a small least-recently-used memory: a draft is read by its card, its
 * corrections, its confirmation and its submission, and each reading of the same texts with the same
 * model is the same answer. The key holds the model's version, so a newly installed model is asked afresh.
 */
export function memoParser(parse: ReportParser, modelVersion: () => string, size = 512): ReportParser {
  const answers = new Map<string, ReportReading>();
  return (input: ParseInput) => {
    const key = `${modelVersion()}\u0000${JSON.stringify(input)}`;
    const known = answers.get(key);
    if (known) {
      answers.delete(key);
      answers.set(key, known);
      return known;
    }
    // Frozen: one answer is handed out many times, so nobody may change it in place.
    const answer = deepFreeze(parse(input));
    answers.set(key, answer);
    if (answers.size > size) answers.delete(answers.keys().next().value as string);
    return answer;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
