import type { StoreLoad } from '../../store/storeCapacity';
import type { Case, TimelineEvent } from '../../src/cases/types';
import { maskSensitive } from '../../src/parser';
import { maySeeReporter, type Viewer } from '../../src/console/access';
import type { Board } from '../../src/console/board';
import { caseLight, clockLight, nextDue, type LightRule } from '../../src/console/lights';
import { summarise, type CaseSummary } from '../../src/console/summary';
import { CASE_STATE_NAMES, ROLE_NAMES, TIMELINE_EVENT_NAMES, categoryName, departmentName } from '../../src/labels';
import { urgencyName } from '../../src/taxonomy';

/** Street and community names, from the organisation. */
export interface PlaceNames {
  street(id: string): string;
  community(id: string | undefined): string;
}

export function presentSummary(c: CaseSummary, now: Date, places: PlaceNames, rule?: LightRule) {
  const due = nextDue(c);
  return {
    id: c.id,
    number: c.number,
    state: c.state,
    stateName: CASE_STATE_NAMES.console[c.state],
    category: c.category ?? null,
    categoryName: categoryName(c.category, c.category),
    urgency: c.urgency,
    urgencyName: urgencyName(c.urgency),
    locationText: c.locationText ?? null,
    streetName: places.street(c.streetId),
    communityName: places.community(c.communityId),
    departments: c.assignments.filter((a) => a.active).map((a) => ({ code: a.deptCode, name: departmentName(a.deptCode), role: a.role })),
    light: caseLight(c, now, rule),
    due: due?.toISOString() ?? null,
    hardCase: c.hardCase,
    escalated: c.escalated,
    createdAt: c.createdAt.toISOString(),
    lat: c.lat ?? null,
    lng: c.lng ?? null,
  };
}

export type SummaryView = ReturnType<typeof presentSummary>;

export function presentBoard(board: Board, places: PlaceNames) {
  return {
    ...board,
    generatedAt: board.generatedAt.toISOString(),
    byStreet: board.byStreet.map((s) => ({ ...s, name: places.street(s.streetId) })),
    byDepartment: board.byDepartment.map((d) => ({ ...d, name: departmentName(d.deptCode) })),
    byCategory: board.byCategory.map((c) => ({ ...c, name: categoryName(c.category, c.category) })),
    alerts: board.alerts.map((a) => ({ ...a, due: a.due?.toISOString() ?? null, categoryName: categoryName(a.category, a.category), streetName: places.street(a.streetId), departmentNames: a.departments.map(departmentName) })),
  };
}

const HIDDEN = '（反映人信息未公开）';

function presentEvent(e: TimelineEvent, showReporter: boolean, reporterIds: Set<string>) {
  const isReporter = reporterIds.has(e.actorId);
  return {
    type: e.type,
    name: TIMELINE_EVENT_NAMES[e.type] ?? e.type,
    at: e.at.toISOString(),
    actor: isReporter && !showReporter ? HIDDEN : (e.actorName ?? e.actorId),
    role: ROLE_NAMES[e.actorRole] ?? e.actorRole,
    channel: e.channel,
    department: e.deptCode === undefined ? null : departmentName(e.deptCode),
    details: Object.fromEntries(Object.entries(e.details).map(([k, v]) => [k, typeof v === 'string' && !showReporter ? maskSensitive(v) : v])),
  };
}

export interface ReporterContact {
  name?: string;
  mobile?: string;
}

/** What the viewer may do on this case (a hint for the buttons: the use cases decide). */
export function offeredActions(viewer: Viewer, c: Case): string[] {
  const actions: string[] = [];
  const open = !['closed', 'cancelled', 'merged'].includes(c.state);
  if (viewer.scope.kind === 'department') {
    const mine = c.assignments.find((a) => a.deptCode === viewer.deptCode && (a.state === 'pending' || a.state === 'accepted'));
    if (viewer.roles.includes('dept_lead') && mine?.state === 'pending') actions.push('accept', 'return');
    return actions;
  }
  if (c.state === 'closed' && c.assignments.some((a) => a.state === 'done' && !c.assignments.some((b) => b.deptCode === a.deptCode && b.streetRating))) actions.push('rateDepartment');
  if (!open) return actions;
  if (c.state === 'triage' || c.state === 'community') actions.push('whistle');
  if (c.state === 'whistled' || c.state === 'in_progress') actions.push('reassign');
  if (c.assignments.some((a) => a.extensions.some((x) => x.decision === undefined))) actions.push('decideExtension');
  if (c.state === 'awaiting_verification') actions.push('verify');
  if (c.level === 'street' && !c.districtEscalation) actions.push('escalateToDistrict');
  actions.push(c.hardCase && c.hardCase.resolvedAt === undefined ? 'resolveHardCase' : 'markHardCase');
  if (!c.reporterRelease) actions.push('releaseReporter');
  actions.push('cancel');
  return actions;
}

