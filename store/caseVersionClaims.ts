import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { TimelineEvent } from '../src/cases';
import { insertUnlessPresent } from './caseStoreErrors';
import type { CaseDoc, CaseTransitionDoc } from './models/case';

export interface ClaimTicket {
  id: string;
  holder: string;
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
  ) {}

  static id(caseId: string, version: number): string {
    return `${caseId}:${version}`;
  }

  /** A ticket when this writer alone may turn `expectedVersion` into `expectedVersion + 1`. */
  async claim(caseId: string, expectedVersion: number, events: TimelineEvent[]): Promise<ClaimTicket | undefined> {
    const version = expectedVersion + 1;
    const ticket = { id: CaseVersionClaims.id(caseId, version), holder: randomUUID() };
    const claim = { _id: ticket.id, caseId, version, holder: ticket.holder, claimedAt: new Date(), eventTypes: events.map((e) => e.type) };
    if (await insertUnlessPresent(this.transitions, claim)) return ticket;
    await this.clearAbandoned(ticket.id, caseId, expectedVersion);
    return undefined;
  }

  /** True while the ticket's claim stands: nobody took this writer for crashed and cleared it. */
  async held(ticket: ClaimTicket): Promise<boolean> {
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
    if (!claim || Date.now() - claim.claimedAt.getTime() < this.staleClaimMs) return;
    const stillAtVersion = await this.cases.exists({ _id: caseId, version: expectedVersion }).exec();
    if (stillAtVersion) await this.transitions.deleteOne({ _id: claimId, claimedAt: claim.claimedAt }).exec();
  }
}
