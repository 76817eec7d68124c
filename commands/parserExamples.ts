import type { Case, TimelineEvent } from '../src/cases';
import type { StreetExample } from '../src/parser/learned/district';
import type { CaseChangeSubscriber } from './caseSubscribers';

/** One correction of the parser, as the retraining reads it (see store/parserLearningRepository.ts). */
export interface ParserCorrection extends StreetExample {
  districtId: string;
  caseId: string;
  kind: 'reporter_correction' | 'triage' | 'return' | 'reassignment';
  at: Date;
}

export interface ParserExampleSink {
  /** Keeps the correction once per id; false when it was already kept. */
  recordExample(id: string, example: ParserCorrection): Promise<boolean>;
}

const PEOPLE_WHO_TRIAGE: readonly string[] = ['dispatcher', 'leader'];

function correctionsOf(before: Case | null, after: Case, event: TimelineEvent): Array<[string, ParserCorrection]> {
  const base = { districtId: after.districtId, caseId: after.id, text: after.text, at: event.at, ...(after.parsed.category !== undefined && { parsedCategory: after.parsed.category }) };
  const stamp = `${after.id}:${event.at.getTime()}`;
  if (event.type === 'whistled' && PEOPLE_WHO_TRIAGE.includes(event.actorRole)) {
    const lead = event.details.lead;
    if (typeof lead !== 'string' || lead === '') return [];
    const reassigned = (before ?? after).assignments.some((a) => a.state === 'returned');
    const kind = reassigned ? 'reassignment' : 'triage';
    return [[`${stamp}:${kind}:${lead}`, { ...base, kind, department: lead }]];
  }
  if (event.type === 'returned' && event.deptCode && event.details.role === 'lead') {
    return [[`${stamp}:return:${event.deptCode}`, { ...base, kind: 'return', rejectedDepartment: event.deptCode }]];
  }
  return [];
}

/**
 * Keeps every dispatcher correction of a case as a labelled example: the triage pick (the lead the
 * dispatcher chose), a reassignment after a return, and the lead department's 退回 ("not ours").
 */
export function parserExampleRecorder(sink: ParserExampleSink): CaseChangeSubscriber {
  return async ({ before, after, events }) => {
    for (const event of events) {
      for (const [id, correction] of correctionsOf(before, after, event)) await sink.recordExample(id, correction);
    }
  };
}

/** The reporter changed the category on the confirmation card (修改类别) before submitting. */
export function reporterCorrection(c: Case, parserCategory: string, at: Date): [string, ParserCorrection] | null {
  const chosen = c.parsed.category;
  if (chosen === undefined || chosen === parserCategory) return null;
  return [
    `${c.id}:reporter_correction`,
    { districtId: c.districtId, caseId: c.id, kind: 'reporter_correction', text: c.text, parsedCategory: parserCategory, category: chosen, at },
  ];
}
