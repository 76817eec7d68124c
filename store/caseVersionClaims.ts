import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { TimelineEvent } from '../src/cases';
import { insertPlainUnlessPresent } from './caseStoreErrors';
import type { CaseDoc, CaseTransitionDoc } from './models/case';

export interface ClaimTicket {
  id: string;
  holder: string;
  /** When the claim was written, by this process's clock (epoch ms). */
  claimedAt: number;
}

/**
 * Gate in front of every case update: a unique insert of `<caseId>:<version>` that exactly one
 * writer wins. MongoDB's conditional update is atomic on its own; FerretDB v1's is not (it reads,
 * then writes), so two writers could both "match" version N. The unique `_id` holds on both.
 */
export class CaseVersionClaims {
  constructor(
    private readonly transitions: Model<CaseTransitionDoc>,
    private readonly cases: Model<CaseDoc>,
    private readonly staleClaimMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  static id(caseId: string, version: number): string {
    return `${caseId}:${version}`;
  }

  /** A ticket when this writer alone may turn `expectedVersion` into `expectedVersion + 1`. */
  async claim(caseId: string, expectedVersion: number, events: TimelineEvent[]): Promise<ClaimTicket | undefined> {
    const version = expectedVersion + 1;
    const ticket = { id: CaseVersionClaims.id(caseId, version), holder: randomUUID(), claimedAt: this.now() };
    const claim = { _id: ticket.id, caseId, version, holder: ticket.holder, claimedAt: new Date(ticket.claimedAt), eventTypes: events.map((e) => e.type) };
    if (await insertPlainUnlessPresent(this.transitions, claim)) return ticket;
    await this.clearAbandoned(ticket.id, caseId, expectedVersion);
    return undefined;
  }

  /**
   * True while the ticket's claim stands: nobody took this writer for crashed and cleared it. A
   * claim is cleared only once it is `staleClaimMs` old, so one younger than half that is still
   * held without asking the store (the other half is the margin for clocks between processes and
   * for the time to the write); an older one is read back.
   */
  async held(ticket: ClaimTicket): Promise<boolean> {
    if (this.now() - ticket.claimedAt < this.staleClaimMs / 2) return true;
    const claim = await this.transitions.findById(ticket.id).lean<CaseTransitionDoc>().exec();
    return claim?.holder === ticket.holder;
  }

  /** Gives a claim back when its update did not happen (the case was gone or had moved). */
  async release(caseId: string, expectedVersion: number): Promise<void> {
    await this.transitions.deleteOne({ _id: CaseVersionClaims.id(caseId, expectedVersion + 1) }).exec();
  }

  // A writer that crashed between its claim and its update would block the case forever; its
  // command never happened, so dropping the claim lets the next writer in.
  private async clearAbandoned(claimId: string, caseId: string, expectedVersion: number): Promise<void> {
    const claim = await this.transitions.findById(claimId).lean<CaseTransitionDoc>().exec();
    if (!claim || this.now() - claim.claimedAt.getTime() < this.staleClaimMs) return;
    const stillAtVersion = await this.cases.exists({ _id: caseId, version: expectedVersion }).exec();
    if (stillAtVersion) await this.transitions.deleteOne({ _id: claimId, claimedAt: claim.claimedAt }).exec();
  }
}
