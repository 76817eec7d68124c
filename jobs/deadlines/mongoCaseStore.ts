import type { Connection, Model } from 'mongoose';
import type { Case } from '../../src/cases';
import { caseModel, type CaseDoc } from '../../store/models/case';
import { DEADLINE_KEY_DETAIL } from './plan';
import type { DeadlineCaseStore, DeadlineEvent } from './ports';

/** Only these states carry running limits (see `liveSlots`); the sweeper pages through them. */
export const STATES_WITH_DEADLINES: readonly Case['state'][] = ['whistled', 'in_progress', 'awaiting_verification'];

export const DEADLINE_ACTOR = { actorId: 'system:deadlines', actorName: '时限督办', actorRole: 'system', channel: 'system' } as const;

function toCase(doc: CaseDoc): Case {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id };
}

/**
 * The deadline engine's view of the `cases` collection (store/models/case.ts). Appending an alert
 * is one conditional update on `{_id, version, key not yet there}`, so it happens once even when
 * two workers race. Works on FerretDB v1: a filter on an array-of-documents path, `$push`, `$inc`.
 */
export class MongoDeadlineCaseStore implements DeadlineCaseStore {
  private readonly model: Model<CaseDoc>;

  constructor(connection: Connection) {
    this.model = caseModel(connection);
  }

  async load(caseId: string): Promise<Case | null> {
    const doc = await this.model.findById(caseId).lean<CaseDoc>().exec();
    return doc ? toCase(doc) : null;
  }

  async appendDeadlineEvent(read: Case, event: DeadlineEvent): Promise<boolean> {
    const key = event.details[DEADLINE_KEY_DETAIL];
    if (typeof key !== 'string') throw new Error(`a deadline event needs details.${DEADLINE_KEY_DETAIL}`);
    const entry = { type: event.type, at: event.at, ...DEADLINE_ACTOR, ...(event.deptCode !== undefined && { deptCode: event.deptCode }), details: event.details };
    const result = await this.model.collection.updateOne(
      { _id: read.id, version: read.version, [`timeline.details.${DEADLINE_KEY_DETAIL}`]: { $ne: key } } as Record<string, unknown>,
      { $push: { timeline: entry }, $inc: { version: 1 } } as Record<string, unknown>,
    );
    return result.modifiedCount === 1;
  }

  async openCasesAfter(afterId: string | undefined, limit: number): Promise<Case[]> {
    const filter = { state: { $in: [...STATES_WITH_DEADLINES] }, ...(afterId !== undefined && { _id: { $gt: afterId } }) };
    const docs = await this.model.find(filter).sort({ _id: 1 }).limit(limit).lean<CaseDoc[]>().exec();
    return docs.map(toCase);
  }
}
