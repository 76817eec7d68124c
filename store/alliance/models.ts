import { Schema, type Connection, type Model } from 'mongoose';
import type { Activity, Correction, ListItem, Participant, Signup } from '../../src/alliance/types';
import type { RewardExchange } from '../../src/alliance/yearlyFigures';

/**
 * The alliance's collections. FerretDB v1 has no transactions and its conditional updates are not
 * atomic, so every "only once" (a sign-up, a seat, a check-in, a correction number, an exchange
 * number) is the insert of a document whose `_id` is the thing that may exist once; documents are
 * then read and written by `_id`.
 */
export type ParticipantDoc = Omit<Participant, 'id'> & { _id: string; registeredAt: Date; registeredBy: string };
/** `wecom:<userid>` or `resident:<residentId>` → the participant, so a tap finds its participant by `_id`. */
export interface ParticipantKeyDoc {
  _id: string;
  participantId: string;
}
export type ListItemDoc = Omit<ListItem, 'id'> & { _id: string };
export type ActivityDoc = Omit<Activity, 'id'> & { _id: string; year: number };
/** `_id` is `<activityId>:<participantId>`: a second sign-up is a duplicate key. */
export type SignupDoc = Signup & { _id: string; year: number; waitSlot?: number };
/** Seats (`seat:<activity>:<n>`), waiting places (`wait:<activity>:<n>`), holds and one-time steps (`in:`, `out:`, `confirm:`…). */
export interface ClaimDoc {
  _id: string;
  participantId: string;
  at: Date;
}
export type ExchangeDoc = Omit<RewardExchange, 'id'> & { _id: string };

const options = { versionKey: false as const, _id: false as const };
const skills = { type: [String], default: [] };

const participantSchema = new Schema<ParticipantDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    name: { type: String, required: true },
    wecomUserId: String,
    residentId: String,
    orgId: String,
    homeOrganisation: String,
    streetId: String,
    communityId: String,
    gridId: String,
    skills,
    registeredAt: { type: Date, required: true },
    registeredBy: { type: String, required: true },
  },
  { versionKey: false, collection: 'alliance_participants' },
);

const keySchema = new Schema<ParticipantKeyDoc>({ _id: { type: String, required: true }, participantId: { type: String, required: true } }, { versionKey: false, collection: 'alliance_participant_keys' });

const listItemSchema = new Schema<ListItemDoc>(
  {
    _id: { type: String, required: true },
    list: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    ownerId: { type: String, required: true },
    communityId: String,
    skills,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'alliance_list_items' },
);
listItemSchema.index({ list: 1 });

const activitySchema = new Schema<ActivityDoc>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    organiser: new Schema({ level: { type: String, required: true }, id: { type: String, required: true }, userId: { type: String, required: true } }, options),
    kind: { type: String, required: true },
    venue: new Schema({ name: String, latitude: Number, longitude: Number, radiusMeters: Number }, options),
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    capacity: { type: Number, required: true },
    waitlistCapacity: { type: Number, required: true },
    skills,
    targetKinds: { type: [String], default: [] },
    targetIds: { type: [String], default: [] },
    listItemId: String,
    postedAt: { type: Date, required: true },
    revision: Number,
    cancelledAt: Date,
    cancelledBy: String,
    cancelReason: String,
    year: { type: Number, required: true },
  },
  { versionKey: false, collection: 'alliance_activities' },
);
activitySchema.index({ year: 1 });

const correctionSchema = new Schema<Correction>({ hours: Number, reason: String, by: String, at: Date }, options);

const signupSchema = new Schema<SignupDoc>(
  {
    _id: { type: String, required: true },
    activityId: { type: String, required: true },
    participantId: { type: String, required: true },
    year: { type: Number, required: true },
    signedUpAt: { type: Date, required: true },
    seat: Number,
    waitlistedAt: Date,
    waitSlot: Number,
    confirmedAt: Date,
    confirmedBy: String,
    withdrawnAt: Date,
    checkedInAt: Date,
    checkInMethod: String,
    checkedOutAt: Date,
    corrections: { type: [correctionSchema], default: [] },
  },
  { versionKey: false, collection: 'alliance_signups' },
);
signupSchema.index({ activityId: 1 });
signupSchema.index({ participantId: 1 });
signupSchema.index({ year: 1 });

const claimSchema = new Schema<ClaimDoc>({ _id: { type: String, required: true }, participantId: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false, collection: 'alliance_claims' });

const exchangeSchema = new Schema<ExchangeDoc>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true },
    reward: { type: String, required: true },
    points: { type: Number, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
  },
  { versionKey: false, collection: 'alliance_exchanges' },
);
exchangeSchema.index({ participantId: 1 });

function modelOf<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}

export interface AllianceModels {
  participants: Model<ParticipantDoc>;
  keys: Model<ParticipantKeyDoc>;
  listItems: Model<ListItemDoc>;
  activities: Model<ActivityDoc>;
  signups: Model<SignupDoc>;
  claims: Model<ClaimDoc>;
  exchanges: Model<ExchangeDoc>;
}

export function allianceModels(connection: Connection): AllianceModels {
  return {
    participants: modelOf(connection, 'AllianceParticipant', participantSchema),
    keys: modelOf(connection, 'AllianceParticipantKey', keySchema),
    listItems: modelOf(connection, 'AllianceListItem', listItemSchema),
    activities: modelOf(connection, 'AllianceActivity', activitySchema),
    signups: modelOf(connection, 'AllianceSignup', signupSchema),
    claims: modelOf(connection, 'AllianceClaim', claimSchema),
    exchanges: modelOf(connection, 'AllianceExchange', exchangeSchema),
  };
}
