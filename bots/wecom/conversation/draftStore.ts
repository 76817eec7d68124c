import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../../infra/redis';
import { z } from 'zod';
import { URGENCIES, type Urgency } from '../../../src/taxonomy';
import type { Draft, DraftPiece, DraftState } from './draft';
import { APPEND, CANCEL, CLAIM, FINISH, RELEASE, SET_FIELD, TAKE } from './draftScripts';

export interface DraftStoreOptions {
  /** Key prefix, e.g. QUEUE_PREFIX; tests use a private one. */
  prefix: string;
  gatherWindowMs: number;
  ttlMs: number;
  /** How long a confirmation may take before another tap may take the draft over (default 2 minutes). */
  claimLeaseMs?: number;
}

export type ClaimResult =
  /** `resumed`: this tap (or, past the lease, another) takes over a confirmation its process did not finish; the case may exist already. */
  | { kind: 'claimed'; draft: Draft; resumed: boolean }
  /** Another tap is creating the case right now. */
  | { kind: 'busy' }
  | { kind: 'confirmed'; caseNumber: string }
  | { kind: 'stale' };

export type CancelResult = 'none' | 'stale' | 'cancelled' | 'confirming' | 'confirmed';
export type DraftChoice = { field: 'category'; value: string } | { field: 'urgency'; value: Urgency } | { field: 'awaitingPlace'; value: '1' };

const mediaRef = z.object({ kind: z.enum(['image', 'voice', 'video', 'file']), ref: z.string() });
const pieceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string(), at: z.number() }),
  z.object({ kind: z.literal('media'), media: mediaRef, at: z.number() }),
  z.object({ kind: z.literal('location'), label: z.string(), lat: z.number(), lng: z.number(), at: z.number() }),
  z.object({ kind: z.literal('feedback'), number: z.string(), text: z.string(), at: z.number() }),
]);
const STATES: readonly DraftState[] = ['gathering', 'confirming', 'confirmed'];

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function decodeDraft(hashReply: unknown, piecesReply: unknown): Draft | undefined {
  const flat = strings(hashReply);
  const hash = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) hash.set(flat[i] as string, flat[i + 1] as string);
  const id = hash.get('id');
  const state = STATES.find((s) => s === hash.get('state'));
  if (id === undefined || state === undefined) return undefined;
  const urgency = URGENCIES.find((u) => u === hash.get('urgency'));
  const draft: Draft = {
    id,
    state,
    startedAt: Number(hash.get('startedAt') ?? 0),
    lastPieceAt: Number(hash.get('lastPieceAt') ?? 0),
    pieces: strings(piecesReply).flatMap((json) => {
      const piece = pieceSchema.safeParse(JSON.parse(json));
      return piece.success ? [piece.data] : [];
    }),
    awaitingPlace: hash.get('awaitingPlace') === '1',
  };
  const optional = { placeAnswer: hash.get('placeAnswer'), category: hash.get('category'), caseNumber: hash.get('caseNumber') };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(draft, { [key]: value });
  if (urgency !== undefined) draft.urgency = urgency;
  return draft;
}

/** `[status, hash, pieces]` replies: the status and, when present, the draft. */
function decodeTagged(reply: unknown): { status: string; draft: Draft | undefined } {
  const parts = Array.isArray(reply) ? reply : [];
  const status = typeof parts[0] === 'string' ? parts[0] : '';
  return { status, draft: parts.length >= 3 ? decodeDraft(parts[1], parts[2]) : undefined };
}

/**
 * Drafts in Redis: each a hash (state, corrections) plus a list of pieces, both expiring after
 * `ttlMs` without activity. A sender has one current draft that new pieces join, and may have
 * parked ones whose cards still wait for a tap. Every change is one Lua script, so concurrent
 * messages and taps are applied one after the other.
 */
