import type { PlacesVocab } from './vocab';
import { KeywordTrie } from './trie';

type PartKind = 'named' | 'generic' | 'building' | 'unit' | 'floor' | 'room' | 'door' | 'relative' | 'distance';

interface Part {
  start: number;
  end: number;
  kind: PartKind;
  /** True for roads, so that 「A与B交叉口」 may join two of them. */
  road: boolean;
}

export interface LocationMatch {
  text: string;
  start: number;
  end: number;
  parts: string[];
  /** Spans of the proper names inside the location (建国 of 建国路): not evidence of any problem. */
  nameSpans: Array<[number, number]>;
}

const PART_SCORE: Record<PartKind, number> = {
  named: 3,
  building: 2,
  unit: 2,
  room: 1,
  door: 1,
  generic: 0.5,
  floor: 0.5,
  relative: 0.5,
  distance: 0.5,
};

/** Parts that make a location specific enough to report on their own. */
const SPECIFIC: ReadonlySet<PartKind> = new Set(['named', 'building', 'unit', 'room']);
/** A place the writer introduces (在滨河大道, 位置：清河路15号) is the one the report is about. */
const INTRODUCED_BONUS = 1.5;
/** 在菜市场门口: an unnamed landmark with a position, introduced as the place, is better than none. */
const LANDMARK_SCORE = 0.5;
const INTRODUCER_GAP = /[\s:：]*$/;

/** Parts that only extend a place already named before them. */
const TRAILING_ONLY: ReadonlySet<PartKind> = new Set(['relative', 'distance', 'door', 'floor']);

const NUM = '(?:\\d+|[一二三四五六七八九十两百]+)';
/**
 * Each pattern with the characters of which any match holds at least one (its unit words' characters): a text
 * holding none of them is not searched with that pattern.
 */
const NUMBERED: ReadonlyArray<[RegExp, PartKind, readonly string[]]> = [
  // 3-2-501 (building-unit-room); a case number such as 2026-000123 is not a place.
  [/(?<!\d)\d{1,3}-\d{1,2}(?:-\d{1,4})?(?!\d)(?:室|号)?/g, 'room', ['-']],
  [new RegExp(`(?:${NUM}|[A-Za-z])\\s*(?:号楼|号院|栋楼|栋|幢|座|号地块|期|区(?![域别长]))`, 'g'), 'building', ['号', '栋', '幢', '座', '期', '区']],
  [new RegExp(`${NUM}\\s*(?:单元|门洞|门栋|号门)`, 'g'), 'unit', ['单', '门']],
  [new RegExp(`${NUM}\\s*(?:楼|层)(?![道梯下上顶房主])`, 'g'), 'floor', ['楼', '层']],
  [
    /(?<![\d-])\d{3,4}(?![\d.\-]|\s*(?:米|元|块|个|天|年|斤|号|次|多|公里|平|万|人|辆|分|秒|点|度|吨|户|台|张|条|根|只))(?:\s*(?:室|房间|号房))?/g,
    'room',
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  ],
  [new RegExp(`${NUM}\\s*号(?![楼院门码线])`, 'g'), 'door', ['号']],
  [
    new RegExp(`(?:往|向|朝)?(?:[东西南北]{1,2}(?:侧|边|面)?)?(?:约|大概|大约)?${NUM}(?:多)?\\s*(?:米|公里|步)(?:左右|处|远)?`, 'g'),
    'distance',
    ['米', '里', '步'],
  ],
];

const ROAD_CHARS = '路街道巷';
const HAS_NUMBER = /[0-9A-Za-z一二三四五六七八九十两百]/;
const INDEFINITE = /^[一两几][栋幢座]$/;
const NUMBERED_KINDS: ReadonlySet<PartKind> = new Set(['building', 'unit', 'room']);
/** A code unit a place name is written in: CJK, ASCII letters and digits. */
const isNameChar = (c: number): boolean => (c >= 0x4e00 && c <= 0x9fff) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const GAP_OK = /^(?:|的|\s|-|那个|这个|的那个)$/;

export class LocationExtractor {
  private readonly known = new KeywordTrie<true>();
  private readonly suffixes = new KeywordTrie<'road' | 'area'>();
  private readonly relative = new KeywordTrie<boolean>();
  private readonly generic: ReadonlySet<string>;
  private readonly shortAllowed: ReadonlySet<string>;
  /** A byte per UTF-16 code unit: 1 for the boundary characters (`boundaryChars`) that cut a name on the left. */
  private readonly boundary = new Uint8Array(0x10000);
  private readonly fillers = new KeywordTrie<true>();
  private readonly cuts = new KeywordTrie<true>();
  private readonly joiners: ReadonlySet<string>;
  private readonly rangeJoiners: ReadonlySet<string>;
  private readonly placeSuffixes: readonly string[];
  private readonly relativeWords: ReadonlySet<string>;
  private readonly introducers: readonly string[];
  private readonly nameStarters = new KeywordTrie<true>();

