import { SATISFACTION_NAMES } from '../../src/labels';
import type { Case, MediaRef } from '../../src/cases';
import { maskPhone, maskSensitive } from '../../src/parser';
import { category as categoryInfo, isCategoryCode, urgencyName } from '../../src/taxonomy';
import type { ResidentCaseDoc } from '../../store/models/residentCase';
import { residentStatus, residentTimeline, STATUS_NAMES, type NameBook } from './residentTimeline';
import type { CaseDetailView, CaseSummaryView } from './schemas';

export interface ViewContext {
  names: NameBook;
  /** A signed, time-limited URL for a stored photo. */
  photoUrl(key: string): Promise<string>;
}

const SUMMARY_LENGTH = 40;

function categoryOf(c: Case): CaseSummaryView['category'] {
  const code = c.parsed.category;
  return code !== undefined && isCategoryCode(code) ? { code, name: categoryInfo(code).name } : null;
}

export function presentCaseSummary(c: Case, link: ResidentCaseDoc | null): CaseSummaryView {
  const status = residentStatus(c);
  return {
    id: c.id,
    number: c.number,
    status,
    statusName: STATUS_NAMES[status],
    category: categoryOf(c),
    summary: c.text.length > SUMMARY_LENGTH ? `${c.text.slice(0, SUMMARY_LENGTH)}…` : c.text,
    address: link?.address ?? c.parsed.locationText ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    canRate: c.state === 'closed' && c.satisfaction === undefined,
    rated: c.satisfaction !== undefined,
  };
}

async function photos(media: MediaRef[], view: ViewContext): Promise<{ url: string }[]> {
  return Promise.all(media.filter((m) => m.kind === 'image').map(async (m) => ({ url: await view.photoUrl(m.ref) })));
}

/** The lead department's reported result, once there is one; the text has phone numbers masked. */
async function resultOf(c: Case, view: ViewContext): Promise<CaseDetailView['result']> {
  const lead = [...c.assignments].reverse().find((a) => a.role === 'lead' && a.doneAt !== undefined && a.resultText !== undefined);
  if (!lead?.doneAt || lead.resultText === undefined) return null;
  return {
    at: lead.doneAt.toISOString(),
    departments: [view.names.department(lead.deptCode)],
    text: maskSensitive(lead.resultText),
    photos: await photos(lead.resultMedia, view),
  };
}

export async function presentCaseDetail(c: Case, link: ResidentCaseDoc | null, view: ViewContext): Promise<CaseDetailView> {
  return {
    ...presentCaseSummary(c, link),
    text: c.text,
    urgency: { code: c.parsed.urgency, name: urgencyName(c.parsed.urgency) },
    location: {
      latitude: c.parsed.lat ?? null,
      longitude: c.parsed.lng ?? null,
      address: link?.address ?? c.parsed.locationText ?? null,
      placeName: link?.placeName ?? null,
    },
    contactPhone: link?.contactPhone ? maskPhone(link.contactPhone) : null,
    photos: await photos(c.media, view),
    timeline: residentTimeline(c, view.names),
    result: await resultOf(c, view),
    rating: c.satisfaction
      ? { value: c.satisfaction.value, name: SATISFACTION_NAMES[c.satisfaction.value], comment: c.satisfaction.comment ?? null, at: c.satisfaction.at.toISOString() }
      : null,
  };
}
