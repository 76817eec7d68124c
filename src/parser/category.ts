import type { CategoryVocab } from './vocab';
import { KeywordTrie } from './trie';
import type { ProblemMention } from './types';
import { isEmergencyNumber, trailingEmergencyNumber } from './numbers';
import type { WordBoundaries } from './segmenter';

/**
 * A cue this short must be a word of its own in the segmented text: 狗 in 挂羊头卖狗肉, 电力 in 电力局,
 * 洞 in 水洞底镇 are not the problem the message names.
 */
const WORD_CHECK_MAX = 2;

interface Weighted {
  category: string;
  weight: number;
}

export interface CategoryHit {
  category: string;
  weight: number;
  word: string;
  start: number;
  end: number;
}

export interface CategoryResult {
  category: string;
  score: number;
  runnerUpScore: number;
  words: string[];
  problems: ProblemMention[];
}

export const OTHER = 'other';

export interface ScoringContext {
  /** Strong emergency cues: the category they are about gets `boost`. */
  cues?: ReadonlyArray<{ start: number; word: string }>;
  /** Spans the text denies (没有着火): words there count for nothing. */
  denied?: ReadonlyArray<[number, number]>;
  /** Evidence found by other means (a licence plate says parking). */
  extra?: readonly CategoryHit[];
  /** Word boundaries of the segmented text, when a segmenter is configured. */
  boundaries?: WordBoundaries | null;
  boost?: number;
}

const CLAUSE_BREAK = /[,.!?;，。！？；\n]|还有|另外|而且|并且|同时|以及|再就是|顺便/g;

/** Spans of text between clause breaks, so that each named problem can be told apart. */
export function clauseSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(text); m; m = CLAUSE_BREAK.exec(text)) {
    if (m.index > start) spans.push([start, m.index]);
    start = m.index + m[0].length;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans;
}

const BOOST_REACH = 10;
const FIRST_MENTION_BONUS = 1;
const STRONG_WEIGHT = 3;
const PLACE_WEIGHT = 1;

/**
 * The strong category word an emergency cue is about: the cue itself when it is one, else the nearest strong
 * word, preferring its own clause (树枝伸到电线上了，一刮风就打火 is about the wires).
 */
function subjectOfCue(
  spans: ReadonlyArray<[number, number]>,
  hits: readonly CategoryHit[],
  start: number,
  end: number,
): CategoryHit | undefined {
  const span = spans.find(([from, to]) => from <= start && start < to);
  let best: CategoryHit | undefined;
  let bestDistance = Infinity;
  for (const hit of hits) {
    if (hit.weight < STRONG_WEIGHT) continue;
    // Overlapping the cue (电线着火 holds 电线 and 着火): the heavier word is the subject.
    const inside = hit.start < end && start < hit.end;
    const gap = inside ? 0 : hit.start >= end ? hit.start - end : start - hit.end;
    const sameClause = span !== undefined && hit.start >= span[0] && hit.start < span[1];
    const distance = inside ? -hit.weight : sameClause ? gap : gap + BOOST_REACH;
    if (distance > 2 * BOOST_REACH) continue;
    if (distance < bestDistance) {
      best = hit;
      bestDistance = distance;
    }
  }
  return best;
}

export class CategoryScorer {
  private readonly trie = new KeywordTrie<Weighted | null>();
  private readonly negators: readonly string[];
  private readonly placeMarkers = new KeywordTrie<true>();

  constructor(vocab: CategoryVocab) {
    this.negators = vocab.categoryNegators;
    for (const word of vocab.placeMarkers) this.placeMarkers.add(word, true);
    for (const [category, tiers] of Object.entries(vocab.categories)) {
      const weights = new Map<string, number>();
      for (const [tier, words] of Object.entries(tiers)) {
        const weight = vocab.weights[tier];
        if (weight === undefined) throw new Error(`categories.json: unknown tier "${tier}" in "${category}"`);
        for (const word of words) weights.set(word, Math.max(weight, weights.get(word) ?? 0));
      }
      // Longest match swallows the words inside a phrase, so a phrase is worth at least its best inner word
      // (燃气泄漏 counts like 燃气).
      for (const [word, weight] of weights) {
        let best = weight;
        for (const [inner, innerWeight] of weights) if (innerWeight > best && word.includes(inner)) best = innerWeight;
        this.trie.add(word, { category, weight: best });
      }
    }
    for (const word of vocab.neutral) this.trie.add(word, null);
  }

