import { hotlineWebhooksFrom } from '../../config/hotlineWebhooks';

describe('HOTLINE_WEBHOOKS_CONFIG', () => {
  const env = { CITY_SECRET: 's1', DISTRICT_SECRET: 's2' };
  const platform = (id: string, extra: Record<string, unknown> = {}) => ({ id, url: `https://${id}.example.test/hook`, secretEnv: `${id.toUpperCase()}_SECRET`, ...extra });

  it('fills defaults, resolves secrets from the environment and names the default platform', () => {
    const webhooks = hotlineWebhooksFrom({ platforms: [platform('city')] }, 'f.json', env);
    expect(webhooks.defaultPlatform).toBe('city');
    expect(webhooks.platforms[0]).toMatchObject({ id: 'city', secret: 's1', attempts: 12, backoffMs: 5000, milestones: ['accepted', 'returned', 'done', 'closed', 'satisfaction'] });
    expect(webhooks.platforms[0]).not.toHaveProperty('secretEnv');
  });

  it('refuses a missing secret, a repeated id, no default among several, bad urls and unknown milestones', () => {
    expect(() => hotlineWebhooksFrom({ platforms: [platform('city', { secretEnv: 'NOT_SET' })] }, 'f.json', env)).toThrow(/NOT_SET, which is not set/);
    expect(() => hotlineWebhooksFrom({ platforms: [platform('city', { default: true }), platform('city')] }, 'f.json', env)).toThrow(/listed twice/);
    expect(() => hotlineWebhooksFrom({ platforms: [platform('city'), platform('district')] }, 'f.json', env)).toThrow(/exactly one must be "default"/);
    expect(() => hotlineWebhooksFrom({ platforms: [platform('city', { url: 'ftp://x' })] }, 'f.json', env)).toThrow(/f\.json: platforms\.0\.url/);
    expect(() => hotlineWebhooksFrom({ platforms: [platform('city', { milestones: ['whistled'] })] }, 'f.json', env)).toThrow(/milestones/);
  });
});
