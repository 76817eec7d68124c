/** Asks an LLM about a report the parser is unsure of (infra/llm/chatCompletions.ts behind this port). */
export interface SecondOpinionPort {
  ask(
    text: string,
    guess: { category: string; confidence: number },
  ): Promise<{ ok: true; opinion: { category: string; confidence: number; reason: string } } | { ok: false; reason: string }>;
}

export interface Reading {
  text: string;
  category: string;
  confidence: number;
}

/**
 * The LLM's category for a low-confidence reading. Its confidence is kept below the auto-dispatch threshold:
 * the case still goes to the dispatcher, who sees the LLM's category and its departments as the suggestion;
 * an LLM never whistles a department on its own. Any failure keeps the parser's reading.
 */
export async function withSecondOpinion<T extends Reading>(
  reading: T,
  port: SecondOpinionPort | undefined,
  threshold: number,
): Promise<T & { secondOpinion?: { category: string; reason: string } }> {
  if (!port || reading.confidence >= threshold || reading.text.trim() === '') return reading;
  const answer = await port.ask(reading.text, { category: reading.category, confidence: reading.confidence });
  if (!answer.ok || answer.opinion.category === reading.category) return reading;
  const belowThreshold = Math.max(0, Math.round((threshold - 0.01) * 100) / 100);
  return {
    ...reading,
    category: answer.opinion.category,
    confidence: Math.min(answer.opinion.confidence, belowThreshold),
    secondOpinion: { category: answer.opinion.category, reason: answer.opinion.reason },
  };
}
