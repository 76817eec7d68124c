import type { ActionabilityVocab } from './vocab';
import type { Actionability } from './types';
import { KeywordTrie } from './trie';

/**
 * Why a message asks no department here to fix anything: a consultation or policy question, or a matter
 * another body owns (schools, pensions, planning, personnel). Told to the dispatcher beside `other`.
 */
const OPENING = 30;

export class ActionabilityExplainer {
  /** Each matter's words, to the matter's place in `vocab.groups`. */
  private readonly matters = new KeywordTrie<number>();
  private readonly questions = new KeywordTrie<true>();

  constructor(private readonly vocab: ActionabilityVocab) {
    vocab.groups.forEach((g, i) => {
      for (const w of g.words) this.matters.add(w, i);
    });
    for (const w of vocab.consultation) this.questions.add(w, true);
  }

  /** The opening (a letter's title, a report's first words) names a matter another body owns. */
  opensWithMatter(text: string): boolean {
    return this.matters.occurring(text.slice(0, OPENING)).size > 0;
  }

  explain(text: string, category: string): Actionability {
    if (category !== 'other') return { actionable: true, reason: null, matter: null };
    const question = this.questions.occurring(text).size > 0;
    // The first matter in the vocabulary's order that the text names.
    const named = this.matters.occurring(text);
    const group = this.vocab.groups.find((_g, i) => named.has(i));
    const reason = group?.reason ?? this.vocab.fallback;
    return { actionable: false, matter: group?.code ?? null, reason: question ? `咨询或政策问题：${reason}` : reason };
  }
}
