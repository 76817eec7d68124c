import { categoryName, departmentName } from '../../src/labels';
import type { MpConfig, SubscribeTemplate, TemplateValueSource } from '../../config/mp';
import type { ResidentMilestone } from '../../src/cases/milestones';
import { activeAssignments, type Case } from '../../src/cases';
import type { SubscribeMessage } from './client';
import { formatChinaTime } from '../../src/chinaTime';

const STATUS: Record<ResidentMilestone, string> = { whistled: '已派发', accepted: '已受理', done: '待核实', closed: '已办结', merged: '合并办理', cancelled: '已撤销' };
const TIP: Record<ResidentMilestone, string> = {
  whistled: '您反映的问题已转交相关部门办理',
  accepted: '您反映的问题已受理，我们会尽快处理',
  done: '问题已处理，正在核实，请留意结果',
  closed: '诉求已办结，欢迎进入小程序评价',
  merged: '与同一问题合并办理，进展请看小程序',
  cancelled: '诉求已撤销，如有疑问可再次反映',
};

/** WeChat's length limits per template value type (by the key's prefix); longer values are refused with 47003. */
const MAX_LENGTH: Record<string, number> = { thing: 20, phrase: 5, character_string: 32, number: 32, letter: 32, symbol: 5, name: 10, phone_number: 17, car_number: 8 };

export function fitTemplateValue(key: string, value: string): string {
  const type = key.replace(/\d+$/, '');
  const max = MAX_LENGTH[type];
  if (max === undefined || [...value].length <= max) return value;
  return `${[...value].slice(0, max - 1).join('')}…`;
}

function valueFor(source: TemplateValueSource, c: Case, milestone: ResidentMilestone, at: Date): string {
  switch (source) {
    case 'caseNumber': return c.number;
    case 'category': return c.parsed.category === undefined ? '其他问题' : categoryName(c.parsed.category, '其他问题');
    case 'status': return STATUS[milestone];
    case 'time': return formatChinaTime(at, 'full');
    case 'departments': {
      const names = activeAssignments(c).map((a) => departmentName(a.deptCode));
      return names.length > 0 ? names.join('、') : '街道';
    }
    case 'summary': return c.text;
    case 'tip': return TIP[milestone];
  }
}

/** The subscribe message for one milestone of a resident's case, filled as the template's field map says. */
export function buildSubscribeMessage(c: Case, milestone: ResidentMilestone, template: SubscribeTemplate, subscribe: MpConfig['subscribe'], openid: string, at: Date): SubscribeMessage {
  const data: Record<string, { value: string }> = {};
  for (const [key, source] of Object.entries(template.fields)) data[key] = { value: fitTemplateValue(key, valueFor(source, c, milestone, at)) };
  return {
    touser: openid,
    templateId: template.templateId,
    page: `${subscribe.page}?id=${encodeURIComponent(c.id)}`,
    data,
    miniprogramState: subscribe.miniprogramState,
    lang: subscribe.lang,
  };
}
