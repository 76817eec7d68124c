import { isGreeting, isLikelyReport, normalizeReportText } from '../parser';

/** What a chat message asks for. */
export type ConversationIntent =
  | { kind: 'help' }
  | { kind: 'my_reports' }
  | { kind: 'query_case'; number: string }
  /** Drop the draft being gathered. */
  | { kind: 'cancel' }
  /** The reporter withdraws a submitted case (the state machine decides whether it still can). */
  | { kind: 'cancel_case'; number: string }
  /** A department's result for a case, in its own words. */
  | { kind: 'feedback'; number: string; text: string }
  | { kind: 'extension'; number: string; text: string }
  /** `退回 2026-000123 理由`, the reply the lifecycle's return card asks for. */
  | { kind: 'return_case'; number: string; reason: string }
  | { kind: 'greeting' }
  | { kind: 'chatter' }
  | { kind: 'report' };

/** A case number: four-digit year, a dash, six digits (2026-000123). */
export const CASE_NUMBER_PATTERN = /(?<!\d)(20\d{2})-(\d{6})(?!\d)/;
const CASE_NUMBERS = new RegExp(CASE_NUMBER_PATTERN.source, 'g');
/** The case number as people type it (2026-000123, 2026—000123, 2026 / 000123). */
const TYPED_CASE_NUMBER = /20\d{2}\s*[-_/—–－]\s*\d{6}/;

const HELP = /^(?:帮助|help|菜单|怎么用|如何使用|使用说明|说明|功能|能做什么|能干什么|怎么上报|怎么报|怎么反映|\?+)$/i;
/** Short questions about the bot itself (这个怎么用啊, 帮助一下); long texts asking for help are reports. */
const HELP_SHORT = /帮助|怎么用|怎么使用|使用说明|怎么上报|如何上报|怎么操作/;
const HELP_MAX_LENGTH = 10;
const MY_REPORTS = /我的上报|我上报的|我报的|我提交的|我反映的|我的工单|我的案件|我的记录|上报记录|我的反映/;
const QUERY = /查询|查一下|查下|查查|进度|进展|处理到哪|怎么样了|状态/;
const CANCEL = /^(?:我要|我想|请|帮我|麻烦)?(?:取消|撤销|撤回|不报了|不用报了|算了不报了|cancel)/i;
const FEEDBACK = /已处理|已完成|处理完毕|处理完成|已解决|已整改|整改完毕|已修复|修好了|已修好|已办结|办结|已清理|已清运|已到场|反馈|处置完毕|已处置|无法处理|不属于|退回|已拆除/;
const RETURN_WORDS = /^退回|不属于/;
const EXTENSION_WORDS = /延期/;

function normalizeCaseNumbers(text: string): string {
  // Users type 2026—000123 or 2026－000123; the parser's normaliser folds those dashes.
  return normalizeReportText(text).replace(/(20\d{2})\s*[-_/]\s*(\d{6})/g, '$1-$2');
}

/** The case number in a text, or null. */
export function findCaseNumber(text: string): string | null {
  const m = CASE_NUMBER_PATTERN.exec(normalizeCaseNumbers(text));
  return m ? `${m[1]}-${m[2]}` : null;
}

/** The text around the case number, as written: what the department reports or asks. */
function textAroundNumber(text: string): string {
  return text.replace(TYPED_CASE_NUMBER, ' ').replace(/^[\s,，:：。]+/, '').trim();
}

/**
 * A message naming a case. A result word makes it a department's feedback even if it also says
 * 查询 (退回/不属于 a return, 延期 an extension request); otherwise 取消 is the reporter's
 * cancellation, 延期 an extension request and anything else a query.
 */
function aboutCase(number: string, rest: string, says: { feedback: boolean; cancel: boolean }): ConversationIntent {
  if (says.cancel && !says.feedback) return { kind: 'cancel_case', number };
  if (EXTENSION_WORDS.test(rest)) return { kind: 'extension', number, text: rest };
  if (!says.feedback) return { kind: 'query_case', number };
  if (RETURN_WORDS.test(rest)) return { kind: 'return_case', number, reason: rest.replace(/^退回[\s,，:：]*/, '') || rest };
  return { kind: 'feedback', number, text: rest };
}

/** What a chat message asks for. Order matters: 取消 beats everything but a case's feedback; a problem description is a report. */
export function classifyIntent(text: string): ConversationIntent {
  const normalized = normalizeCaseNumbers(text).trim();
  const number = findCaseNumber(normalized);
  const compact = normalized.replace(/[\s,.!。，！~]/g, '');
  const cancel = CANCEL.test(compact.replace(CASE_NUMBERS, ''));
  if (number !== null) return aboutCase(number, textAroundNumber(text), { feedback: FEEDBACK.test(normalized), cancel });
  if (cancel) return { kind: 'cancel' };
  if (MY_REPORTS.test(compact)) return { kind: 'my_reports' };
  if (HELP.test(compact) || (compact.length <= HELP_MAX_LENGTH && HELP_SHORT.test(compact))) return { kind: 'help' };
  if (compact.length === 0) return { kind: 'chatter' };
  if (isGreeting(normalized)) return { kind: 'greeting' };
  if (isLikelyReport(normalized)) return { kind: 'report' };
  if (QUERY.test(compact) && compact.length <= 8) return { kind: 'my_reports' };
  return { kind: 'chatter' };
}
