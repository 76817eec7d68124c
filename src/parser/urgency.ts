import type { Urgency } from '../taxonomy';
import type { UrgencyVocab } from './vocab';
import { KeywordTrie } from './trie';
import { isEmergencyNumber, trailingEmergencyNumber } from './numbers';

type CueKind = 'emergency' | 'key';

interface Cue {
  kind: CueKind;
  weight: number;
}

export interface UrgencyCue {
  kind: CueKind;
  word: string;
  start: number;
  /** 2 for a strong cue, 1 for a weak one. */
  weight: number;
}

export interface UrgencyResult {
  urgency: Urgency;
  emergencyScore: number;
  keyScore: number;
  /** Cues that counted, in text order. */
  cues: UrgencyCue[];
  /** Spans of danger words the text denies (没有着火): they are no evidence of a category either. */
  negated: Array<[number, number]>;
}

const STRONG = 2;
const WEAK = 1;

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 几: 3, 好几: 3, 半: 0.5, 十几: 15, 几十: 30, 好多: 5, 多: 2,
};

function readCount(raw: string): number {
  if (/^\d+$/.test(raw)) return Number(raw);
  const direct = CHINESE_DIGITS[raw];
  if (direct !== undefined) return direct;
  const tens = /^([二三四五六七八九])?十([一二三四五六七八九])?$/.exec(raw);
  if (tens) return (tens[1] ? (CHINESE_DIGITS[tens[1]] ?? 1) : 1) * 10 + (tens[2] ? (CHINESE_DIGITS[tens[2]] ?? 0) : 0);
  return 0;
}

const COUNT = '(\\d+|[一二两三四五六七八九十几半好多]+)';

export class UrgencyClassifier {
  private readonly trie = new KeywordTrie<Cue | null>();
  private readonly patterns: ReadonlyArray<{ kind: CueKind; pattern: RegExp }>;
  private readonly longUnits: RegExp;
  private readonly days: RegExp;

  constructor(private readonly vocab: UrgencyVocab) {
    for (const kind of ['emergency', 'key'] as const) {
      for (const w of vocab[kind].strong) this.trie.add(w, { kind, weight: STRONG });
      for (const w of vocab[kind].weak) this.trie.add(w, { kind, weight: WEAK });
    }
    for (const w of vocab.neutral) this.trie.add(w, null);
    // One alternation per kind: a single pass over the text instead of one per pattern.
    this.patterns = (['emergency', 'key'] as const)
      .filter((kind) => vocab.patterns[kind].length > 0)
      .map((kind) => ({ kind, pattern: new RegExp(vocab.patterns[kind].map((p) => `(?:${p})`).join('|'), 'g') }));
    const units = [...vocab.durations.units].sort((a, b) => b.length - a.length).join('|');
    const leadIns = vocab.durations.leadIns.join('|');
    this.longUnits = new RegExp(`(?:(?:${leadIns})${COUNT}(${units})|${COUNT}(${units})(?:了|多|之久|以上|都|还|没|来|啦|时间))`, 'g');
    this.days = new RegExp(`${COUNT}(?:多)?天(?:了|多|以上|都|还|没|啦)`, 'g');
  }

