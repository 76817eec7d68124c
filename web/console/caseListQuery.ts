import { z } from 'zod';
import { OPEN_CASE_STATES, type CaseState } from '../../src/cases/types';
import type { CaseQuery } from '../../src/console/caseQuery';
import { zonedInstant, addDays } from '../../src/sla/timeZone';
import { URGENCIES } from '../../src/taxonomy';
import { parseInChinese } from '../chineseValidation';
import { ValidationError } from '../errors';

const STATES = ['triage', 'community', 'whistled', 'in_progress', 'awaiting_verification', 'closed', 'cancelled', 'merged'] as const;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2026-11-01');
const text = z.string().trim().min(1).max(100);

const listSchema = z.object({
  state: z.union([z.enum([...STATES, 'open']), z.string().regex(/^[a-z_]+(,[a-z_]+)+$/)]).optional(),
  category: text.optional(),
  urgency: z.enum(URGENCIES as unknown as [string, ...string[]]).optional(),
  dept: text.optional(),
  street: text.optional(),
  community: text.optional(),
  from: date.optional(),
  to: date.optional(),
  light: z.enum(['red', 'yellow']).optional(),
  hard: z.enum(['1', '0']).optional(),
  q: text.optional(),
  sort: z.enum(['createdAt', 'number', 'urgency', 'due', 'updatedAt']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

const LABELS: Record<string, string> = {
  state: '状态', category: '类别', urgency: '紧急程度', dept: '部门', street: '街道', community: '社区', from: '起始日期', to: '截止日期',
  light: '红黄灯', hard: '疑难件', q: '搜索', sort: '排序', order: '顺序', page: '页码', pageSize: '每页条数',
};

function states(value: string | undefined): CaseState[] | undefined {
  if (value === undefined) return undefined;
  if (value === 'open') return [...OPEN_CASE_STATES];
  const list = value.split(',');
  const unknown = list.filter((s) => !(STATES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new ValidationError(`未知的状态：${unknown.join('、')}`);
  return list as CaseState[];
}

/** The case list's query string: filters, search, sort and page (dates are whole days in the district's zone). */
export function parseCaseListQuery(query: Record<string, unknown>, timeZone: string): CaseQuery {
  const flat = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== ''));
  const p = parseInChinese(listSchema, flat, {
    labels: LABELS,
    showKey: true,
    invalid: (issues) => new ValidationError(issues.map((i) => i.message).join('；'), { issues }),
  });
  const picked = states(p.state);
  return {
    ...(picked && { states: picked }),
    ...(p.category !== undefined && { category: p.category }),
    ...(p.urgency !== undefined && { urgency: p.urgency as CaseQuery['urgency'] }),
    ...(p.dept !== undefined && { deptCode: p.dept }),
    ...(p.street !== undefined && { streetId: p.street }),
    ...(p.community !== undefined && { communityId: p.community }),
    ...(p.from !== undefined && { from: zonedInstant(p.from, 0, timeZone) }),
    ...(p.to !== undefined && { to: zonedInstant(addDays(p.to, 1), 0, timeZone) }),
    ...(p.light !== undefined && { light: p.light }),
    ...(p.hard !== undefined && { hardCase: p.hard === '1' }),
    ...(p.q !== undefined && { q: p.q }),
    sort: p.sort,
    order: p.order,
    page: p.page,
    pageSize: p.pageSize,
  };
}
