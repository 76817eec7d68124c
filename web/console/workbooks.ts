import type ExcelJS from 'exceljs';
import type { SummaryView } from './presenters';
import type { ReportRow } from './report';

/** exceljs is loaded on the first export, not at start: it costs a third of a second of CPU to load. */
async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const loaded = await import('exceljs');
  // A CommonJS package: native import() puts it under `default`, compiled require() does not.
  const Workbook = (loaded.default as typeof loaded | undefined)?.Workbook ?? loaded.Workbook;
  const workbook = new Workbook();
  workbook.creator = 'whistlebot';
  return workbook;
}

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const LIGHT_NAMES = { red: '红灯（超期）', yellow: '黄灯（临期）', none: '' } as const;

/** The case list as shown (same filter and order), one row a case. */
export async function casesWorkbook(rows: readonly SummaryView[], title: string): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet('案件');
  sheet.columns = [
    { header: '案件编号', key: 'number', width: 14 },
    { header: '状态', key: 'stateName', width: 10 },
    { header: '类别', key: 'categoryName', width: 14 },
    { header: '紧急程度', key: 'urgencyName', width: 10 },
    { header: '地点', key: 'locationText', width: 30 },
    { header: '街道', key: 'streetName', width: 12 },
    { header: '社区', key: 'communityName', width: 12 },
    { header: '承办部门', key: 'departments', width: 24 },
    { header: '红黄灯', key: 'light', width: 12 },
    { header: '当前期限', key: 'due', width: 20 },
    { header: '上报时间', key: 'createdAt', width: 20 },
  ];
  for (const r of rows) {
    sheet.addRow({
      ...r,
      departments: r.departments.map((d) => d.name).join('、'),
      light: LIGHT_NAMES[r.light],
      due: r.due ? new Date(r.due) : null,
      createdAt: new Date(r.createdAt),
    });
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  workbook.title = title;
  return toBuffer(workbook);
}

export const REPORT_COLUMNS: { header: string; key: keyof ReportRow; width: number }[] = [
  { header: '部门', key: 'deptName', width: 16 },
  { header: '部门代码', key: 'deptCode', width: 12 },
  { header: '接哨数', key: 'whistlesReceived', width: 8 },
  { header: '按时响应', key: 'acceptedOnTime', width: 9 },
  { header: '响应率', key: 'responseRate', width: 9 },
  { header: '办结', key: 'done', width: 7 },
  { header: '按时办结', key: 'doneOnTime', width: 9 },
  { header: '按时办结率', key: 'onTimeCompletionRate', width: 11 },
  { header: '结案', key: 'closed', width: 7 },
  { header: '已解决', key: 'solved', width: 8 },
  { header: '解决率', key: 'resolutionRate', width: 9 },
  { header: '评价数', key: 'rated', width: 8 },
  { header: '满意率', key: 'satisfactionRate', width: 9 },
  { header: '退回', key: 'returns', width: 7 },
  { header: '重新办理', key: 'reopens', width: 9 },
  { header: '吹哨合理率', key: 'whistleReasonableRate', width: 11 },
  { header: '街道评价数', key: 'streetRated', width: 10 },
  { header: '街道评价满意率', key: 'streetSatisfactionRate', width: 13 },
  { header: '综合得分', key: 'score', width: 9 },
  { header: '排名', key: 'rank', width: 6 },
];

/** 月度考核报表: a sheet of the departments' figures (the stats API's numbers) and one of the month's facts. */
export async function reportWorkbook(report: { title: string; period: { from: string; to: string }; weights: string; rows: readonly ReportRow[]; totals: Record<string, number> }): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet('部门考核');
  sheet.columns = REPORT_COLUMNS;
  for (const row of report.rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const key of ['responseRate', 'onTimeCompletionRate', 'resolutionRate', 'satisfactionRate', 'whistleReasonableRate', 'streetSatisfactionRate']) sheet.getColumn(key).numFmt = '0.00%';
  const about = workbook.addWorksheet('说明');
  about.addRows([
    ['报表', report.title],
    ['统计区间（含起，不含止）', report.period.from, report.period.to],
    ['综合得分权重', report.weights],
    ...Object.entries(report.totals).map(([k, v]) => [k, v]),
  ]);
  return toBuffer(workbook);
}