export function presentCase(c: Case, viewer: Viewer, now: Date, places: PlaceNames, mediaUrl: (index: number, where: string) => string, reporter: ReporterContact, rule?: LightRule) {
  const showReporter = maySeeReporter(viewer, c.reporterRelease !== undefined);
  const summary = summarise(c);
  const reporterIds = new Set([c.reporter.userId, c.reporter.openid].filter((v): v is string => v !== undefined));
  return {
    id: c.id,
    number: c.number,
    state: c.state,
    stateName: CASE_STATE_NAMES.console[c.state],
    level: c.level,
    source: c.source,
    category: c.parsed.category ?? null,
    categoryName: categoryName(c.parsed.category, c.parsed.category),
    urgency: c.parsed.urgency,
    urgencyName: urgencyName(c.parsed.urgency),
    locationText: c.parsed.locationText ?? null,
    lat: c.parsed.lat ?? null,
    lng: c.parsed.lng ?? null,
    text: showReporter ? c.text : maskSensitive(c.text),
    streetName: places.street(c.streetId),
    communityName: places.community(c.communityId),
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    light: caseLight(summary, now, rule),
    deadlines: summary.clocks.map((k) => ({ kind: k.kind, department: k.deptCode === undefined ? null : departmentName(k.deptCode), since: k.since.toISOString(), due: k.due.toISOString(), light: clockLight(k, now, rule) })),
    reporter: showReporter ? { shown: true, name: reporter.name ?? c.reporter.name ?? null, mobile: reporter.mobile ?? null } : { shown: false, name: HIDDEN, mobile: null },
    photos: {
      before: c.media.map((m, i) => ({ kind: m.kind, url: mediaUrl(i, 'report') })).filter((m) => m.kind === 'image'),
      after: c.assignments.flatMap((a, ai) => a.resultMedia.map((m, i) => ({ kind: m.kind, department: departmentName(a.deptCode), url: mediaUrl(i, `result-${ai}`) }))).filter((m) => m.kind === 'image'),
    },
    assignments: c.assignments.map((a) => ({
      deptCode: a.deptCode,
      department: departmentName(a.deptCode),
      role: a.role,
      state: a.state,
      whistledAt: a.whistledAt.toISOString(),
      acceptDueAt: a.acceptDueAt?.toISOString() ?? null,
      finishDueAt: a.finishDueAt?.toISOString() ?? null,
      acceptedBy: a.acceptedByName ?? a.acceptedBy ?? null,
      acceptedAt: a.acceptedAt?.toISOString() ?? null,
      doneAt: a.doneAt?.toISOString() ?? null,
      resultText: a.resultText ?? null,
      returnReason: a.returnReason ?? null,
      streetRating: a.streetRating ? { value: a.streetRating.value, comment: a.streetRating.comment ?? null, at: a.streetRating.at.toISOString() } : null,
      pendingExtension: a.extensions.filter((x) => x.decision === undefined).map((x) => ({ reason: x.reason, requestedDueAt: x.requestedDueAt.toISOString() }))[0] ?? null,
    })),
    hardCase: c.hardCase ? { reason: c.hardCase.reason, at: c.hardCase.at.toISOString(), resolved: c.hardCase.resolvedAt !== undefined } : null,
    districtEscalation: c.districtEscalation ? { reason: c.districtEscalation.reason, at: c.districtEscalation.at.toISOString() } : null,
    reporterReleased: c.reporterRelease !== undefined,
    timeline: c.timeline.map((e) => presentEvent(e, showReporter, reporterIds)),
    actions: offeredActions(viewer, c),
    version: c.version,
  };
}

/** The district's warning on the board when the default store nears what it is rated for. */
export function presentStoreNotice(load: StoreLoad | undefined): string | undefined {
  if (!load || load.level === 'ok' || load.ceiling === null) return undefined;
  const share = Math.round((load.cases / load.ceiling) * 100);
  const state = load.level === 'over' ? '已超过' : '已达到';
  return `数据库已存约 ${load.cases.toLocaleString('zh-CN')} 件案件，${state}默认数据库额定容量 ${load.ceiling.toLocaleString('zh-CN')} 件的 ${share}%。请安排迁移到 MongoDB（npm run store:migrate），详见 README「How far one machine goes」。`;
}