  constructor(private readonly vocab: PlacesVocab) {
    for (const w of vocab.known) this.known.add(w, true);
    for (const w of vocab.suffixes.road) this.suffixes.add(w, 'road');
    for (const w of vocab.suffixes.area) this.suffixes.add(w, 'area');
    for (const w of [...vocab.relative, ...vocab.intersectionTails]) this.relative.add(w, true);
    for (const w of vocab.relativeExceptions) this.relative.add(w, false);
    this.generic = new Set(vocab.genericNames);
    this.shortAllowed = new Set(vocab.shortAllowed);
    // A name is cut one character at a time, so only one-character entries can ever cut it.
    for (const ch of vocab.boundaryChars) if (ch.length === 1) this.boundary[ch.charCodeAt(0)] = 1;
    for (const w of vocab.leadingFillers) this.fillers.add(w, true);
    for (const w of vocab.internalCuts) this.cuts.add(w, true);
    this.joiners = new Set(vocab.intersectionJoiners);
    this.rangeJoiners = new Set(vocab.rangeJoiners);
    this.placeSuffixes = [...vocab.suffixes.road, ...vocab.suffixes.area];
    this.relativeWords = new Set(vocab.relative);
    this.introducers = vocab.introducers;
    for (const w of vocab.nameStarters) this.nameStarters.add(w, true);
  }

  extract(text: string): LocationMatch | null {
    const names: Array<[number, number]> = [];
    const parts = this.collectParts(text, names);
    const match = this.bestChain(text, parts);
    if (!match) return null;
    match.nameSpans = names.filter(([start, end]) => start >= match.start && end <= match.end);
    return match;
  }

