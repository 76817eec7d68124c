import { classifyIntent } from '../../../src/conversation/intent';
import type { ConversationIntent } from './ports';

/** The case number as people type it (2026-000123, 2026—000123, 2026 / 000123). */
const TYPED_NUMBER = /20\d{2}\s*[-_/—–－]\s*\d{6}/;
const RETURN_WORDS = /^退回|不属于/;
const EXTENSION_WORDS = /延期/;

/** The text around the case number, as written: what the department reports or asks. */
function withoutNumber(text: string): string {
  return text.replace(TYPED_NUMBER, ' ').replace(/^[\s,，:：。]+/, '').trim();
}

/**
 * The shared classifier (`src/conversation/intent`) read for the conversation. It knows one
 * `feedback` intent; here a department's 退回/不属于 becomes a return (the lifecycle's return card
 * asks for `退回 2026-000123 理由`), 申请延期 an extension request, and 取消 with a number the
 * reporter's cancellation of a submitted case.
 */
export function conversationIntent(text: string): ConversationIntent {
  const { intent, caseNumber } = classifyIntent(text);
  const rest = withoutNumber(text);
  if (caseNumber !== null && EXTENSION_WORDS.test(rest) && intent !== 'cancel') return { kind: 'extension', number: caseNumber, text: rest };
  switch (intent) {
    case 'feedback':
      if (caseNumber === null) return { kind: 'report' };
      if (RETURN_WORDS.test(rest)) return { kind: 'return_case', number: caseNumber, reason: rest.replace(/^退回[\s,，:：]*/, '') || rest };
      return { kind: 'feedback', number: caseNumber, text: rest };
    case 'query_case':
      return caseNumber === null ? { kind: 'my_reports' } : { kind: 'query_case', number: caseNumber };
    case 'cancel':
      return caseNumber === null ? { kind: 'cancel' } : { kind: 'cancel_case', number: caseNumber };
    case 'help':
    case 'my_reports':
    case 'greeting':
    case 'chatter':
    case 'report':
      return { kind: intent };
  }
}
