import { formatChinaTime } from '../../src/chinaTime';
import { PARTICIPANT_KIND_NAMES } from '../../src/alliance/types';
import type { ParticipantYear } from '../../src/alliance/yearlyFigures';

/** A report as rows, so the .xlsx and the printable page say exactly the same thing. */
export interface ReportData {
  title: string;
  /** Label/value lines above the table. */
  facts: [string, string][];
  table: { head: string[]; rows: (string | number)[][] };
  /** A second table (a unit's members). */
  members?: { head: string[]; rows: (string | number)[][] };
  conclusion: string;
}

type Ranked = ParticipantYear & { rank: number };

function serviceTable(year: ParticipantYear, timeZone: string): ReportData['table'] {
  return {
    head: ['日期', '活动', '时长（小时）', '积分', '核定说明'],
    rows: year.lines.map((l) => [formatChinaTime(l.startsAt, 'date', timeZone), l.title, l.hours, l.points, l.correction ?? '']),
  };
}

function conclusionOf(year: ParticipantYear): string {
  const quota = year.quota ? `${year.quota.text}，${year.quota.met ? '达到' : '未达到'}年度报到要求` : '无年度报到要求';
  return `${quota}；本年度积分 ${year.points}，星级 ${'★'.repeat(year.stars)}${'☆'.repeat(Math.max(0, 5 - year.stars))}。`;
}

/** 双报到评价鉴定: one member's year, for the organisation they belong to. */
export function memberAppraisal(year: Ranked, yearNumber: number, timeZone: string): ReportData {
  const p = year.participant;
  return {
    title: `${yearNumber} 年度双报到评价鉴定 — ${p.name}`,
    facts: [
      ['姓名 / 名称', p.name],
      ['类别', PARTICIPANT_KIND_NAMES[p.kind]],
      ['所在组织（接收鉴定）', p.homeOrganisation ?? '—'],
      ['报到社区', p.communityId ?? p.streetId ?? '—'],
      ['参加活动', `${year.activities} 次`],
      ['服务时长', `${year.hours} 小时`],
      ['积分 / 星级', `${year.points} 分 / ${year.stars} 星`],
      ['年度进度', year.quota?.text ?? '—'],
      ['排名', `第 ${year.rank} 名`],
    ],
    table: serviceTable(year, timeZone),
    conclusion: conclusionOf(year),
  };
}

/** A unit's (or party organisation's) yearly record, with its members. */
export function unitRecord(year: Ranked, members: readonly Ranked[], yearNumber: number, timeZone: string): ReportData {
  const p = year.participant;
  return {
    title: `${yearNumber} 年度报到记录 — ${p.name}`,
    facts: [
      ['单位 / 组织', p.name],
      ['类别', PARTICIPANT_KIND_NAMES[p.kind]],
      ['单位自身参加', `${year.activities} 次，${year.hours} 小时`],
      ['成员', `${year.members?.count ?? 0} 人，合计 ${year.members?.hours ?? 0} 小时`],
      ['参与活动（含成员）', `${year.members?.activities ?? year.activities} 次`],
      ['年度进度', year.quota?.text ?? '—'],
      ['积分 / 星级', `${year.points} 分 / ${year.stars} 星`],
    ],
    table: serviceTable(year, timeZone),
    members: {
      head: ['成员', '类别', '时长（小时）', '积分', '年度进度'],
      rows: members.map((m) => [m.participant.name, PARTICIPANT_KIND_NAMES[m.participant.kind], m.hours, m.points, m.quota?.text ?? '—']),
    },
    conclusion: conclusionOf(year),
  };
}