export class DraftStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: DraftStoreOptions,
  ) {}

  /**
   * Adds a piece to the sender's draft (a new one when the window has passed) and answers the
   * draft. `park`: the id of the current draft to set aside first, so the piece starts a new
   * one while the parked draft's card still works.
   */
  async append(userId: string, piece: DraftPiece, messageKey: string, park?: string): Promise<Draft> {
    const answer = piece.kind === 'text' ? piece.text : '';
    const answers = piece.kind === 'text' || piece.kind === 'location' ? '1' : '0';
    const window = String(this.options.gatherWindowMs);
    const keys = [this.hashKey(userId), this.piecesKey(userId), ...this.parkedKeys(userId, park ?? 'none')];
    const args = [String(piece.at), window, String(this.options.ttlMs), newDraftId(), JSON.stringify(piece), answer, answers, messageKey, park ?? ''];
    const reply = await this.redis.eval(APPEND, 4, ...keys, ...args);
    const parts = Array.isArray(reply) ? reply : [];
    const draft = decodeDraft(parts[0], parts[1]);
    if (!draft) throw new Error('draft store: append answered no draft');
    return draft;
  }

  async current(userId: string): Promise<Draft | undefined> {
    return this.read(this.hashKey(userId), this.piecesKey(userId));
  }

  /** A draft by id: the current one or a parked one. */
  async find(userId: string, draftId: string): Promise<Draft | undefined> {
    const [hash, pieces] = await this.keysOf(userId, draftId);
    const draft = await this.read(hash, pieces);
    return draft?.id === draftId ? draft : undefined;
  }

  /** Records a correction (or that we asked for the place); undefined when the draft is gone or confirmed. */
  async set(userId: string, draftId: string, choice: DraftChoice): Promise<Draft | undefined> {
    const { status, draft } = decodeTagged(await this.run(SET_FIELD, userId, draftId, choice.field, choice.value, String(this.options.ttlMs)));
    return status === 'ok' ? draft : undefined;
  }

  /** `by`: the tap's key, so the same tap retried (its worker died mid-confirmation) resumes the confirmation instead of being told to wait. */
  async claim(userId: string, draftId: string, by = ''): Promise<ClaimResult> {
    const { status, draft } = decodeTagged(await this.run(CLAIM, userId, draftId, by, String(Date.now()), String(this.options.claimLeaseMs ?? 120_000)));
    if ((status === 'claimed' || status === 'resumed') && draft) return { kind: 'claimed', draft, resumed: status === 'resumed' };
    if (status === 'confirming') return { kind: 'busy' };
    const caseNumber = status === 'confirmed' ? draft?.caseNumber : await this.confirmedCase(draftId);
    return caseNumber ? { kind: 'confirmed', caseNumber } : { kind: 'stale' };
  }

  /** Marks the draft confirmed; a tap on its card, even after a new draft started, then names the case. */
  async finish(userId: string, draftId: string, caseNumber: string): Promise<void> {
    await this.run(FINISH, userId, draftId, caseNumber, String(this.options.ttlMs));
    await this.redis.set(this.doneKey(draftId), caseNumber, 'PX', this.options.ttlMs);
  }

  /** The case a confirmed draft became, remembered for `ttlMs` even after a new draft started. */
  async confirmedCase(draftId: string): Promise<string | undefined> {
    return (await this.redis.get(this.doneKey(draftId))) ?? undefined;
  }

  async release(userId: string, draftId: string): Promise<void> {
    await this.run(RELEASE, userId, draftId);
  }

  async cancel(userId: string, draftId?: string): Promise<CancelResult> {
    const reply = await this.run(CANCEL, userId, draftId ?? '');
    const known: readonly CancelResult[] = ['none', 'stale', 'cancelled', 'confirming', 'confirmed'];
    return known.find((k) => k === reply) ?? 'none';
  }

  /** Removes a gathering draft and answers it; undefined when it changed or expired meanwhile. */
  async take(userId: string, draftId: string): Promise<Draft | undefined> {
    const { status, draft } = decodeTagged(await this.run(TAKE, userId, draftId));
    return status === 'ok' ? draft : undefined;
  }

  private async read(hashKey: string, piecesKey: string): Promise<Draft | undefined> {
    const [hash, pieces] = await Promise.all([this.redis.hgetall(hashKey), this.redis.lrange(piecesKey, 0, -1)]);
    return decodeDraft(Object.entries(hash).flat(), pieces);
  }

  /** Runs a script on the draft `draftId` of the sender, wherever it lives; '' means the current one. */
  private async run(script: string, userId: string, draftId: string, ...args: string[]): Promise<unknown> {
    const keys = draftId === '' ? [this.hashKey(userId), this.piecesKey(userId)] : await this.keysOf(userId, draftId);
    return this.redis.eval(script, 2, ...keys, draftId, ...args);
  }

  // The scripts check the id again, so a draft parked in between is answered as stale, never mixed up.
  private async keysOf(userId: string, draftId: string): Promise<[string, string]> {
    const currentId = await this.redis.hget(this.hashKey(userId), 'id');
    return currentId === draftId ? [this.hashKey(userId), this.piecesKey(userId)] : this.parkedKeys(userId, draftId);
  }

  private parkedKeys(userId: string, draftId: string): [string, string] {
    return [`${this.options.prefix}:draft:{${userId}}:parked:${draftId}`, `${this.options.prefix}:draft:{${userId}}:parked:${draftId}:pieces`];
  }

  // The braces are a Redis Cluster hash tag: both keys of one sender live in the same slot.
  private hashKey(userId: string): string {
    return `${this.options.prefix}:draft:{${userId}}`;
  }

  private piecesKey(userId: string): string {
    return `${this.options.prefix}:draft:{${userId}}:pieces`;
  }

  private doneKey(draftId: string): string {
    return `${this.options.prefix}:draft-done:${draftId}`;
  }
}

/** Short, URL- and EventKey-safe. */
export function newDraftId(): string {
  return randomBytes(6).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x');
}
