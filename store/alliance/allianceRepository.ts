import type { Connection } from 'mongoose';
import type { Activity, CheckMethod, Correction, ListItem, ListKind, Participant, Signup } from '../../src/alliance/types';
import type { RewardExchange } from '../../src/alliance/yearlyFigures';
import { insertUnlessPresent, isDuplicateKeyError } from '../caseStoreErrors';
import { allianceModels, type ActivityDoc, type AllianceModels, type ParticipantDoc, type SignupDoc } from './models';

export type SeatOutcome = { kind: 'seated'; seat: number } | { kind: 'waitlisted'; position: number } | { kind: 'full' } | { kind: 'duplicate'; existing: Signup };

/** A registration that would give one WeChat Work member or resident two participants. */
export class ParticipantKeyTaken extends Error {
  constructor(readonly key: string, readonly participantId: string) {
    super(`${key} already belongs to participant ${participantId}`);
    this.name = 'ParticipantKeyTaken';
  }
}

const signupId = (activityId: string, participantId: string) => `${activityId}:${participantId}`;

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

function participantOf(doc: ParticipantDoc): Participant {
  const { _id, registeredAt: _at, registeredBy: _by, ...rest } = doc;
  return compact({ ...rest, id: _id, skills: [...(rest.skills ?? [])] });
}

function activityOf(doc: ActivityDoc): Activity {
  const { _id, year: _year, ...rest } = doc;
  return compact({ ...rest, id: _id, organiser: { ...rest.organiser }, venue: { ...rest.venue }, skills: [...rest.skills], targetKinds: [...rest.targetKinds], targetIds: [...rest.targetIds] });
}

function signupOf(doc: SignupDoc): Signup {
  const { _id, year: _year, waitSlot: _slot, ...rest } = doc;
  return compact({ ...rest, corrections: rest.corrections.map((c) => ({ hours: c.hours, reason: c.reason, by: c.by, at: c.at })) });
}

/**
 * Participants, lists, 哨令 and everything done about them. Reads and writes go by `_id`; each
 * step that may happen once is claimed by a unique insert first, so two taps racing each other
 * leave one result.
 */
export class AllianceRepository {
  readonly models: AllianceModels;

  constructor(connection: Connection) {
    this.models = allianceModels(connection);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all(Object.values(this.models).map((m: AllianceModels[keyof AllianceModels]) => m.init()));
  }

  // --- participants -------------------------------------------------------------------------

  private async claimKey(key: string, participantId: string): Promise<void> {
    if (await insertUnlessPresent(this.models.keys, { _id: key, participantId })) return;
    const holder = await this.models.keys.findById(key).lean();
    if (holder && holder.participantId !== participantId) throw new ParticipantKeyTaken(key, holder.participantId);
  }

  /** Registers or updates a participant; its WeChat Work member and resident must not belong to another. */
  async registerParticipant(participant: Participant, by: string, now: Date): Promise<Participant> {
    if (participant.wecomUserId) await this.claimKey(`wecom:${participant.wecomUserId}`, participant.id);
    if (participant.residentId) await this.claimKey(`resident:${participant.residentId}`, participant.id);
    const { id, ...rest } = participant;
    const existing = await this.models.participants.findById(id).lean();
    const doc = compact({ ...rest, _id: id, registeredAt: existing?.registeredAt ?? now, registeredBy: existing?.registeredBy ?? by });
    if (existing) await this.models.participants.replaceOne({ _id: id }, doc);
    else if (!(await insertUnlessPresent(this.models.participants, doc))) await this.models.participants.replaceOne({ _id: id }, doc);
    if (existing?.wecomUserId && existing.wecomUserId !== participant.wecomUserId) await this.models.keys.deleteOne({ _id: `wecom:${existing.wecomUserId}` });
    if (existing?.residentId && existing.residentId !== participant.residentId) await this.models.keys.deleteOne({ _id: `resident:${existing.residentId}` });
    return participant;
  }

  async participant(id: string): Promise<Participant | undefined> {
    const doc = await this.models.participants.findById(id).lean();
    return doc ? participantOf(doc) : undefined;
  }

  private async byKey(key: string): Promise<Participant | undefined> {
    const found = await this.models.keys.findById(key).lean();
    return found ? this.participant(found.participantId) : undefined;
  }

