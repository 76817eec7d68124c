import { createHash } from 'node:crypto';
import type { Case } from '../src/cases';
import { maskSensitive, parseReport } from '../src/parser';
import type { Urgency } from '../src/taxonomy';
import type { Open311Contact } from '../store/models/open311';
import { Open311Repository, type Open311RequestRecord } from '../store/open311Repository';
import type { LifecycleDeps } from './deps';
import { submitReport, type ReportSubmission, type SubmitOutcome } from './submitReport';

/** A service request as the Open311 API validated it (service known, street from the jurisdiction). */
export interface Open311Request {
  clientId: string;
  clientName: string;
  serviceCode: string;
  /** The case category the service files under. */
  category: string;
  streetId: string;
  description: string;
  lat?: number;
  lng?: number;
  addressString?: string;
  mediaUrl?: string;
  urgency?: Urgency;
  contact: Open311Contact;
}

export type Open311RequestStore = Pick<Open311Repository, 'request' | 'claim' | 'recordCase' | 'release'>;

export interface Open311Deps {
  lifecycle: LifecycleDeps;
  requests: Open311RequestStore;
  districtId: string;
  /** A claim this old that never got its case was left by a crashed request; a repeat takes it over. */
  staleClaimMs: number;
}

export type Open311Receipt =
  | { kind: 'created'; number: string; case: Case; outcome: SubmitOutcome['outcome'] }
  | { kind: 'replayed'; number: string }
  | { kind: 'in_progress' };

/** Below the routing threshold: when the text reads as another category than the chosen service, the dispatcher decides. */
export const DISAGREEING_SERVICE_CONFIDENCE = 0.5;

/** The same request (same client, service, text, place and contact) gives the same fingerprint. */
export function open311Fingerprint(request: Open311Request): string {
  const { clientName: _name, ...rest } = request;
  const canonical = JSON.stringify(Object.entries(rest).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/**
 * The request as a report, parsed like any other: the chosen service sets the category (full
 * confidence when the text agrees, else below the threshold so the dispatcher looks). The reporter
 * is the client app, never the person: their contact stays on the request record, and numbers in the
 * text are masked before any department sees it.
 */
export function open311Submission(request: Open311Request, districtId: string): ReportSubmission {
  const point = request.lat !== undefined && request.lng !== undefined ? { latitude: request.lat, longitude: request.lng } : undefined;
  const parsed = parseReport({ text: request.description, ...(point && { location: { ...point, ...(request.addressString !== undefined && { label: request.addressString }) } }) });
  const agrees = parsed.category === request.category;
  const location = request.addressString ?? parsed.location;
  return {
    source: 'open311',
    channel: 'open311',
    reporter: { name: `Open311·${request.clientName}` },
    districtId,
    streetId: request.streetId,
    text: maskSensitive(request.description, parsed),
    media: [],
    parsed: {
      category: request.category,
      urgency: request.urgency ?? parsed.urgency,
      location: location === null ? null : maskSensitive(location),
      departments: agrees ? parsed.departments : [],
      confidence: agrees ? 1 : DISAGREEING_SERVICE_CONFIDENCE,
    },
    ...(point && { lat: point.latitude, lng: point.longitude }),
  };
}

function recordOf(deps: Open311Deps, request: Open311Request, id: string): Open311RequestRecord {
  return {
    _id: id,
    districtId: deps.districtId,
    clientId: request.clientId,
    serviceCode: request.serviceCode,
    claimedAt: new Date(),
    contact: request.contact,
    ...(request.addressString !== undefined && { addressString: request.addressString }),
    ...(request.lat !== undefined && { lat: request.lat }),
    ...(request.lng !== undefined && { lng: request.lng }),
    ...(request.mediaUrl !== undefined && { mediaUrl: request.mediaUrl }),
  };
}

/**
 * Files a service request as a case, once: a client repeating the same request (a retry after a
 * timeout) gets the first one's service_request_id back instead of a second case.
 */
export async function receiveOpen311Request(deps: Open311Deps, request: Open311Request): Promise<Open311Receipt> {
  const id = Open311Repository.requestId(deps.districtId, request.clientId, open311Fingerprint(request));
  let claimed = await deps.requests.claim(recordOf(deps, request, id));
  if (!claimed) {
    const existing = await deps.requests.request(id);
    if (existing?.number !== undefined) return { kind: 'replayed', number: existing.number };
    if (existing && Date.now() - existing.claimedAt.getTime() < deps.staleClaimMs) return { kind: 'in_progress' };
    await deps.requests.release(id);
    claimed = await deps.requests.claim(recordOf(deps, request, id));
    if (!claimed) return { kind: 'in_progress' };
  }
  let stored = false;
  try {
    const submitted = await submitReport(deps.lifecycle, open311Submission(request, deps.districtId), {
      // Recorded before whistling: a failure after this point never leads a retry to a second case.
      onCreated: async (c) => {
        await deps.requests.recordCase(id, { caseId: c.id, number: c.number });
        stored = true;
      },
    });
    return { kind: 'created', number: submitted.case.number, case: submitted.case, outcome: submitted.outcome };
  } catch (error) {
    if (!stored) await deps.requests.release(id).catch(() => undefined);
    throw error;
  }
}
