import type { ChatterVocab } from './vocab';
import { KeywordTrie } from './trie';

const FILLER = /[\s,.!?~。，！？、…:;：；"'()（）\-_=+*#@&%^$<>《》【】「」]|啊|呀|哈|啦|呢|哦|嘛|吧|的|了/g;

/**
 * Every alternative of FILLER matches one UTF-16 code unit, so removing its matches is removing the units it
 * matches on their own: one byte per code unit, asked of FILLER itself once, on first use.
 */
let fillerUnits: Uint8Array | undefined;

function withoutFiller(text: string): string {
  if (!fillerUnits) {
    const one = new RegExp(`^(?:${FILLER.source})$`);
    fillerUnits = new Uint8Array(0x10000);
    for (let c = 0; c < 0x10000; c++) if (one.test(String.fromCharCode(c))) fillerUnits[c] = 1;
  }
  const units = fillerUnits;
  let out = '';
  let kept = 0;
  for (let i = 0; i < text.length; i++) {
    if (units[text.charCodeAt(i)] === 1) {
      if (i > kept) out += text.slice(kept, i);
      kept = i + 1;
    }
  }
  return kept === 0 ? text : out + text.slice(kept);
}

export class ChatterDetector {
  private readonly phrases = new KeywordTrie<true>();
  private readonly greetings: ReadonlySet<string>;
  private readonly verbs = new KeywordTrie<true>();

  constructor(vocab: ChatterVocab) {
    for (const p of vocab.phrases) this.phrases.add(p.toLowerCase(), true);
    for (const v of vocab.reportVerbs) this.verbs.add(v, true);
    this.greetings = new Set(vocab.greetings.map((g) => g.toLowerCase()));
  }

  /** True when the whole message is made of chat phrases (你好, 好的谢谢, 收到!!) and nothing else. */
  isChatter(text: string): boolean {
    const core = withoutFiller(text.toLowerCase());
    if (core.length === 0) return true;
    return this.coveredBy(core, this.phrases);
  }

  isGreeting(text: string): boolean {
    const core = withoutFiller(text.toLowerCase());
    if (core.length === 0) return false;
    return this.phrases.scan(core).some((hit) => this.greetings.has(hit.word)) && this.coveredBy(core, this.phrases);
  }

  hasReportVerb(text: string): boolean {
    // The first position where a verb starts is the first hit `scan` would give: no need to scan on.
    for (let i = 0; i < text.length; i++) if (this.verbs.endAt(text, i) >= 0) return true;
    return false;
  }

  /** Whether `scan` would find hits end to end from the start: walked hit by hit, stopping at the first gap. */
  private coveredBy(text: string, trie: KeywordTrie<true>): boolean {
    let covered = 0;
    while (covered < text.length) {
      const end = trie.endAt(text, covered);
      if (end < 0) return false;
      covered = end;
    }
    return true;
  }
}
