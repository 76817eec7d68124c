import { MpApp, testMpConfig } from '../support/mpApp';

const REPORT = { text: '邻居家装修噪音太大了，晚上十点还在砸墙', address: '文明街道和平社区 5 号楼', communityId: 'heping' };

/** Per-IP and per-openid limits answer 429 with Retry-After and a message a front end can show. */
describe('resident mini-program: abuse limits', () => {
  const h = new MpApp(
    'mp_limits',
    testMpConfig((c) => ({
      ...c,
      rateLimits: {
        ...c.rateLimits,
        login: { perIp: { limit: 4, windowSeconds: 60 } },
        report: { perOpenid: { limit: 2, windowSeconds: 3600 }, perIp: { limit: 100, windowSeconds: 3600 } },
      },
    })),
  );
  beforeAll(async () => {
    await h.start({ workers: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('limits reports per resident: the third in the window is refused with 429, another resident is not affected', async () => {
    const token = await h.login('o-busy');
    for (let i = 0; i < 2; i++) {
      const ok = await h.request('POST', '/api/mp/cases', { token, json: { ...REPORT, latitude: 39.9 + i / 10, longitude: 116.3 + i / 10 } });
      expect(ok.status).toBe(201);
    }
    const third = await h.request('POST', '/api/mp/cases', { token, json: { ...REPORT, latitude: 39.5, longitude: 116.5 } });
    expect(third).toMatchObject({ status: 429, body: { error: { code: 'rate_limited', message: expect.stringContaining('操作太频繁'), details: { retryAfterSeconds: expect.any(Number) } } } });
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect((await h.request('GET', '/api/mp/cases', { token })).body).toMatchObject({ total: 2 });

    // A new session does not reset the count: the limit follows the openid, not the token.
    const again = await h.login('o-busy');
    expect((await h.request('POST', '/api/mp/cases', { token: again, json: { ...REPORT, latitude: 39.4, longitude: 116.6 } })).status).toBe(429);

    const neighbour = await h.login('o-neighbour');
    expect((await h.request('POST', '/api/mp/cases', { token: neighbour, json: { ...REPORT, latitude: 39.3, longitude: 116.7 } })).status).toBe(201);
  });

  it('limits logins per IP, counting forged and failed attempts too', async () => {
    // Three logins above used this window's budget of four already; one more passes, even a bad code counts.
    const bad = await h.request('POST', '/api/mp/session', { json: { code: 'made-up' } });
    expect(bad.body).toMatchObject({ error: { code: 'invalid_login_code' } });
    const limited = await h.request('POST', '/api/mp/session', { json: { code: h.wechat.issueLoginCode('o-late') } });
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(h.wechat.callsTo('/sns/jscode2session')).toBe(4);
  });
});
