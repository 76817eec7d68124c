/** Splits text into words (jieba with the district's place names, injected by the caller). */
export type Segmenter = (text: string) => string[];

/**
 * Offsets where one word ends and the next begins, or null when the words do not add up to the text
 * (then no cue is held back for want of a boundary).
 */
export function wordBoundaries(text: string, segment: Segmenter): Set<number> | null {
  const boundaries = new Set<number>([0]);
  let at = 0;
  for (const word of segment(text)) {
    if (!text.startsWith(word, at)) return null;
    at += word.length;
    boundaries.add(at);
  }
  return at === text.length ? boundaries : null;
}