  participantByWecomUser(userId: string): Promise<Participant | undefined> {
    return this.byKey(`wecom:${userId}`);
  }

  participantByResident(residentId: string): Promise<Participant | undefined> {
    return this.byKey(`resident:${residentId}`);
  }

  async participants(): Promise<Participant[]> {
    return (await this.models.participants.find().lean()).map(participantOf).sort((a, b) => a.id.localeCompare(b.id));
  }

  // --- lists --------------------------------------------------------------------------------

  async addListItem(item: ListItem): Promise<ListItem> {
    const { id, ...rest } = item;
    await this.models.listItems.create(compact({ ...rest, _id: id }));
    return item;
  }

  async listItem(id: string): Promise<ListItem | undefined> {
    const doc = await this.models.listItems.findById(id).lean();
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return compact({ ...rest, id: _id, skills: [...rest.skills] });
  }

  async listItems(list: ListKind): Promise<ListItem[]> {
    const docs = await this.models.listItems.find({ list }).lean();
    return docs.map(({ _id, ...rest }) => compact({ ...rest, id: _id, skills: [...rest.skills] })).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  // --- activities ---------------------------------------------------------------------------

  async createActivity(activity: Activity, year: number): Promise<void> {
    const { id, ...rest } = activity;
    await this.models.activities.create(compact({ ...rest, _id: id, year }));
  }

  /** Writes an edited or cancelled activity back (the organiser's change; `_id` stays). */
  async saveActivity(activity: Activity, year: number): Promise<void> {
    const { id, ...rest } = activity;
    await this.models.activities.replaceOne({ _id: id }, compact({ ...rest, _id: id, year }));
  }

  async activity(id: string): Promise<Activity | undefined> {
    const doc = await this.models.activities.findById(id).lean();
    return doc ? activityOf(doc) : undefined;
  }

  async activitiesOfYear(year: number): Promise<Activity[]> {
    return (await this.models.activities.find({ year }).lean()).map(activityOf);
  }

  async activitiesByIds(ids: readonly string[]): Promise<Activity[]> {
    const found = await Promise.all([...new Set(ids)].map((id) => this.activity(id)));
    return found.filter((a): a is Activity => a !== undefined);
  }

  // --- sign-ups -----------------------------------------------------------------------------

  async signup(activityId: string, participantId: string): Promise<Signup | undefined> {
    const doc = await this.models.signups.findById(signupId(activityId, participantId)).lean();
    return doc ? signupOf(doc) : undefined;
  }

  async signupsOf(activityId: string): Promise<Signup[]> {
    return (await this.models.signups.find({ activityId }).lean()).map(signupOf).sort((a, b) => a.signedUpAt.getTime() - b.signedUpAt.getTime());
  }

  async signupsOfYear(year: number): Promise<Signup[]> {
    return (await this.models.signups.find({ year }).lean()).map(signupOf);
  }

  async signupsOfParticipant(participantId: string): Promise<Signup[]> {
    return (await this.models.signups.find({ participantId }).lean()).map(signupOf);
  }

  private claim(id: string, participantId: string, at: Date): Promise<boolean> {
    return insertUnlessPresent(this.models.claims, { _id: id, participantId, at });
  }

  /** True the first time `key` is claimed (e.g. one reminder per participant and period). */
  claimOnce(key: string, participantId: string, at: Date): Promise<boolean> {
    return this.claim(`once:${key}`, participantId, at);
  }

  private async release(id: string): Promise<void> {
    await this.models.claims.deleteOne({ _id: id });
  }

  /** The first free seat 1…capacity, claimed for the participant (who holds at most one). */
  private async claimSeat(activity: Activity, participantId: string, at: Date): Promise<number | undefined> {
    if (!(await this.claim(`hold:${activity.id}:${participantId}`, participantId, at))) return undefined;
    for (let seat = 1; seat <= activity.capacity; seat += 1) {
      if (await this.claim(`seat:${activity.id}:${seat}`, participantId, at)) return seat;
    }
    await this.release(`hold:${activity.id}:${participantId}`);
    return undefined;
  }

  private async waitingPosition(activityId: string, waitlistedAt: Date, participantId: string): Promise<number> {
    const waiting = (await this.signupsOf(activityId)).filter((s) => s.seat === undefined && s.withdrawnAt === undefined && s.waitlistedAt !== undefined);
    const ahead = waiting.filter((s) => s.waitlistedAt!.getTime() < waitlistedAt.getTime() || (s.waitlistedAt!.getTime() === waitlistedAt.getTime() && s.participantId < participantId));
    return ahead.length + 1;
  }

  /**
   * A sign-up: the sign-up document (a second one is a duplicate), then a seat, else a waiting
   * place, else nothing at all (the sign-up is taken back).
   */
  async signUp(activity: Activity, participantId: string, year: number, now: Date): Promise<SeatOutcome> {
    const _id = signupId(activity.id, participantId);
    const created = await insertUnlessPresent(this.models.signups, { _id, activityId: activity.id, participantId, year, signedUpAt: now, corrections: [] });
    if (!created) {
      const existing = await this.signup(activity.id, participantId);
      if (existing) return { kind: 'duplicate', existing };
    }
    const seat = await this.claimSeat(activity, participantId, now);
    if (seat !== undefined) {
      await this.models.signups.updateOne({ _id }, { $set: { seat } });
      return { kind: 'seated', seat };
    }
    for (let slot = 1; slot <= activity.waitlistCapacity; slot += 1) {
      if (await this.claim(`wait:${activity.id}:${slot}`, participantId, now)) {
        await this.models.signups.updateOne({ _id }, { $set: { waitlistedAt: now, waitSlot: slot } });
        return { kind: 'waitlisted', position: await this.waitingPosition(activity.id, now, participantId) };
      }
    }
    await this.models.signups.deleteOne({ _id });
    return { kind: 'full' };
  }

  /** Withdraws once; frees the seat or waiting place. Returns false when it was already withdrawn. */
  async withdraw(activity: Activity, participantId: string, now: Date): Promise<boolean> {
    const _id = signupId(activity.id, participantId);
    if (!(await this.claim(`withdraw:${_id}`, participantId, now))) return false;
    const doc = await this.models.signups.findById(_id).lean();
    await this.models.signups.updateOne({ _id }, { $set: { withdrawnAt: now } });
    if (doc?.seat !== undefined) {
      await this.release(`seat:${activity.id}:${doc.seat}`);
      await this.release(`hold:${activity.id}:${participantId}`);
    }
    if (doc?.waitSlot !== undefined) await this.release(`wait:${activity.id}:${doc.waitSlot}`);
    return true;
  }

  /**
   * A capacity cut takes a seat back: the seat, the hold and the confirmation are released and the
   * sign-up waits, ordered by when it signed up. Its waiting place may lie beyond the waiting list's
   * size, because nobody already holding a seat is turned away. Returns the waiting position.
   */
  async moveToWaitlist(activity: Activity, signup: Signup): Promise<number> {
    const _id = signupId(activity.id, signup.participantId);
    if (signup.seat !== undefined) await this.release(`seat:${activity.id}:${signup.seat}`);
    await this.release(`hold:${activity.id}:${signup.participantId}`);
    await this.release(`confirm:${_id}`);
    let slot = 1;
    while (!(await this.claim(`wait:${activity.id}:${slot}`, signup.participantId, signup.signedUpAt))) slot += 1;
    await this.models.signups.updateOne({ _id }, { $set: { waitlistedAt: signup.signedUpAt, waitSlot: slot }, $unset: { seat: 1, confirmedAt: 1, confirmedBy: 1 } });
    return this.waitingPosition(activity.id, signup.signedUpAt, signup.participantId);
  }

  /** A kept seat numbered above a cut capacity moves to a free seat within it. */
  async renumberSeat(activity: Activity, signup: Signup, now: Date): Promise<number | undefined> {
    for (let seat = 1; seat <= activity.capacity; seat += 1) {
      if (!(await this.claim(`seat:${activity.id}:${seat}`, signup.participantId, now))) continue;
      await this.models.signups.updateOne({ _id: signupId(activity.id, signup.participantId) }, { $set: { seat } });
      if (signup.seat !== undefined) await this.release(`seat:${activity.id}:${signup.seat}`);
      return seat;
    }
    return undefined;
  }

  /** Gives a freed seat to the first on the waiting list; returns who got it. */
  async promoteFromWaitlist(activity: Activity, now: Date): Promise<{ participantId: string; seat: number } | undefined> {
    const waiting = (await this.signupsOf(activity.id))
      .filter((s) => s.seat === undefined && s.withdrawnAt === undefined && s.waitlistedAt !== undefined)
      .sort((a, b) => a.waitlistedAt!.getTime() - b.waitlistedAt!.getTime() || a.participantId.localeCompare(b.participantId));
    for (const next of waiting) {
      const seat = await this.claimSeat(activity, next.participantId, now);
      if (seat === undefined) {
        // Either no seat is free (stop) or this person is being seated by another promotion (try the next).
        if (!(await this.models.claims.exists({ _id: `hold:${activity.id}:${next.participantId}` }))) return undefined;
        continue;
      }
      const _id = signupId(activity.id, next.participantId);
      const doc = await this.models.signups.findById(_id).lean();
      await this.models.signups.updateOne({ _id }, { $set: { seat }, $unset: { waitlistedAt: 1, waitSlot: 1 } });
      if (doc?.waitSlot !== undefined) await this.release(`wait:${activity.id}:${doc.waitSlot}`);
      return { participantId: next.participantId, seat };
    }
    return undefined;
  }

  /** Records a one-time step (confirmation, check-in, check-out); false when it was already recorded. */
  private async once(step: 'confirm' | 'in' | 'out', activityId: string, participantId: string, at: Date, set: Partial<SignupDoc>): Promise<boolean> {
    const _id = signupId(activityId, participantId);
    if (!(await this.claim(`${step}:${_id}`, participantId, at))) return false;
    await this.models.signups.updateOne({ _id }, { $set: set });
    return true;
  }

  confirm(activityId: string, participantId: string, by: string, at: Date): Promise<boolean> {
    return this.once('confirm', activityId, participantId, at, { confirmedAt: at, confirmedBy: by });
  }

  checkIn(activityId: string, participantId: string, method: CheckMethod, at: Date): Promise<boolean> {
    return this.once('in', activityId, participantId, at, { checkedInAt: at, checkInMethod: method });
  }

  checkOut(activityId: string, participantId: string, at: Date): Promise<boolean> {
    return this.once('out', activityId, participantId, at, { checkedOutAt: at });
  }

  /** Appends a correction as number n+1 of the sign-up; a concurrent correction takes the next number. */
  async correct(activityId: string, participantId: string, correction: Correction): Promise<number> {
    const _id = signupId(activityId, participantId);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const doc = await this.models.signups.findById(_id).lean();
      const n = (doc?.corrections.length ?? 0) + 1;
      if (await this.claim(`correction:${_id}:${n}`, participantId, correction.at)) {
        await this.models.signups.updateOne({ _id }, { $push: { corrections: correction } });
        return n;
      }
    }
    throw new Error(`could not record a correction of ${_id}: too many at once; try again`);
  }

  // --- rewards ------------------------------------------------------------------------------

  async exchangesOf(participantId: string): Promise<RewardExchange[]> {
    return (await this.models.exchanges.find({ participantId }).lean()).map(({ _id, ...rest }) => ({ ...rest, id: _id }));
  }

  async exchangesBetween(from: Date, to: Date): Promise<RewardExchange[]> {
    return (await this.models.exchanges.find({ at: { $gte: from, $lt: to } }).lean()).map(({ _id, ...rest }) => ({ ...rest, id: _id }));
  }

  /**
   * Records exchange number n+1 of a participant, but only if the balance read for it still holds:
   * `decide` sees the exchanges so far and says yes or no; two exchanges at once cannot both spend the same points.
   */
  async exchange(participantId: string, build: (previous: RewardExchange[]) => Omit<RewardExchange, 'id'> | undefined): Promise<RewardExchange | undefined> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const previous = await this.exchangesOf(participantId);
      const next = build(previous);
      if (!next) return undefined;
      const id = `${participantId}:${previous.length + 1}`;
      try {
        await this.models.exchanges.create({ ...next, _id: id });
        return { ...next, id };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    throw new Error(`could not record an exchange of ${participantId}: too many at once; try again`);
  }
}
