import type { Connection, Model } from 'mongoose';
import type { Case } from '../../src/cases';
import { caseFromDoc } from '../../store/caseMapping';
import { CaseRepository } from '../../store/caseRepository';
import { caseModel, type CaseDoc } from '../../store/models/case';
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
  private readonly model: Model<CaseDoc>;
  private readonly cases: CaseRepository;

  constructor(connection: Connection, cases: CaseRepository = new CaseRepository(connection)) {
    this.model = caseModel(connection);
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

  async *casesWithDeadlines(batchSize: number): AsyncGenerator<Case[]> {
    const cursor = this.model.find({ state: { $in: [...STATES_WITH_DEADLINES] } }).lean<CaseDoc>().cursor({ batchSize });
    let page: Case[] = [];
    for await (const doc of cursor) {
      page.push(caseFromDoc(doc));
      if (page.length >= batchSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
}
