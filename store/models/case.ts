import { Schema, type Connection, type Model } from 'mongoose';
import type { Assignment, Case } from '../../src/cases/types';
import type { AssignmentFigures } from '../../src/stats/figures';

/** An assignment as stored: with the figures the statistics `$group` sums (kept on every write). */
export interface StoredAssignment extends Assignment {
  figures: AssignmentFigures;
}

export interface CaseDoc extends Omit<Case, 'id' | 'assignments'> {
  _id: string;
  assignments: StoredAssignment[];
}

const media = new Schema({ kind: { type: String, required: true }, ref: { type: String, required: true } }, { _id: false });

const extension = new Schema(
  {
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    reason: { type: String, required: true },
    requestedDueAt: { type: Date, required: true },
    decision: { type: String, enum: ['approved', 'rejected'] },
    decidedBy: String,
    decidedAt: Date,
    decisionNote: String,
  },
  { _id: false },
);

const figureFields = ['received', 'accepted', 'acceptedOnTime', 'returned', 'done', 'doneOnTime', 'closed', 'solved', 'rated', 'satisfied', 'acceptMs', 'finishMs', 'whistleRated', 'whistleReasonable', 'streetRated', 'streetSatisfied'] as const;
const figures = new Schema(Object.fromEntries(figureFields.map((f) => [f, { type: Number, required: true }])), { _id: false });

const assignment = new Schema(
  {
    deptCode: { type: String, required: true },
    role: { type: String, enum: ['lead', 'assisting'], required: true },
    state: { type: String, enum: ['pending', 'accepted', 'returned', 'done', 'withdrawn'], required: true },
    whistledAt: { type: Date, required: true },
    acceptDueAt: Date,
    finishDueAt: Date,
    acceptedBy: String,
    acceptedByName: String,
    acceptedAt: Date,
    doneAt: Date,
    resultText: String,
    resultMedia: { type: [media], default: [] },
    returnReason: String,
    returnedAt: Date,
    reopenCount: { type: Number, required: true, default: 0 },
    extensions: { type: [extension], default: [] },
    whistleRating: { type: new Schema({ reasonable: Boolean, by: String, at: Date, comment: String }, { _id: false }), default: undefined },
    streetRating: { type: new Schema({ value: { type: String, enum: ['satisfied', 'basically', 'dissatisfied'] }, by: String, at: Date, comment: String }, { _id: false }), default: undefined },
    figures: { type: figures, required: true },
  },
  { _id: false },
);

const timelineEvent = new Schema(
  {
    type: { type: String, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    actorName: String,
    actorRole: { type: String, required: true },
    channel: { type: String, enum: ['wecom', 'mp', 'hotline', 'open311', 'system', 'sandbox', 'console'], required: true },
    deptCode: String,
    commandId: String,
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { _id: false, minimize: false },
);

const caseSchema = new Schema<CaseDoc>(
  {
    _id: { type: String, required: true },
    number: { type: String, required: true },
    districtId: { type: String, required: true },
    streetId: { type: String, required: true },
    communityId: String,
    gridId: String,
    source: { type: String, enum: ['grid', 'resident', 'hotline', 'open311', 'dispatcher'], required: true },
    reporter: { type: new Schema({ userId: String, openid: String, name: String }, { _id: false }), required: true },
    text: { type: String, required: true },
    media: { type: [media], default: [] },
    parsed: {
      type: new Schema(
        {
          category: String,
          urgency: { type: String, enum: ['emergency', 'key', 'daily'], required: true },
          locationText: String,
          locationKey: String,
          lat: Number,
          lng: Number,
          confidence: { type: Number, required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    level: { type: String, enum: ['community', 'street'], required: true },
    state: { type: String, required: true },
    assignments: { type: [assignment], default: [] },
    counters: {
      type: new Schema({ returns: Number, reopenings: Number, extensions: Number }, { _id: false }),
      required: true,
    },
    verifyDueAt: Date,
    verification: { type: new Schema({ resolution: String, by: String, at: Date, note: String }, { _id: false }), default: undefined },
    satisfaction: { type: new Schema({ value: String, by: String, at: Date, comment: String }, { _id: false }), default: undefined },
    mergedInto: String,
    mergedDuplicates: { type: [String], default: [] },
    routedDepartments: { type: [String], default: undefined },
    cancelReason: String,
    hardCase: { type: new Schema({ by: String, at: Date, reason: String, resolvedAt: Date }, { _id: false }), default: undefined },
    reporterRelease: { type: new Schema({ by: String, at: Date, reason: String }, { _id: false }), default: undefined },
    districtEscalation: { type: new Schema({ by: String, at: Date, reason: String }, { _id: false }), default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    closedAt: Date,
    version: { type: Number, required: true },
    timeline: { type: [timelineEvent], default: [] },
  },
  { versionKey: false, collection: 'cases', minimize: false },
);

caseSchema.index({ districtId: 1, number: 1 }, { unique: true });
caseSchema.index({ state: 1 });
caseSchema.index({ streetId: 1, state: 1 });
caseSchema.index({ 'reporter.userId': 1 });
caseSchema.index({ 'reporter.openid': 1 });
caseSchema.index({ districtId: 1, 'parsed.category': 1, 'parsed.locationKey': 1, createdAt: -1 });
caseSchema.index({ 'parsed.lat': 1, 'parsed.lng': 1 });
caseSchema.index({ 'assignments.deptCode': 1, state: 1 });

export function caseModel(connection: Connection): Model<CaseDoc> {
  return (connection.models.Case as Model<CaseDoc> | undefined) ?? connection.model<CaseDoc>('Case', caseSchema);
}

/**
 * One row per case version, inserted before the case update that creates that version. The unique
 * `_id` (`<caseId>:<version>`) lets exactly one writer move a case from version N to N+1 even on
 * FerretDB v1, whose conditional updates are not atomic (it reads, then writes). Also a journal.
 */
export interface CaseTransitionDoc {
  _id: string;
  caseId: string;
  version: number;
  /** Who claimed it: a writer checks it is still the holder right before its update. */
  holder?: string;
  claimedAt: Date;
  eventTypes: string[];
}

const caseTransitionSchema = new Schema<CaseTransitionDoc>(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    holder: { type: String },
    claimedAt: { type: Date, required: true },
    eventTypes: { type: [String], default: [] },
  },
  { versionKey: false, collection: 'case_transitions' },
);

export function caseTransitionModel(connection: Connection): Model<CaseTransitionDoc> {
  return (
    (connection.models.CaseTransition as Model<CaseTransitionDoc> | undefined) ??
    connection.model<CaseTransitionDoc>('CaseTransition', caseTransitionSchema)
  );
}
