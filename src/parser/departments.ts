import { category as categoryInfo } from '../taxonomy';
import type { DepartmentsVocab } from './vocab';
import { KeywordTrie } from './trie';

export interface DepartmentResult {
  departments: string[];
  words: string[];
}

/** Lead of the main category first, then departments the text calls for, then leads of the other problems. */
export class DepartmentResolver {
  private readonly trie = new KeywordTrie<string>();

  constructor(vocab: DepartmentsVocab) {
    for (const [code, words] of Object.entries(vocab.cues)) for (const w of words) this.trie.add(w, code);
  }

  resolve(text: string, mainCategory: string, otherCategories: readonly string[]): DepartmentResult {
    const ordered = [categoryInfo(mainCategory).lead];
    const words: string[] = [];
    for (const hit of this.trie.scan(text)) {
      for (const code of hit.values) {
        if (!ordered.includes(code)) {
          ordered.push(code);
          words.push(hit.word);
        }
      }
    }
    for (const other of otherCategories) {
      const lead = categoryInfo(other).lead;
      if (!ordered.includes(lead)) ordered.push(lead);
    }
    return { departments: ordered, words };
  }
}
