import { z } from 'zod';
import type { Logger } from '../logger';
import { readSecondOpinion, secondOpinionPrompt, type SecondOpinionResult } from '../../src/parser/secondOpinion';

export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

export type AskResult = SecondOpinionResult | { ok: false; reason: 'timeout' | 'rate_limited' | 'http_error' | 'unreachable' };

const completionSchema = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }) }))
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }).partial().optional(),
});

/**
 * An OpenAI-compatible chat-completions client for the parser's second opinion (DeepSeek, Qwen and others
 * served on premises). One request, bounded by `timeoutMs`; every failure is a result, never a throw, so the
 * caller keeps the rules' answer. Latency and token use are logged.
 */
export class ChatCompletionsSecondOpinion {
  constructor(
    private readonly config: LlmConfig,
    private readonly logger: Logger,
  ) {}

  async ask(text: string, guess: { category: string; confidence: number }): Promise<AskResult> {
    const started = Date.now();
    const done = (result: AskResult, extra: Record<string, unknown> = {}): AskResult => {
      const fields = { model: this.config.model, latencyMs: Date.now() - started, outcome: result.ok ? 'ok' : result.reason, ...extra };
      if (result.ok) this.logger.info({ ...fields, category: result.opinion.category }, 'llm second opinion');
      else this.logger.warn(fields, 'llm second opinion unusable; keeping the parser\'s answer');
      return result;
    };
    let response: Response;
    try {
      response = await fetch(`${this.config.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.config.apiKey}` },
        body: JSON.stringify({
          model: this.config.model,
          messages: secondOpinionPrompt(text, guess),
          response_format: { type: 'json_object' },
          temperature: 0,
        }),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      return done({ ok: false, reason: timedOut(error) ? 'timeout' : 'unreachable' });
    }
    if (response.status === 429) return done({ ok: false, reason: 'rate_limited' }, { status: 429 });
    if (!response.ok) return done({ ok: false, reason: 'http_error' }, { status: response.status });
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      return done({ ok: false, reason: timedOut(error) ? 'timeout' : 'bad_json' });
    }
    const completion = completionSchema.safeParse(body);
    if (!completion.success) return done({ ok: false, reason: 'invalid_answer' });
    const message = completion.data.choices[0]?.message;
    const usage = completion.data.usage;
    const tokens = usage ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens } : {};
    return done(readSecondOpinion(message?.content, message?.refusal), tokens);
  }
}

/** The abort from `AbortSignal.timeout`, however fetch wraps it. */
function timedOut(error: unknown): boolean {
  const names = [error, error instanceof Error ? error.cause : undefined].map((e) => (e instanceof Error || e instanceof DOMException ? e.name : ''));
  return names.includes('TimeoutError') || names.includes('AbortError');
}
