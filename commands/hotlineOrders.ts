import { setTimeout as pause } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import type { Case } from '../src/cases';
import { maskSensitive, parseReport } from '../src/parser';
import type { Urgency } from '../src/taxonomy';
import type { HotlineOrderRecord, HotlineOrderRepository } from '../store/hotlineOrderRepository';
import type { LifecycleDeps } from './deps';
import { submitReport, type ReportSubmission, type SubmitOutcome } from './submitReport';

/** A 12345 hotline work order as the hotline API accepted it (street and community already checked). */
export interface HotlineOrder {
  orderNo: string;
  content: string;
  address?: string;
  lat?: number;
  lng?: number;
  callerPhone?: string;
  /** Taxonomy codes, when the hotline already classified the order; else the parser decides. */
  category?: string;
  urgency?: Urgency;
  streetId: string;
  communityId?: string;
  receivedAt?: Date;
  dueAt?: Date;
  /** The platform that sent the order, told of its progress (HOTLINE_WEBHOOKS_CONFIG); absent: the default one. */
  platform?: string;
}

/** Where orders are recorded. `claim` is a unique insert: exactly one caller gets true per attempt. */
export type HotlineOrderStore = Pick<HotlineOrderRepository, 'latest' | 'claim' | 'recordCase' | 'recordOutcome' | 'release'>;

export interface HotlineDeps {
  lifecycle: LifecycleDeps;
  orders: HotlineOrderStore;
  districtId: string;
  /** A claim this old that never got its case was left by a crashed request; the next repeat takes over. */
  staleClaimMs: number;
  /** How long a repeat waits for a concurrent first request to finish before answering "in progress". */
  waitForPendingMs: number;
  pollMs: number;
}

export type HotlineReceipt =
  | { kind: 'created'; order: HotlineOrderRecord; case: Case; outcome: SubmitOutcome['outcome']; duplicateOf?: Case; tookOverAttempt?: number }
  | { kind: 'replayed'; order: HotlineOrderRecord }
  | { kind: 'conflict'; order: HotlineOrderRecord }
  | { kind: 'in_progress'; retryAfterSeconds: number };

/** Who a hotline case's reporter is: the hotline, never the caller (whose phone stays on the order record). */
export const HOTLINE_REPORTER_NAME = '12345热线';


function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** The same order (any key order, any spelling of the same instant) gives the same fingerprint. */
export function hotlineFingerprint(order: HotlineOrder): string {
  return createHash('sha256').update(JSON.stringify(canonical(order))).digest('hex');
}

/**
 * The order as a report: the hotline's category and urgency win over the parser's, with full
 * confidence (a trained operator classified it); its address is the place. Phone numbers and plates
 * in the complaint are masked in the stored text, so no department card ever shows them.
 */
export function hotlineSubmission(order: HotlineOrder, districtId: string): ReportSubmission {
  const point = order.lat !== undefined && order.lng !== undefined ? { latitude: order.lat, longitude: order.lng } : undefined;
  const parsed = parseReport({ text: order.content, ...(point && { location: { ...point, ...(order.address !== undefined && { label: order.address }) } }) });
  const sameCategory = order.category === undefined || order.category === parsed.category;
  const location = order.address ?? parsed.location;
  return {
    source: 'hotline',
    channel: 'hotline',
    reporter: { name: HOTLINE_REPORTER_NAME },
    districtId,
    streetId: order.streetId,
    ...(order.communityId !== undefined && { communityId: order.communityId }),
    text: maskSensitive(order.content, parsed),
    media: [],
    parsed: {
      category: order.category ?? parsed.category,
      urgency: order.urgency ?? parsed.urgency,
      location: location === null ? null : maskSensitive(location),
      departments: sameCategory ? parsed.departments : [],
      confidence: order.category !== undefined ? 1 : parsed.confidence,
    },
    ...(point && { lat: point.latitude, lng: point.longitude }),
  };
}

function claimOf(deps: HotlineDeps, order: HotlineOrder, fingerprint: string, attempt: number): HotlineOrderRecord {
  return {
    districtId: deps.districtId,
    orderNo: order.orderNo,
    attempt,
    fingerprint,
    claimedAt: new Date(),
    ...(order.callerPhone !== undefined && { callerPhone: order.callerPhone }),
    ...(order.receivedAt !== undefined && { receivedAt: order.receivedAt }),
    ...(order.dueAt !== undefined && { dueAt: order.dueAt }),
    ...(order.platform !== undefined && { platform: order.platform }),
  };
}

async function createCase(deps: HotlineDeps, claim: HotlineOrderRecord, order: HotlineOrder, tookOverAttempt: number | undefined): Promise<HotlineReceipt> {
  let recorded = claim;
  let submitted: SubmitOutcome;
  try {
    submitted = await submitReport(deps.lifecycle, hotlineSubmission(order, deps.districtId), {
      // Recorded before whistling: if a later step fails, a repeat finds this case instead of making another.
      onCreated: async (c) => void (recorded = await deps.orders.recordCase(claim, { caseId: c.id, number: c.number })),
    });
  } catch (error) {
    // No case yet: give the claim back so the hotline's retry can create it. Should that fail too,
    // the claim goes stale and the first repeat after `staleClaimMs` takes it over.
    if (recorded.caseId === undefined) await deps.orders.release(claim).catch(() => undefined);
    throw error;
  }
  recorded = await deps.orders.recordOutcome(recorded, submitted.outcome);
  return {
    kind: 'created',
    order: recorded,
    case: submitted.case,
    outcome: submitted.outcome,
    ...(submitted.duplicateOf !== undefined && { duplicateOf: submitted.duplicateOf }),
    ...(tookOverAttempt !== undefined && { tookOverAttempt }),
  };
}

/**
 * Creates the case of a hotline work order exactly once. The first request claims the order with a
 * unique insert and creates the case; a repeat with the same body gets that case back, with another
 * body a conflict; a repeat arriving while the first is still working waits for it (up to
 * `waitForPendingMs`), then is told to retry.
 */
export async function receiveHotlineOrder(deps: HotlineDeps, order: HotlineOrder): Promise<HotlineReceipt> {
  const fingerprint = hotlineFingerprint(order);
  const started = Date.now();
  for (;;) {
    const latest = await deps.orders.latest(deps.districtId, order.orderNo);
    if (latest && latest.fingerprint !== fingerprint) return { kind: 'conflict', order: latest };
    if (latest?.caseId !== undefined) return { kind: 'replayed', order: latest };
    const abandoned = latest !== null && Date.now() - latest.claimedAt.getTime() >= deps.staleClaimMs;
    if (latest === null || abandoned) {
      const claim = claimOf(deps, order, fingerprint, latest === null ? 0 : latest.attempt + 1);
      if (await deps.orders.claim(claim)) return createCase(deps, claim, order, latest?.attempt);
    }
    if (Date.now() - started >= deps.waitForPendingMs) return { kind: 'in_progress', retryAfterSeconds: Math.max(1, Math.ceil(deps.pollMs / 1000)) };
    await pause(deps.pollMs);
  }
}
