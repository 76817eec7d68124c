import ExcelJS from 'exceljs';
import type { ReportData } from './reportData';

const escapeHtml = (value: string | number) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function htmlTable(table: ReportData['table']): string {
  const head = table.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = table.rows.length === 0 ? `<tr><td colspan="${table.head.length}">（无）</td></tr>` : table.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** A printable page (A4, no scripts). */
export function reportHtml(report: ReportData): string {
  const facts = report.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<style>@page{size:A4;margin:18mm}body{font-family:"Songti SC","SimSun",serif;font-size:12pt}h1{font-size:16pt;text-align:center}table{border-collapse:collapse;width:100%;margin:8pt 0}th,td{border:1px solid #333;padding:4pt 6pt;text-align:left}.sign{margin-top:24pt;display:flex;justify-content:space-between}</style>
</head><body><h1>${escapeHtml(report.title)}</h1><table class="facts">${facts}</table><h2>服务记录</h2>${htmlTable(report.table)}${report.members ? `<h2>成员</h2>${htmlTable(report.members)}` : ''}
<p>鉴定意见：${escapeHtml(report.conclusion)}</p><div class="sign"><span>报到社区（盖章）：</span><span>日期：</span></div></body></html>`;
}

/** The same report as an .xlsx workbook. */
export async function reportXlsx(report: ReportData): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'whistlebot';
  const sheet = workbook.addWorksheet('报到记录');
  sheet.addRow([report.title]).font = { bold: true, size: 14 };
  for (const [k, v] of report.facts) sheet.addRow([k, v]);
  const addTable = (table: ReportData['table']) => {
    sheet.addRow([]);
    sheet.addRow(table.head).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
  };
  addTable(report.table);
  if (report.members) addTable(report.members);
  sheet.addRow([]);
  sheet.addRow(['鉴定意见', report.conclusion]);
  sheet.columns.forEach((column, i) => (column.width = i === 1 ? 36 : 16));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
