import { Writable } from 'node:stream';
import pino from 'pino';
import type { CaseDetailView } from '../../../../web/mp/schemas';
import { GRID_WORKER, MpApp, TEMPLATES } from '../support/mpApp';

const OPENID = 'oQz8Y5-secret-openid-42';
const PHONE = '13766665555';

/** Logs say what happened (resident id, case id) but never the openid, the phone or a token. */
describe('resident mini-program: what reaches the logs', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const h = new MpApp('mp_logs', undefined, pino({ level: 'debug' }, sink));
  beforeAll(async () => {
    await h.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('logs logins, reports, refusals and WeChat failures without openid, phone or token', async () => {
    const token = await h.login(OPENID);
    await h.request('POST', '/api/mp/session', { json: { code: 'forged-code' } });
    const created = await h.request<CaseDetailView>('POST', '/api/mp/cases', {
      token,
      json: { text: `小区门口的路灯坏了好几天，请联系我 ${PHONE}`, latitude: 39.9, longitude: 116.3, address: '农机社区 2 号楼', communityId: 'nongji', contactPhone: PHONE, subscribedTemplateIds: [TEMPLATES.accepted] },
    });
    expect(created.status).toBe(201);
    h.wechat.failNext('/cgi-bin/message/subscribe/send', 1, { errcode: -1 });
    await h.act(created.body.id, GRID_WORKER, { type: 'accept' });
    await h.waitFor('the accepted message', () => h.wechat.sent.length === 1);
    h.wechat.failNext('/sns/jscode2session', 1, { httpStatus: 500 });
    await h.request('POST', '/api/mp/session', { json: { code: h.wechat.issueLoginCode(OPENID) } });
    await h.request('GET', `/api/mp/cases/${created.body.id}`, { token: 'mps_forged' });

    const log = lines.join('');
    expect(log).toContain('resident report received');
    expect(log).toContain('subscribe message failed; will retry');
    expect(log).toContain('subscribe message sent');
    expect(log).toContain('jscode2session failed');
    for (const secret of [OPENID, PHONE, token]) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/session_key|access_token=|mp-token-/);
  });
});
