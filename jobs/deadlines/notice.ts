import { ESCALATION_TARGET_NAMES, categoryName, departmentName } from '../../src/labels';
import { formatChinaTime } from '../../src/chinaTime';
import type { Case } from '../../src/cases';
import { maskSensitive } from '../../src/parser';
import type { PlannedAlert, StageKind } from '../../src/sla';
import { urgencyName } from '../../src/taxonomy';
import type { DeadlineHistoryItem } from './ports';
import { DEADLINE_KEY_DETAIL } from './plan';
import type { DeadlineSlot } from './slots';

const STAGE: Record<StageKind, { name: string; action: string }> = {
  accept: { name: '接哨', action: '接哨报到' },
  finish: { name: '办结', action: '办理并反馈结果' },
  verify: { name: '核实', action: '核实结项' },
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `2天3小时`, `1小时5分钟`, `12分钟`, `40秒`: the two largest units, rounded down. */
export function formatSpan(ms: number): string {
  const abs = Math.max(0, Math.abs(ms));
  if (abs < MINUTE) return `${Math.floor(abs / 1000)}秒`;
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days}天${hours}小时` : `${days}天`;
  if (hours > 0) return minutes > 0 ? `${hours}小时${minutes}分钟` : `${hours}小时`;
  return `${minutes}分钟`;
}

function caseLabel(c: Case): string {
  // Group chats and escalation levels see this: phone numbers and plates are masked.
  const text = maskSensitive(c.text);
  const summary = text.length > 30 ? `${text.slice(0, 30)}…` : text;
  const category = c.parsed.category ? categoryName(c.parsed.category, '') : '';
  const kind = category ? `${category}，` : '';
  return `案件 ${c.number}「${summary}」（${kind}${urgencyName(c.parsed.urgency)}）`;
}

/** "还剩 2小时" / "时限已到" / "已超时 35分钟", measured at `now`. */
export function dueStatus(due: Date, now: Date): string {
  const left = due.getTime() - now.getTime();
  if (left > 1000) return `还剩 ${formatSpan(left)}`;
  if (left > -1000) return '时限已到';
  return `已超时 ${formatSpan(-left)}`;
}

export interface NoticeText {
  /** One line for the timeline and for later escalations' history. */
  summary: string;
  content: string;
}

export interface NoticeInput {
  case: Case;
  slot: DeadlineSlot;
  alert: PlannedAlert;
  now: Date;
  timeZone: string;
  /** Department or place the limit is on, e.g. 住建局. */
  ownerName: string;
  /** Names shown in the text where the channel cannot @-mention. */
  namedPeople: readonly string[];
  history: readonly DeadlineHistoryItem[];
}

function headline(alert: PlannedAlert): string {
  switch (alert.type) {
    case 'reminder': return '【催办提醒】';
    case 'due': return '【时限已到】';
    case 'overdue': return '【超时催办】';
    case 'escalation': return `【督办升级·${alert.escalateTo ? ESCALATION_TARGET_NAMES[alert.escalateTo] : ''}】`;
  }
}

export function noticeText(input: NoticeInput): NoticeText {
  const { slot, alert, now } = input;
  const stage = STAGE[slot.kind];
  const status = dueStatus(slot.due, now);
  const deadline = formatChinaTime(slot.due, 'written', input.timeZone);
  const summary = `${alert.type === 'escalation' ? '督办升级' : '催办'}：${input.ownerName}${stage.name}${status}`;
  const lines = [`${headline(alert)}${caseLabel(input.case)}`, `${input.ownerName}${stage.name}${status}（期限 ${deadline}）。`];
  const mentions = input.namedPeople.map((n) => `@${n}`).join(' ');
  const ask = alert.type === 'escalation' ? `督促${input.ownerName}尽快${stage.action}` : `尽快${stage.action}`;
  lines.push(mentions ? `请 ${mentions} ${ask}。` : `请${ask}。`);
  if (alert.type === 'escalation') {
    lines.push('办理经过：');
    for (const item of input.history.slice(-12)) lines.push(`· ${formatChinaTime(item.at, 'written', input.timeZone)} ${item.text}`);
  }
  return { summary, content: lines.join('\n') };
}

/** The case's story so far, from its timeline, for an escalation. */
export function caseHistory(c: Case): DeadlineHistoryItem[] {
  return c.timeline.map((e) => {
    const summary = e.details.summary;
    if (typeof e.details[DEADLINE_KEY_DETAIL] === 'string' && typeof summary === 'string') return { at: e.at, text: summary };
    const departments = e.details.departments;
    if (e.type === 'whistled' && typeof departments === 'string') return { at: e.at, text: `吹哨派单：${departments.split(',').map(departmentName).join('、')}` };
    const who = e.deptCode !== undefined ? departmentName(e.deptCode) : (e.actorName ?? '');
    return { at: e.at, text: `${EVENT_LABEL[e.type] ?? e.type}${who ? `（${who}）` : ''}` };
  });
}

const EVENT_LABEL: Partial<Record<string, string>> = {
  created: '受理',
  whistled: '吹哨派单',
  accepted: '接哨报到',
  returned: '退回',
  feedback: '反馈办理结果',
  verified: '核实结项',
  reopened: '核实未解决，重新办理',
  extension_requested: '申请延期',
  extension_decided: '延期审批',
  escalated_to_street: '上报街道',
  merged: '合并',
  cancelled: '撤销',
};
