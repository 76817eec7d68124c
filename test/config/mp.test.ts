import { ConfigError } from '../../config';
import { loadMpConfig, parseMpConfig } from '../../config/mp';

describe('mini-program configuration (config/mp.json)', () => {
  it('loads the shipped config/mp.json and refuses a bad one naming the key', () => {
    const config = loadMpConfig();
    expect(config.photos.maxCount).toBeGreaterThan(0);
    expect(() => parseMpConfig({ ...config, photos: { ...config.photos, maxCount: -1 } })).toThrow(ConfigError);
    expect(() => parseMpConfig({ ...config, photos: { ...config.photos, maxCount: -1 } })).toThrow(/photos\.maxCount/);
    expect(() => parseMpConfig({ ...config, session: { ttlSeconds: 5 } })).toThrow(/session\.ttlSeconds/);
    const badTemplate = { ...config.subscribe, templates: { closed: { templateId: 't', fields: { thing1: 'weather' } } } };
    expect(() => parseMpConfig({ ...config, subscribe: badTemplate })).toThrow(/subscribe\.templates\.closed\.fields\.thing1/);
  });
});