  classify(text: string): UrgencyResult {
    const cues: UrgencyCue[] = [];
    const negated: Array<[number, number]> = [];
    const overlaps = (start: number, end: number): boolean =>
      cues.some((c) => start < c.start + c.word.length && c.start < end);
    const count = (cue: UrgencyCue): void => {
      cues.push(cue);
    };
    // Patterns first: 随时可能倒 must win over the weak 随时 inside it.
    for (const { kind, pattern } of this.patterns) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        if (m[0].length === 0) break;
        if (overlaps(m.index, m.index + m[0].length)) continue;
        if (kind === 'emergency' && this.isDiscounted(text, m.index, m.index + m[0].length, negated)) continue;
        // 电动车充电，容易着火: the hypothetical may sit inside a long pattern.
        if (kind === 'emergency' && this.hypotheticalInside(m[0])) continue;
        if (kind === 'emergency' && !this.callsForHelp(text, m[0], m.index)) continue;
        count({ kind, word: m[0], start: m.index, weight: STRONG });
      }
    }
    for (const hit of this.trie.scan(text)) {
      const cue = hit.values[0];
      if (!cue || overlaps(hit.start, hit.end)) continue;
      if (cue.kind === 'emergency' && this.isDiscounted(text, hit.start, hit.end, negated)) continue;
      if (cue.kind === 'emergency' && !this.callsForHelp(text, hit.word, hit.start)) continue;
      count({ kind: cue.kind, word: hit.word, start: hit.start, weight: cue.weight });
    }
    for (const duration of this.durations(text)) {
      if (!overlaps(duration.start, duration.start + duration.word.length)) count(duration);
    }
    cues.sort((a, b) => a.start - b.start);
    const sum = (kind: CueKind): number => cues.filter((c) => c.kind === kind).reduce((s, c) => s + c.weight, 0);
    const emergencyScore = sum('emergency');
    const keyScore = sum('key');
    const urgency: Urgency =
      emergencyScore >= this.vocab.emergencyThreshold ? 'emergency' : keyScore >= this.vocab.keyThreshold ? 'key' : 'daily';
    return { urgency, emergencyScore, keyScore, cues, negated };
  }

  /** A cue ending in 110/119/120 counts only when the number is a call, not part of an address or a price. */
  private callsForHelp(text: string, word: string, start: number): boolean {
    const number = trailingEmergencyNumber(word, start);
    return number === null || isEmergencyNumber(text, number[0], number[1]);
  }

  private hypotheticalInside(match: string): boolean {
    return (
      this.vocab.hypotheticals.some((h) => match.includes(h)) && !this.vocab.imminence.some((w) => match.includes(w))
    );
  }

  private isNegated(text: string, start: number): boolean {
    // 是不是漏气了 is a suspicion, not a denial.
    const near = text.slice(Math.max(0, start - this.vocab.negationWindow), start).replace('是不是', '');
    return this.vocab.negators.some((n) => near.includes(n));
  }

  /** 没有着火 (negated) and 容易着火 (only a hazard) are not emergencies, unless 随时/正在 says it is imminent. */
  private isDiscounted(text: string, start: number, end: number, negated: Array<[number, number]>): boolean {
    if (this.isNegated(text, start)) {
      negated.push([start, end]);
      return true;
    }
    // A hypothetical reaches back within its own sentence only.
    const window = text.slice(Math.max(0, start - this.vocab.hypotheticalWindow), start);
    const before = window.slice(window.search(/[。!?;；][^。!?;；]*$/) + 1);
    if (!this.vocab.hypotheticals.some((h) => before.includes(h))) return false;
    return !this.vocab.imminence.some((w) => before.includes(w));
  }

  private durations(text: string): UrgencyCue[] {
    const found: UrgencyCue[] = [];
    this.longUnits.lastIndex = 0;
    for (let m = this.longUnits.exec(text); m; m = this.longUnits.exec(text)) {
      if (readCount(m[1] ?? m[3] ?? '') > 0 && !this.measuresSomethingElse(text, m.index)) {
        found.push({ kind: 'key', word: m[0], start: m.index, weight: STRONG });
      }
    }
    this.days.lastIndex = 0;
    for (let m = this.days.exec(text); m; m = this.days.exec(text)) {
      if (readCount(m[1] ?? '') >= this.vocab.durations.dayThreshold && !this.measuresSomethingElse(text, m.index)) {
        found.push({ kind: 'key', word: m[0], start: m.index, weight: STRONG });
      }
    }
    return found;
  }

  /** 过期了两个月 or 扣了一个月工资: the duration is not how long the problem has lasted. */
  private measuresSomethingElse(text: string, start: number): boolean {
    return this.vocab.durations.ignoreAfter.some((w) => text.startsWith(w, start - w.length));
  }
}
