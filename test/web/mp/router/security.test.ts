import { randomBytes } from 'node:crypto';
import type { CaseDetailView } from '../../../../web/mp/schemas';
import { SessionStore } from '../../../../web/mp/session';
import { MpApp } from '../support/mpApp';

const REPORT = { text: '楼下垃圾堆了一个星期没人清理，臭味很大', latitude: 39.91, longitude: 116.4, address: '文明街道将军府社区 3 号楼', communityId: 'jiangjunfu' };

/** Sessions expire, forged tokens get nowhere, and a resident sees only their own cases. */
describe('resident mini-program: sessions and ownership', () => {
  const h = new MpApp('mp_security');
  beforeAll(async () => {
    await h.start({ workers: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers 401 with a code and a Chinese message without a token, with a forged one and with a malformed header', async () => {
    const forged = `mps_${randomBytes(32).toString('base64url')}`;
    const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${forged}` }, { authorization: 'Bearer not-even-a-token' }, { authorization: `Basic ${forged}` }];
    for (const headers of attempts) {
      const answer = await h.request('GET', '/api/mp/cases', { headers });
      expect(answer).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: expect.stringMatching(/登录/) } } });
    }
  });

  it('answers 401 once the session has expired', async () => {
    // A one-second session so expiry can be watched (MP_CONFIG refuses less than a minute): issued for
    // the logged-in resident by the app's own session store, on its Redis and prefix.
    const sessions = new SessionStore(h.redis, h.env.QUEUE_PREFIX, 1);
    const resident = await sessions.resolve(await h.login('o-expiring'));
    if (!resident) throw new Error('the login made no session');
    const { token } = await sessions.issue(resident);
    expect((await h.request('GET', '/api/mp/cases', { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(await h.request('GET', '/api/mp/cases', { token })).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: '登录已失效，请重新登录' } } });
  });

  it("answers 404 (not 403) for another resident's case, and the same 404 for a case that does not exist", async () => {
    const owner = await h.login('o-owner');
    const created = await h.request<CaseDetailView>('POST', '/api/mp/cases', { token: owner, json: REPORT });
    expect(created.status).toBe(201);
    const intruder = await h.login('o-intruder');
    const theirs = await h.request('GET', `/api/mp/cases/${created.body.id}`, { token: intruder });
    const missing = await h.request('GET', '/api/mp/cases/no-such-case', { token: intruder });
    expect(theirs).toMatchObject({ status: 404, body: { error: { code: 'case_not_found' } } });
    expect(missing.body).toEqual(theirs.body);
    expect(await h.request('POST', `/api/mp/cases/${created.body.id}/rating`, { token: intruder, json: { value: 'dissatisfied' } })).toMatchObject({ status: 404 });
    expect(await h.request('POST', `/api/mp/cases/${created.body.id}/subscriptions`, { token: intruder, json: { templateIds: ['tmpl-closed'] } })).toMatchObject({ status: 404 });
    expect((await h.request('GET', '/api/mp/cases', { token: intruder })).body).toMatchObject({ total: 0, items: [] });
    expect((await h.request('GET', `/api/mp/cases/${created.body.id}`, { token: await h.login('o-owner') })).status).toBe(200);
  });

  it('answers JSON for unknown paths and for bodies it cannot read', async () => {
    const token = await h.login('o-json');
    expect(await h.request('GET', '/api/mp/nothing-here')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const notJson = await fetch(`${h.url}/api/mp/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"text": ' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_request', message: '请求内容不是有效的 JSON' } });
    const xml = await fetch(`${h.url}/api/mp/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml' }, body: '<xml/>' });
    expect(await xml.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const invalid = await h.request('POST', '/api/mp/cases', { token, json: { ...REPORT, latitude: 120, contactPhone: '12345' } });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: { issues: expect.arrayContaining([expect.objectContaining({ field: 'latitude' }), expect.objectContaining({ field: 'contactPhone', message: expect.stringContaining('请填写正确的手机号') })]) } } } });
    const unknownCommunity = await h.request('POST', '/api/mp/cases', { token, json: { ...REPORT, communityId: 'atlantis' } });
    expect(unknownCommunity).toMatchObject({ status: 400, body: { error: { message: '所在社区不存在，请重新选择' } } });
  });

  it('answers 503 wechat_unavailable for login when WeChat is unreachable, without leaking the reason', async () => {
    h.wechat.failNext('/sns/jscode2session', 1, { httpStatus: 502 });
    const answer = await h.request('POST', '/api/mp/session', { json: { code: h.wechat.issueLoginCode('o-any') } });
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试' } } });
  });
});
