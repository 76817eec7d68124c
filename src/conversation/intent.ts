import { isGreeting, isLikelyReport, normalizeReportText } from '../parser';

export type Intent = 'help' | 'my_reports' | 'query_case' | 'cancel' | 'feedback' | 'greeting' | 'chatter' | 'report';

export interface IntentResult {
  intent: Intent;
  /** The case number named in the text (2026-000123), for query_case, cancel and feedback. */
  caseNumber: string | null;
}

/** A case number: four-digit year, a dash, six digits (2026-000123). */
export const CASE_NUMBER_PATTERN = /(?<!\d)(20\d{2})-(\d{6})(?!\d)/;
export const CASE_NUMBER_RE = new RegExp(CASE_NUMBER_PATTERN.source, 'g');

const HELP = /^(?:帮助|help|菜单|怎么用|如何使用|使用说明|说明|功能|能做什么|能干什么|怎么上报|怎么报|怎么反映|\?+)$/i;
/** Short questions about the bot itself (这个怎么用啊, 帮助一下); long texts asking for help are reports. */
const HELP_SHORT = /帮助|怎么用|怎么使用|使用说明|怎么上报|如何上报|怎么操作/;
const HELP_MAX_LENGTH = 10;
const MY_REPORTS = /我的上报|我上报的|我报的|我提交的|我反映的|我的工单|我的案件|我的记录|上报记录|我的反映/;
const QUERY = /查询|查一下|查下|查查|进度|进展|处理到哪|怎么样了|状态/;
const CANCEL = /^(?:我要|我想|请|帮我|麻烦)?(?:取消|撤销|撤回|不报了|不用报了|算了不报了|cancel)/i;
const FEEDBACK = /已处理|已完成|处理完毕|处理完成|已解决|已整改|整改完毕|已修复|修好了|已修好|已办结|办结|已清理|已清运|已到场|反馈|处置完毕|已处置|无法处理|不属于|退回|已拆除/;

function normalizeCaseNumbers(text: string): string {
  // Users type 2026—000123 or 2026－000123; the parser's normaliser folds those dashes.
  return normalizeReportText(text).replace(/(20\d{2})\s*[-_/]\s*(\d{6})/g, '$1-$2');
}

/** The case number in a text, or null. */
export function findCaseNumber(text: string): string | null {
  const m = CASE_NUMBER_PATTERN.exec(normalizeCaseNumbers(text));
  return m ? `${m[1]}-${m[2]}` : null;
}

/**
 * What a chat message asks for. Order matters: a case number with a result word is a department's
 * feedback even if it also says 查询; 取消 beats everything but feedback; a problem description is a report.
 */
export function classifyIntent(text: string): IntentResult {
  const normalized = normalizeCaseNumbers(text).trim();
  const caseNumber = findCaseNumber(normalized);
  const compact = normalized.replace(/[\s,.!。，！~]/g, '');
  if (caseNumber && FEEDBACK.test(normalized)) return { intent: 'feedback', caseNumber };
  if (CANCEL.test(compact.replace(CASE_NUMBER_RE, ''))) return { intent: 'cancel', caseNumber };
  if (caseNumber) return { intent: 'query_case', caseNumber };
  if (MY_REPORTS.test(compact)) return { intent: 'my_reports', caseNumber: null };
  if (HELP.test(compact) || (compact.length <= HELP_MAX_LENGTH && HELP_SHORT.test(compact))) {
    return { intent: 'help', caseNumber: null };
  }
  if (compact.length === 0) return { intent: 'chatter', caseNumber: null };
  if (isGreeting(normalized)) return { intent: 'greeting', caseNumber: null };
  if (isLikelyReport(normalized)) return { intent: 'report', caseNumber: null };
  if (QUERY.test(compact) && compact.length <= 8) return { intent: 'my_reports', caseNumber: null };
  return { intent: 'chatter', caseNumber: null };
}
