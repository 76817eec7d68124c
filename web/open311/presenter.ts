import { CASE_STATE_NAMES } from '../../src/labels';
import type { Open311Service } from '../../config/open311';
import { activeLead, type Case } from '../../src/cases';
import { maskSensitive } from '../../src/parser';
import { URGENCIES, urgencyName } from '../../src/taxonomy';
import type { Open311RequestRecord } from '../../store/open311Repository';
import type { Open311Object } from './format';

/** The one attribute every service takes: how urgent the reporter says it is (our whistle level). */
export const URGENCY_ATTRIBUTE = 'urgency';

export function presentService(s: Open311Service): Open311Object {
  return { service_code: s.code, service_name: s.name, description: s.description, metadata: true, type: 'realtime', keywords: s.keywords.join(','), group: s.group };
}

export function presentServiceDefinition(s: Open311Service): Open311Object {
  return {
    service_code: s.code,
    attributes: [
      {
        variable: true,
        code: URGENCY_ATTRIBUTE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '不填写则按描述判断',
        order: 1,
        description: '紧急程度',
        values: URGENCIES.map((u) => ({ key: u, name: urgencyName(u) })),
      },
    ],
  };
}

/** XML element names of the arrays inside a service definition. */
export const DEFINITION_WRAP = { attributes: 'attribute', values: 'value' } as const;

/** A request with everything its view needs: the case it made, and the case the work happens on. */
export interface RequestOfCase {
  record: Open311RequestRecord;
  own: Case;
  /** The open case it was merged into, if any. */
  working: Case;
  service: Open311Service | undefined;
  /** The lead department's name as the district calls it. */
  agency: string | null;
}

function iso(at: Date | undefined): string | null {
  return at ? at.toISOString() : null;
}

function statusNotes(working: Case, own: Case): string {
  const state = CASE_STATE_NAMES.public[working.state];
  const merged = own.id === working.id ? '' : `（与 ${working.number} 合并办理）`;
  const result = activeLead(working)?.resultText;
  return working.state === 'closed' && result ? `${state}${merged}：${maskSensitive(result)}` : `${state}${merged}`;
}

/**
 * A request as GET requests.json shows it. The description is the stored case text (numbers masked);
 * the reporter's name and contact never appear, nor staff names.
 */
export function presentRequest({ record, own, working, service, agency }: RequestOfCase): Open311Object {
  const lead = activeLead(working);
  const closed = working.state === 'closed' || working.state === 'cancelled';
  return {
    service_request_id: own.number,
    status: closed ? 'closed' : 'open',
    status_notes: statusNotes(working, own),
    service_name: service?.name ?? record.serviceCode,
    service_code: record.serviceCode,
    description: own.text,
    agency_responsible: agency,
    service_notice: null,
    requested_datetime: own.createdAt.toISOString(),
    updated_datetime: (working.updatedAt > own.updatedAt ? working.updatedAt : own.updatedAt).toISOString(),
    expected_datetime: iso(lead?.state === 'done' ? undefined : lead?.finishDueAt),
    address: record.addressString ?? own.parsed.locationText ?? null,
    address_id: null,
    zipcode: null,
    lat: record.lat ?? null,
    long: record.lng ?? null,
    media_url: record.mediaUrl ?? null,
  };
}
