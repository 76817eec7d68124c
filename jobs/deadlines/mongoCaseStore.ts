import type { Connection } from 'mongoose';
import type { Case } from '../../src/cases';
import { CaseRepository } from '../../store/caseRepository';
import { DEADLINE_KEY_DETAIL, firedKeys } from './plan';
import type { DeadlineCaseStore, DeadlineEvent } from './ports';

/** Only these states carry running limits (see `liveSlots`); the sweeper pages through them. */
export const STATES_WITH_DEADLINES: readonly Case['state'][] = ['whistled', 'in_progress', 'awaiting_verification'];

export const DEADLINE_ACTOR = { actorId: 'system:deadlines', actorName: '时限督办', actorRole: 'system', channel: 'system' } as const;

/**
 * The deadline engine's view of the `cases` collection (store/models/case.ts). An alert is appended
 * through the case repository's version guard, the same one every lifecycle command passes, so an
 * alert and a tap racing on one case on FerretDB cannot overwrite each other: one wins, the other
 * re-reads. The worker only appends alerts it planned from that read, so a won append cannot repeat
 * a key already on the timeline.
 */
export class MongoDeadlineCaseStore implements DeadlineCaseStore {
  private readonly cases: CaseRepository;

  constructor(connection: Connection, cases: CaseRepository = new CaseRepository(connection)) {
    this.cases = cases;
  }

  async load(caseId: string): Promise<Case | null> {
    return (await this.cases.get(caseId)) ?? null;
  }

  async appendDeadlineEvent(read: Case, event: DeadlineEvent): Promise<boolean> {
    const key = event.details[DEADLINE_KEY_DETAIL];
    if (typeof key !== 'string') throw new Error(`a deadline event needs details.${DEADLINE_KEY_DETAIL}`);
    if (firedKeys(read).has(key)) return false;
    const entry = { type: event.type, at: event.at, ...DEADLINE_ACTOR, ...(event.deptCode !== undefined && { deptCode: event.deptCode }), details: event.details };
    return (await this.cases.appendEvents(read.id, read.version, [entry])).ok;
  }

  /** From the repository's open cases (its `_id`-keyed list once filed): proportional to the open cases, not the stored ones. */
  async *casesWithDeadlines(batchSize: number): AsyncGenerator<Case[]> {
    for await (const page of this.cases.openCases(batchSize)) {
      const withDeadlines = page.filter((c) => STATES_WITH_DEADLINES.includes(c.state));
      if (withDeadlines.length > 0) yield withDeadlines;
    }
  }
}