  private collectParts(text: string, names: Array<[number, number]>): Part[] {
    const parts: Part[] = [];
    for (const hit of this.known.scan(text)) {
      parts.push({ start: hit.start, end: hit.end, kind: 'named', road: this.endsWithRoadSuffix(hit.word) });
      names.push([hit.start, hit.end]);
    }
    for (let i = 0; i < text.length; i++) {
      const suffix = this.suffixes.matchAt(text, i);
      if (suffix) {
        const part = this.namedBySuffix(text, i, suffix.end, suffix.values[0] ?? 'area');
        if (part) parts.push(part);
        if (part?.kind === 'named') names.push([part.start, i]);
      }
    }
    for (const [pattern, kind, needs] of HAS_NUMBER.test(text) ? NUMBERED : []) {
      if (!needs.some((ch) => text.includes(ch))) continue;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        // 一栋老楼 is "a building", not building number one.
        if (m[0].length > 0 && !INDEFINITE.test(m[0])) {
          parts.push({ start: m.index, end: m.index + m[0].length, kind, road: false });
        }
      }
    }
    for (let i = 0; i < text.length; i++) {
      const hit = this.relative.matchAt(text, i);
      if (!hit) continue;
      if (hit.values[0]) parts.push({ start: hit.start, end: hit.end, kind: 'relative', road: false });
      else i = hit.end - 1;
    }
    return mergeOverlaps(parts);
  }

  private endsWithRoadSuffix(word: string): boolean {
    return this.vocab.suffixes.road.some((s) => word.endsWith(s));
  }

  private namedBySuffix(text: string, suffixStart: number, suffixEnd: number, kind: 'road' | 'area'): Part | null {
    const suffix = text.slice(suffixStart, suffixEnd);
    const name = this.nameBefore(text, suffixStart, this.vocab.maxNameLength[kind]);
    const min = this.shortAllowed.has(suffix) ? 1 : this.vocab.minNameLength[kind];
    const generic = name.length < min || this.generic.has(name) || this.relativeWords.has(name);
    // 路面, 路边, 街坊 after a generic word or a complete place (光华街|路边, 东城花园|路边) are common words;
    // after a real name they are still a road (西环路|边上).
    const stoppers = this.vocab.roadSuffixStoppers[suffix];
    const stopped = stoppers !== undefined && suffixEnd < text.length && stoppers.includes(text.charAt(suffixEnd));
    const isRoad = kind === 'road';
    if (stopped && (!isRoad || generic || this.endsWithPlaceSuffix(name))) return null;
    if (generic) return { start: suffixStart, end: suffixEnd, kind: 'generic', road: isRoad };
    return { start: suffixStart - name.length, end: suffixEnd, kind: 'named', road: isRoad };
  }

  private endsWithPlaceSuffix(name: string): boolean {
    return this.placeSuffixes.some((s) => name.length > s.length && name.endsWith(s) && (s.length > 1 || ROAD_CHARS.includes(s)));
  }

  /** The name right before a suffix: name characters up to a boundary, leading fillers removed. */
  private nameBefore(text: string, end: number, max: number): string {
    let start = end;
    while (start > 0 && end - start < max) {
      const code = text.charCodeAt(start - 1);
      if (!isNameChar(code)) break;
      // 和平街, 和谐家园: a name may begin with a character that elsewhere ends one (和, 临, 同).
      if (this.boundary[code] === 1 && !this.startsName(text, start - 1, end)) break;
      start--;
    }
    let name = text.slice(start, end);
    // Cut after filler words anywhere, and after relative words not at the start (交叉口西北角|路面, but
    // 东门|大街 keeps its 东门).
    let cutEnd = 0;
    for (let i = 0; i < name.length; i++) {
      cutEnd = Math.max(cutEnd, this.cuts.endAt(name, i));
      if (i > 0) cutEnd = Math.max(cutEnd, this.relative.endAt(name, i));
    }
    name = name.slice(cutEnd);
    // A known name inside wins its own left edge (一下雨|解放路铁路桥).
    for (const hit of this.known.scan(name)) {
      name = name.slice(hit.start);
      break;
    }
    // 富强路修|路: a name that already holds a road suffix ends there.
    const roadInside = name.search(/[路街道巷](?=[^路街道巷]{1,2}$)/);
    if (roadInside >= 0) name = name.slice(roadInside + 1);
    name = name.replace(/^\d+(?=[\u4e00-\u9fff])/, '');
    for (let filler = this.fillers.matchAt(name, 0); filler && filler.end < name.length; filler = this.fillers.matchAt(name, 0)) {
      name = name.slice(filler.end);
    }
    return name;
  }

  private startsName(text: string, at: number, end: number): boolean {
    const wordEnd = this.nameStarters.endAt(text, at);
    return wordEnd >= 0 && wordEnd <= end;
  }

  private isIntroduced(text: string, start: number): boolean {
    const before = text.slice(Math.max(0, start - 6), start).replace(INTRODUCER_GAP, '');
    return this.introducers.some((w) => before.endsWith(w));
  }

  private bestChain(text: string, parts: Part[]): LocationMatch | null {
    let best: { chain: Part[]; score: number } | null = null;
    let chain: Part[] = [];
    const flush = (): void => {
      const trimmed = trimChain(chain);
      const first = trimmed[0];
      if (first) {
        const introduced = this.isIntroduced(text, first.start);
        let score: number | null = null;
        if (trimmed.some((p) => SPECIFIC.has(p.kind))) {
          score = trimmed.reduce((sum, p) => sum + PART_SCORE[p.kind], 0) + (introduced ? INTRODUCED_BONUS : 0);
        } else if (introduced && first.kind === 'generic' && !first.road && trimmed.some((p) => p.kind === 'relative')) {
          score = LANDMARK_SCORE;
        }
        if (score !== null && (!best || score > best.score)) best = { chain: trimmed, score };
      }
      chain = [];
    };
    for (const part of parts) {
      const previous = chain[chain.length - 1];
      if (previous && this.joins(text, previous, part)) {
        chain.push(part);
        continue;
      }
      flush();
      if (!TRAILING_ONLY.has(part.kind)) chain.push(part);
    }
    flush();
    if (!best) return null;
    const { chain: winner } = best as { chain: Part[]; score: number };
    const first = winner[0];
    const last = winner[winner.length - 1];
    if (!first || !last) return null;
    return {
      text: text.slice(first.start, last.end),
      start: first.start,
      end: last.end,
      parts: winner.map((p) => text.slice(p.start, p.end)),
      nameSpans: [],
    };
  }

  private joins(text: string, previous: Part, next: Part): boolean {
    const gap = text.slice(previous.end, next.start);
    // A generic place word joins only when written right after (西环路工地, not 丰收路的工地).
    if (next.kind === 'generic') return gap === '' && previous.kind !== 'relative';
    // After 旁边/门口 a place written with a gap is a new place (恒大绿洲旁边|的游泳馆).
    if (GAP_OK.test(gap)) return gap === '' || previous.kind !== 'relative' || next.kind === 'relative';
    if (NUMBERED_KINDS.has(previous.kind) && NUMBERED_KINDS.has(next.kind)) return this.rangeJoiners.has(gap.trim());
    return previous.road && next.road && next.kind === 'named' && this.joiners.has(gap.trim());
  }
}

/** Overlapping parts become one; the merged part keeps the strongest kind. */
function mergeOverlaps(parts: Part[]): Part[] {
  const sorted = [...parts].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Part[] = [];
  for (const part of sorted) {
    const last = merged[merged.length - 1];
    if (last && part.start < last.end) {
      last.end = Math.max(last.end, part.end);
      if (PART_SCORE[part.kind] > PART_SCORE[last.kind]) last.kind = part.kind;
      last.road = last.road || part.road;
    } else {
      merged.push({ ...part });
    }
  }
  return merged;
}

/** A chain never ends on a joiner-only tail and never starts with a relative word. */
function trimChain(chain: Part[]): Part[] {
  let start = 0;
  while (start < chain.length && TRAILING_ONLY.has(chain[start]?.kind ?? 'named')) start++;
  return chain.slice(start);
}