  hits(text: string, boundaries: WordBoundaries | null = null): CategoryHit[] {
    const found: CategoryHit[] = [];
    for (const hit of this.trie.scan(text)) {
      if (boundaries && hit.word.length <= WORD_CHECK_MAX && !(boundaries[hit.start] === 1 && boundaries[hit.end] === 1)) continue;
      const number = trailingEmergencyNumber(hit.word, hit.start);
      if (number && !isEmergencyNumber(text, number[0], number[1])) continue;
      // 垃圾站边上的老鼠: a word that only says where (X附近, X旁边) is weak evidence of its own category.
      const place = this.marksPlace(text, hit.end);
      for (const v of hit.values) {
        if (v === null) continue;
        found.push({
          category: v.category,
          weight: place ? Math.min(v.weight, PLACE_WEIGHT) : v.weight,
          word: hit.word,
          start: hit.start,
          end: hit.end,
        });
      }
    }
    return found;
  }

  private marksPlace(text: string, end: number): boolean {
    const at = text.charAt(end) === '的' ? end + 1 : end;
    return this.placeMarkers.endAt(text, at) >= 0;
  }

  /**
   * The main category: the highest total, where the subject of an emergency cue gets `boost` (the dangerous
   * problem is the main one) and the first strong word a small head start. Ties go to the earliest word.
   */
  score(text: string, context: ScoringContext = {}): CategoryResult {
    const { cues = [], denied = [], extra = [], boost = 3, boundaries = null } = context;
    const hits = [
      ...this.hits(text, boundaries).filter(
        (h) => !denied.some(([start, end]) => h.start < end && start < h.end) && !this.isNegated(text, h.start),
      ),
      ...extra,
    ].sort((a, b) => a.start - b.start);
    const totals = new Map<string, { score: number; first: number; words: string[] }>();
    for (const hit of hits) {
      const entry = totals.get(hit.category) ?? { score: 0, first: hit.start, words: [] };
      entry.score += hit.weight;
      entry.words.push(hit.word);
      totals.set(hit.category, entry);
    }
    // The text's clauses, found once for the problems and every cue.
    const spans = clauseSpans(text);
    const problems = this.problemsByClause(spans, hits);
    const boosted = new Set<string>();
    for (const cue of cues) {
      const subject = subjectOfCue(spans, hits, cue.start, cue.start + cue.word.length);
      if (!subject || boosted.has(subject.category)) continue;
      boosted.add(subject.category);
      const entry = totals.get(subject.category);
      if (entry) entry.score += boost;
    }
    // People name the main problem first: the first strong word gets a small head start.
    const firstStrong = hits.find((h) => h.weight >= STRONG_WEIGHT);
    const firstEntry = firstStrong ? totals.get(firstStrong.category) : undefined;
    if (firstEntry) firstEntry.score += FIRST_MENTION_BONUS;
    const ranked = [...totals.entries()].sort((a, b) => b[1].score - a[1].score || a[1].first - b[1].first);
    const [top, second] = ranked;
    if (!top) return { category: OTHER, score: 0, runnerUpScore: 0, words: [], problems: [] };
    const main = top[0];
    const distinct = new Map<string, ProblemMention>();
    for (const p of problems) {
      const existing = distinct.get(p.category);
      if (existing) {
        existing.score += p.score;
        existing.words.push(...p.words);
      } else {
        distinct.set(p.category, { category: p.category, score: p.score, words: [...p.words] });
      }
    }
    const mainProblem = distinct.get(main) ?? { category: main, score: top[1].score, words: top[1].words };
    distinct.delete(main);
    return {
      category: main,
      score: top[1].score,
      runnerUpScore: second?.[1].score ?? 0,
      words: top[1].words,
      problems: [mainProblem, ...[...distinct.values()].filter((p) => p.score >= 3)],
    };
  }

  /** 不是燃气的问题: the word right after the denial is no evidence. */
  private isNegated(text: string, start: number): boolean {
    return this.negators.some((n) => text.startsWith(n, start - n.length));
  }

  /** `hits` sorted by start, `spans` in text order and apart: each clause's hits are the next run of hits. */
  private problemsByClause(
    spans: ReadonlyArray<[number, number]>,
    hits: CategoryHit[],
  ): Array<ProblemMention & { span: [number, number] }> {
    const result: Array<ProblemMention & { span: [number, number] }> = [];
    let next = 0;
    for (const span of spans) {
      while (next < hits.length && (hits[next] as CategoryHit).start < span[0]) next++;
      const totals = new Map<string, { score: number; words: string[] }>();
      for (; next < hits.length && (hits[next] as CategoryHit).start < span[1]; next++) {
        const hit = hits[next] as CategoryHit;
        const entry = totals.get(hit.category) ?? { score: 0, words: [] };
        entry.score += hit.weight;
        entry.words.push(hit.word);
        totals.set(hit.category, entry);
      }
      const best = [...totals.entries()].sort((a, b) => b[1].score - a[1].score)[0];
      if (best) result.push({ category: best[0], score: best[1].score, words: best[1].words, span });
    }
    return result;
  }
}
