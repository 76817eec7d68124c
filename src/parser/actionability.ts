import type { ActionabilityVocab } from './vocab';
import type { Actionability } from './types';

/**
 * Why a message asks no department here to fix anything: a consultation or policy question, or a matter
 * another body owns (schools, pensions, planning, personnel). Told to the dispatcher beside `other`.
 */
const OPENING = 30;

export class ActionabilityExplainer {
  constructor(private readonly vocab: ActionabilityVocab) {}

  /** The opening (a letter's title, a report's first words) names a matter another body owns. */
  opensWithMatter(text: string): boolean {
    const opening = text.slice(0, OPENING);
    return this.vocab.groups.some((g) => g.words.some((w) => opening.includes(w)));
  }

  explain(text: string, category: string): Actionability {
    if (category !== 'other') return { actionable: true, reason: null, matter: null };
    const question = this.vocab.consultation.some((w) => text.includes(w));
    const group = this.vocab.groups.find((g) => g.words.some((w) => text.includes(w)));
    const reason = group?.reason ?? this.vocab.fallback;
    return { actionable: false, matter: group?.code ?? null, reason: question ? `咨询或政策问题：${reason}` : reason };
  }
}
