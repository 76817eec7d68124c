import { join } from 'node:path';
import { ConfigError } from '../../config';
import { loadConversationConfig, parseConversationConfig } from '../../config/conversation';

describe('conversation configuration', () => {
  it.each(['conversation.json', 'conversation.sandbox.json'])('accepts the shipped %s', (file) => {
    const config = loadConversationConfig(join(__dirname, '../../config', file));
    expect(config.feedbackWindowSeconds).toBeLessThan(config.gatherWindowSeconds);
  });

  it('names every bad key', () => {
    const bad = { gatherWindowSeconds: 30, draftTtlSeconds: 10, feedbackWindowSeconds: 60, myReportsLimit: 5, textPreviewChars: 60, defaultExtensionDays: 3, categoryChoices: ['road', 'potholes'] };
    let error: unknown;
    try {
      parseConversationConfig(bad, 'test.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('categoryChoices.1');
    expect(problems).toContain('draftTtlSeconds');
    expect(problems).toContain('feedbackWindowSeconds');
  });

  it('says which file cannot be read', () => {
    expect(() => loadConversationConfig('/nonexistent/conversation.json')).toThrow(/nonexistent\/conversation.json cannot be read/);
  });
});
