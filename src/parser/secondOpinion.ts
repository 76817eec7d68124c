import { z } from 'zod';
import { taxonomy } from '../taxonomy';

/**
 * What an LLM is asked for a low-confidence report, and how its answer is checked. Pure: the HTTP call
 * lives in infra/llm. A category outside the taxonomy is refused, so a made-up code never reaches routing.
 */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export function secondOpinionPrompt(text: string, parserGuess: { category: string; confidence: number }): ChatMessage[] {
  const categories = taxonomy.categories.map((c) => `- ${c.code}（${c.name}）：${c.scope}`).join('\n');
  return [
    {
      role: 'system',
      content: [
        '你是街道“吹哨报到”平台的分拣助手。根据群众或网格员的诉求，从下列类别中选出最合适的一个类别代码。',
        '如果诉求是咨询、政策问题，或街道各部门都不负责的事项（学校、养老社保、规划、人事等），选 other 并说明原因。',
        '类别：',
        categories,
        '只输出一个 JSON 对象：{"category": "类别代码", "confidence": 0到1之间的数, "reason": "一句话理由"}。',
      ].join('\n'),
    },
    { role: 'user', content: `诉求：${text}\n（规则解析的猜测：${parserGuess.category}，置信度 ${parserGuess.confidence}）` },
  ];
}

const CODES = new Set(taxonomy.categories.map((c) => c.code));

export const secondOpinionSchema = z.object({
  category: z.string().refine((c) => CODES.has(c), 'not a category code of config/taxonomy.json'),
  confidence: z.number().min(0).max(1),
  reason: z.string().max(500).default(''),
});

export type SecondOpinion = z.infer<typeof secondOpinionSchema>;

export type SecondOpinionResult =
  | { ok: true; opinion: SecondOpinion }
  | { ok: false; reason: 'bad_json' | 'invalid_answer' | 'refused' | 'empty' };

/** Checks the model's message content: JSON, the schema, a known category. */
export function readSecondOpinion(content: string | null | undefined, refusal?: string | null): SecondOpinionResult {
  if (refusal) return { ok: false, reason: 'refused' };
  if (!content || content.trim() === '') return { ok: false, reason: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { ok: false, reason: 'bad_json' };
  }
  const parsed = secondOpinionSchema.safeParse(json);
  return parsed.success ? { ok: true, opinion: parsed.data } : { ok: false, reason: 'invalid_answer' };
}
