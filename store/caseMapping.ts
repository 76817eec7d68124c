import type { Case } from '../src/cases/types';
import { assignmentFigures, type Elapsed } from '../src/stats/figures';
import type { CaseDoc } from './models/case';

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Drops undefined members at every depth, so optional fields are absent (the driver would store null). */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (!isPlainObject(value)) return value;
  const out: Plain = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = withoutUndefined(member);
  return out as T;
}

export function caseToDoc(c: Case, elapsed?: Elapsed): CaseDoc {
  const { id, assignments, ...rest } = c;
  return withoutUndefined({
    _id: id,
    ...rest,
    assignments: assignments.map((a) => ({ ...a, figures: assignmentFigures(c, a, elapsed) })),
  });
}

export function caseFromDoc(doc: CaseDoc): Case {
  const { _id, assignments, ...rest } = withoutUndefined(doc);
  return {
    id: _id,
    ...rest,
    assignments: assignments.map(({ figures: _figures, ...a }) => a),
  };
}

/** Top-level fields a transition may change; `timeline` and `version` are pushed and incremented instead. */
export const MUTABLE_CASE_FIELDS = [
  'communityId', 'gridId', 'reporter', 'text', 'media', 'parsed', 'level', 'state', 'assignments', 'counters',
  'verifyDueAt', 'verification', 'satisfaction', 'mergedInto', 'mergedDuplicates', 'cancelReason', 'hardCase', 'reporterRelease', 'districtEscalation', 'updatedAt', 'closedAt',
] as const satisfies readonly (keyof CaseDoc)[];
