import pino from 'pino';
import { withSecondOpinion } from '../../../commands/secondOpinion';
import { FakeLlmServer } from '../../../fakes/llm/server';
import { ChatCompletionsSecondOpinion } from '../../../infra/llm/chatCompletions';

describe('LLM second opinion against a fake OpenAI-compatible server', () => {
  const fake = new FakeLlmServer();
  let llm: ChatCompletionsSecondOpinion;
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const guess = { category: 'other', confidence: 0.3 };
  const reading = { text: '楼下那条路坑坑洼洼好久了', category: 'other', confidence: 0.3 };

  beforeAll(async () => {
    const baseUrl = await fake.start();
    llm = new ChatCompletionsSecondOpinion({ baseUrl, apiKey: 'test-key', model: 'qwen-test', timeoutMs: 1500 }, logger);
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    lines.length = 0;
  });

  it('sends the taxonomy in the prompt, asks for JSON and reads a valid answer; logs latency and tokens', async () => {
    fake.mode = { kind: 'answer', content: '{"category":"road","confidence":0.9,"reason":"路面坑洼"}' };
    const result = await llm.ask(reading.text, guess);
    expect(result).toEqual({ ok: true, opinion: { category: 'road', confidence: 0.9, reason: '路面坑洼' } });
    const call = fake.calls[fake.calls.length - 1];
    expect(call?.authorization).toBe('Bearer test-key');
    expect(call?.body.model).toBe('qwen-test');
    expect(call?.body.response_format).toEqual({ type: 'json_object' });
    const system = call?.body.messages?.[0]?.content ?? '';
    expect(system).toContain('manhole（井盖问题）');
    expect(system).toContain('other（其他）');
    expect(lines.find((l) => l.msg === 'llm second opinion')).toMatchObject({ outcome: 'ok', totalTokens: 930, promptTokens: 900, latencyMs: expect.any(Number) });
  });

  it.each([
    ['broken JSON', { kind: 'bad_json' } as const, 'bad_json'],
    ['a timeout', { kind: 'hang' } as const, 'timeout'],
    ['429', { kind: 'rate_limited' } as const, 'rate_limited'],
    ['a refusal', { kind: 'refusal' } as const, 'refused'],
    ['a 500', { kind: 'server_error' } as const, 'http_error'],
    ['a made-up category', { kind: 'answer', content: '{"category":"ufo_sighting","confidence":0.99,"reason":"?"}' } as const, 'invalid_answer'],
    ['prose instead of JSON', { kind: 'answer', content: '这应该是道路问题。' } as const, 'bad_json'],
  ])('falls back to the parser on %s', async (_name, mode, reason) => {
    fake.mode = mode;
    expect(await llm.ask(reading.text, guess)).toEqual({ ok: false, reason });
    expect(await withSecondOpinion(reading, llm, 0.6)).toEqual(reading);
    expect(lines.find((l) => l.msg?.toString().startsWith('llm second opinion unusable'))).toMatchObject({ outcome: reason });
  });

  it('only asks about low-confidence readings, and keeps the answer below the auto-dispatch threshold', async () => {
    fake.mode = { kind: 'answer', content: '{"category":"road","confidence":0.95,"reason":"路面坑洼"}' };
    const before = fake.calls.length;
    const confident = { ...reading, category: 'road', confidence: 0.9 };
    expect(await withSecondOpinion(confident, llm, 0.6)).toEqual(confident);
    expect(fake.calls.length).toBe(before);
    expect(await withSecondOpinion(reading, undefined, 0.6)).toEqual(reading);
    const upgraded = await withSecondOpinion(reading, llm, 0.6);
    expect(upgraded).toMatchObject({ category: 'road', confidence: 0.59, secondOpinion: { category: 'road', reason: '路面坑洼' } });
  });
});
