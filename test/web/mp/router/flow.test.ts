import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { LocalDiskMediaStorage } from '../../../../bots/wecom/mediaStorage';
import type { CaseDetailView, CaseSummaryView } from '../../../../web/mp/schemas';
import { allResponseSchemas } from '../../../../web/mp/schemas';
import { GRID_WORKER, MpApp, TEMPLATES } from '../support/mpApp';
import { jpegWithExif, photoForm, png } from '../support/images';

const OPENID = 'o-resident-flow';

/** Login → report with photos and location → list → detail → handled by the community → rate, over real HTTP. */
describe('resident mini-program: the whole loop', () => {
  const h = new MpApp('mp_flow');
  let token: string;
  let caseId: string;

  beforeAll(async () => {
    await h.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('logs in with the wx.login code and answers a session token, never the openid or session key', async () => {
    const answer = await h.request('POST', '/api/mp/session', { json: { code: h.wechat.issueLoginCode(OPENID) } });
    expect(answer.status).toBe(201);
    expect(allResponseSchemas.session.parse(answer.body)).toMatchObject({ tokenType: 'Bearer', expiresIn: h.config.session.ttlSeconds });
    const raw = JSON.stringify(answer.body);
    expect(raw).not.toContain(OPENID);
    expect(raw).not.toMatch(/session_?key/i);
    token = (answer.body as { token: string }).token;
  });

  it('refuses a code that was already used, with a code and a Chinese message', async () => {
    const code = h.wechat.issueLoginCode(OPENID);
    expect((await h.request('POST', '/api/mp/session', { json: { code } })).status).toBe(201);
    const again = await h.request('POST', '/api/mp/session', { json: { code } });
    expect(again).toMatchObject({ status: 400, body: { error: { code: 'invalid_login_code', message: expect.stringMatching(/[\u4e00-\u9fa5]/) } } });
  });

  it('previews the category and urgency the parser reads from the text', async () => {
    const answer = await h.request('POST', '/api/mp/cases/preview', { token, json: { text: '小区门口的路灯坏了好几天，晚上很黑' } });
    expect(answer.status).toBe(200);
    expect(allResponseSchemas.preview.parse(answer.body)).toMatchObject({ category: { code: 'street_light', name: '路灯照明' }, urgency: { code: 'daily' } });
  });

  it('takes a report with two photos, a map location, a phone and subscribe grants, and routes it to the community', async () => {
    const form = photoForm(
      {
        text: '小区门口的路灯坏了好几天，晚上很黑',
        latitude: '39.9087',
        longitude: '116.3975',
        address: '北京市示范区文明街道农机小区东门',
        placeName: '农机小区东门',
        communityId: 'nongji',
        contactPhone: '13900001111',
        subscribedTemplateIds: [TEMPLATES.accepted, TEMPLATES.done, TEMPLATES.closed, 'not-one-of-ours'].join(','),
      },
      [
        { data: await jpegWithExif(), name: 'IMG_0001.jpg' },
        { data: await png(), name: 'screenshot.png', type: 'image/png' },
      ],
    );
    const answer = await h.request<CaseDetailView>('POST', '/api/mp/cases', { token, form });
    expect(answer.status).toBe(201);
    const detail = allResponseSchemas.caseDetail.parse(answer.body);
    expect(detail).toMatchObject({
      status: 'processing',
      category: { code: 'street_light' },
      urgency: { code: 'daily' },
      location: { latitude: 39.9087, longitude: 116.3975, address: '北京市示范区文明街道农机小区东门', placeName: '农机小区东门' },
      contactPhone: '139****1111',
      result: null,
      rating: null,
      canRate: false,
    });
    expect(detail.number).toMatch(/^\d{4}-\d{6}$/);
    expect(detail.photos).toHaveLength(2);
    caseId = detail.id;

    const stored = await h.case(caseId);
    expect(stored).toMatchObject({ source: 'resident', level: 'community', state: 'community', communityId: 'nongji', reporter: { openid: OPENID } });
    expect(stored.media.map((m) => m.ref)).toEqual([expect.stringMatching(/^mp\/.+\.jpg$/), expect.stringMatching(/^mp\/.+\.png$/)]);
  });

  it('stores photos with their EXIF stripped and serves them through signed links only', async () => {
    const stored = await h.case(caseId);
    const jpegKey = stored.media[0]!.ref;
    const onDisk = await readFile(join(h.mediaDir, jpegKey));
    expect((await sharp(onDisk).metadata()).exif).toBeUndefined();
    expect(onDisk.toString('latin1')).not.toContain('LeakyCam');

    const detail = (await h.request<CaseDetailView>('GET', `/api/mp/cases/${caseId}`, { token })).body;
    const photo = await fetch(detail.photos[0]!.url);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect((await sharp(Buffer.from(await photo.arrayBuffer())).metadata()).exif).toBeUndefined();

    const tampered = detail.photos[0]!.url.replace(/signature=[^&]+/, 'signature=forged');
    expect(await (await fetch(tampered)).json()).toMatchObject({ error: { code: 'not_found' } });
    const unsigned = detail.photos[0]!.url.split('?')[0]!;
    expect((await fetch(unsigned)).status).toBe(404);
  });

  it('lists the resident\'s cases with paging, newest first', async () => {
    const second = await h.request<CaseDetailView>('POST', '/api/mp/cases', {
      token,
      json: { text: '马路上井盖丢了，很危险', latitude: 39.95, longitude: 116.45, address: '文明街道和平路 12 号', communityId: 'heping' },
    });
    expect(second.status).toBe(201);
    const page1 = await h.request<{ items: CaseSummaryView[] }>('GET', '/api/mp/cases?page=1&pageSize=1', { token });
    expect(page1.status).toBe(200);
    expect(allResponseSchemas.caseList.parse(page1.body)).toMatchObject({ page: 1, pageSize: 1, total: 2, hasMore: true, items: [{ id: second.body.id }] });
    const page2 = await h.request('GET', '/api/mp/cases?page=2&pageSize=1', { token });
    expect(page2.body).toMatchObject({ total: 2, hasMore: false, items: [{ id: caseId, category: { code: 'street_light' } }] });
    expect((await h.request('GET', '/api/mp/cases?pageSize=500', { token })).body).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('shows the timeline as a resident should see it: department names and times, no staff names or phones', async () => {
    expect((await h.act(caseId, GRID_WORKER, { type: 'accept' })).ok).toBe(true);
    // A photo the community worker sent in WeCom, already copied to media storage by the WeCom side.
    await new LocalDiskMediaStorage(h.mediaDir).put('wecom/result-1.png', await png('#00f'), { contentType: 'image/png' });
    const fed = await h.act(caseId, GRID_WORKER, {
      type: 'feedback',
      text: '路灯已更换，网格员小李现场确认，有问题请联系 13812345678',
      media: [{ kind: 'image', ref: 'wecom/result-1.png' }],
    });
    expect(fed.ok).toBe(true);

    const answer = await h.request<CaseDetailView>('GET', `/api/mp/cases/${caseId}`, { token });
    const detail = allResponseSchemas.caseDetail.parse(answer.body);
    expect(detail.status).toBe('verifying');
    expect(detail.timeline.map((t) => t.type)).toEqual(['created', 'accepted', 'feedback']);
    expect(detail.timeline[1]).toMatchObject({ title: '农机社区已受理', departments: ['农机社区'] });
    expect(detail.result).toMatchObject({ departments: ['农机社区'], text: expect.stringContaining('138****5678'), photos: [{ url: expect.any(String) }] });
    const timelineText = JSON.stringify(detail.timeline);
    expect(timelineText).not.toContain('小李');
    expect(timelineText).not.toContain(GRID_WORKER.userId);
    expect(JSON.stringify(detail)).not.toContain('13812345678');
    const resultPhoto = await fetch(detail.result!.photos[0]!.url);
    expect(resultPhoto.status).toBe(200);
    expect(resultPhoto.headers.get('content-type')).toBe('image/png');
  });

  it('rates a closed case once: not before it is closed, and never twice', async () => {
    const early = await h.request('POST', `/api/mp/cases/${caseId}/rating`, { token, json: { value: 'satisfied' } });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'not_closed' } } });

    expect((await h.act(caseId, GRID_WORKER, { type: 'verify', outcome: 'solved' })).ok).toBe(true);
    const listed = await h.request<{ items: CaseSummaryView[] }>('GET', '/api/mp/cases?pageSize=10', { token });
    expect(listed.body.items.find((i) => i.id === caseId)).toMatchObject({ status: 'closed', statusName: '已办结', canRate: true, rated: false });

    const bad = await h.request('POST', `/api/mp/cases/${caseId}/rating`, { token, json: { value: 'great' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: { issues: [{ field: 'value' }] } } } });

    const rated = await h.request('POST', `/api/mp/cases/${caseId}/rating`, { token, json: { value: 'basically', comment: '修得挺快，就是晚了两天' } });
    expect(rated.status).toBe(201);
    expect(allResponseSchemas.rating.parse(rated.body)).toMatchObject({ value: 'basically', name: '基本满意', comment: '修得挺快，就是晚了两天' });

    const twice = await h.request('POST', `/api/mp/cases/${caseId}/rating`, { token, json: { value: 'dissatisfied' } });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'already_rated', message: '该诉求已经评价过了' } } });
    expect((await h.case(caseId)).satisfaction).toMatchObject({ value: 'basically' });

    const detail = (await h.request<CaseDetailView>('GET', `/api/mp/cases/${caseId}`, { token })).body;
    expect(detail).toMatchObject({ status: 'closed', canRate: false, rated: true, rating: { value: 'basically' } });
    expect(detail.timeline.map((t) => t.type)).toEqual(['created', 'accepted', 'feedback', 'verified', 'rated']);
  });

  it('sent one subscribe message per granted milestone, to the resident, with the case number', async () => {
    await h.waitFor('three subscribe messages', () => h.wechat.sent.length >= 3);
    expect(h.wechat.sent.map((m) => m.template_id).sort()).toEqual([TEMPLATES.accepted, TEMPLATES.closed, TEMPLATES.done].sort());
    const number = (await h.case(caseId)).number;
    for (const message of h.wechat.sent) {
      expect(message).toMatchObject({ touser: OPENID, page: `pages/case/detail?id=${caseId}`, data: { character_string1: { value: number } } });
    }
    // The second case granted nothing: its milestones send nothing.
    expect(h.wechat.sent.every((m) => m.page?.endsWith(caseId))).toBe(true);
  });

  it('logs out: the token stops working at once', async () => {
    const other = await h.login(OPENID);
    expect((await h.request('DELETE', '/api/mp/session', { token: other })).status).toBe(204);
    expect((await h.request('GET', '/api/mp/cases', { token: other })).body).toMatchObject({ error: { code: 'unauthenticated' } });
    expect((await h.request('GET', '/api/mp/cases', { token })).status).toBe(200);
  });
});
