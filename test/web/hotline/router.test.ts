import { runCaseCommand } from '../../../commands/runCaseCommand';
import type { Actor } from '../../../src/cases';
import { HotlineOrderRepository } from '../../../store/hotlineOrderRepository';
import { hotlineDistrictFrom, placeOf } from '../../../web/hotline/district';
import { HOTLINE_BODY_LIMIT_BYTES } from '../../../web/hotline/router';
import { DISTRICT_ID, testDistrict, testDistrictApp } from '../../bots/wecom/lifecycle/support/district';
import { TestApp } from '../../support/testApp';
import { statusBeforeBodyEnds } from '../../support/rawHttp';

const TOKEN = 'hotline-secret-token';
const PHONE = '13812345678';
const MASKED = '138****5678';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: Record<string, unknown> } };
}

let seq = 0;
/** A classified order at its own place (so no two orders of a test merge as duplicates). */
function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    orderNo: `GD2026110200${seq}`,
    content: `来电人反映测试路${seq}号门口路面塌陷一个大坑，车辆通行危险，联系电话${PHONE}`,
    address: `测试路${seq}号`,
    callerPhone: PHONE,
    category: 'road',
    urgency: 'key',
    streetId: 'street1',
    communityId: 'comm1',
    receivedAt: '2026-11-02T09:12:00+08:00',
    dueAt: '2026-11-09T18:00:00+08:00',
    ...overrides,
  };
}

/** The hotline API over real HTTP, on the real lifecycle (FerretDB, Redis, outbox → fake WeChat Work). */
describe('12345 hotline work-order API', () => {
  const h = new TestApp('hotline_orders', { ...testDistrictApp, env: { HOTLINE_API_TOKEN: TOKEN } });
  /** The same app with HOTLINE_API_TOKEN unset (web role: it only answers). */
  const closed = new TestApp('hotline_orders_closed', { ...testDistrictApp, role: 'web' });
  let baseUrl: string;
  let closedUrl: string;

  beforeAll(async () => {
    await Promise.all([h.start(), closed.start()]);
    // The app builds its indexes lazily; the claim tests need the unique order index from the first order.
    await new HotlineOrderRepository(h.mongo).ensureIndexes();
    baseUrl = h.url;
    closedUrl = closed.url;
  });

  afterAll(async () => {
    await Promise.all([h.stop(), closed.stop()]);
  });

  async function call(method: string, path: string, options: { json?: unknown; raw?: string; token?: string | null; contentType?: string; url?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TOKEN}`;
    const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(`${options.url ?? baseUrl}${path}`, { method, headers, ...(body !== undefined && { body }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
  }

  const post = (json: unknown, options: Parameters<typeof call>[2] = {}) => call('POST', '/api/hotline/orders', { ...options, json });
  const caseCount = () => h.mongo.collection('cases').countDocuments();

  it('creates the case, whistles it to the lead department, and answers 201 with the case number', async () => {
    const answer = await post(order());
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ outcome: 'whistled', number: expect.stringMatching(/^\d{4}-\d{6}$/), departments: [{ code: 'zhujian', name: '住建局', role: 'lead' }], mergedInto: null });
    const c = await h.case(String(answer.body.caseId));
    expect(c).toMatchObject({ source: 'hotline', state: 'whistled', streetId: 'street1', communityId: 'comm1', reporter: { name: '12345热线' } });
    expect(c.parsed).toMatchObject({ category: 'road', urgency: 'key', locationText: expect.stringMatching(/^测试路\d+号$/), confidence: 1 });
    expect(c.timeline[0]).toMatchObject({ type: 'created', channel: 'hotline' });
    await h.settle();
    const card = h.lastCard('zj-lead1', 'whistle');
    expect(JSON.stringify(card.body)).toContain(String(answer.body.number));
    expect(h.lastCard('zj-lead2', 'whistle')).toBeDefined();
  });

  it('lets the parser classify an unclassified order and puts an unclear one on the dispatcher triage card', async () => {
    const parsed = await post(order({ category: null, urgency: '', content: '测试路88号污水井盖丢失，路人容易掉下去' }));
    expect(parsed.status).toBe(201);
    expect((await h.case(String(parsed.body.caseId))).parsed.category).toBe('manhole');
    const vague = await post(order({ category: undefined, urgency: undefined, address: undefined, content: '想咨询一下相关政策' }));
    expect(vague.status).toBe(201);
    expect(vague.body).toMatchObject({ outcome: 'triage', departments: [] });
    await h.settle();
    expect(h.lastCard('dispatcher1', 'triage')).toBeDefined();
  });

  it('answers a repeat of the same order with the same case (200) and creates nothing', async () => {
    const body = order();
    const first = await post(body);
    const before = await caseCount();
    // The same order: other key order, whitespace around values, the same instant written in UTC.
    const repeat = await post({ ...Object.fromEntries(Object.entries(body).reverse()), content: ` ${String(body.content)} `, receivedAt: '2026-11-02T01:12:00Z' });
    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(await caseCount()).toBe(before);
  });

  it('refuses another body under a used order number with 409 order_conflict', async () => {
    const body = order();
    const first = await post(body);
    const before = await caseCount();
    const changed = await post({ ...body, content: '内容被改过的工单' });
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: 'order_conflict', details: { orderNo: body.orderNo, number: first.body.number } });
    expect(changed.body.error?.message).toContain(String(body.orderNo));
    expect(await caseCount()).toBe(before);
  });

  it('makes one case of concurrent duplicates', async () => {
    const body = order();
    const before = await caseCount();
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.caseId)).size).toBe(1);
    expect(await caseCount()).toBe(before + 1);
    await h.settle();
    const number = String(answers[0]?.body.number);
    expect(h.cards('zj-lead1', 'whistle').filter((m) => JSON.stringify(m.body).includes(number))).toHaveLength(1);
  });

  it('takes over an order whose first request died before creating its case', async () => {
    const body = order();
    const orders = new HotlineOrderRepository(h.mongo);
    const first = await post(body);
    const record = await orders.latest(DISTRICT_ID, String(body.orderNo));
    // A request that claimed the order long ago and never created the case (the process died).
    await h.mongo.collection('hotline_orders').updateOne({ _id: `${DISTRICT_ID}:${String(body.orderNo)}#0` as never }, { $unset: { caseId: '', number: '', outcome: '' }, $set: { claimedAt: new Date(Date.now() - 10 * 60_000) } });
    const retried = await post(body);
    expect(retried.status).toBe(201);
    expect(retried.body.caseId).not.toBe(first.body.caseId);
    expect(await orders.latest(DISTRICT_ID, String(body.orderNo))).toMatchObject({ attempt: 1, fingerprint: record?.fingerprint, caseId: retried.body.caseId });
    expect((await post(body)).body.caseId).toBe(retried.body.caseId);
  });

  it('refuses a missing or wrong token, and every request while HOTLINE_API_TOKEN is unset', async () => {
    expect((await post(order(), { token: null })).body.error?.code).toBe('missing_token');
    const wrong = await post(order(), { token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('invalid_token');
    const closed = await post(order(), { url: closedUrl, token: 'anything' });
    expect(closed.status).toBe(401);
    expect(closed.body.error).toMatchObject({ code: 'hotline_token_not_configured', message: expect.stringContaining('HOTLINE_API_TOKEN') });
    expect((await call('GET', '/api/hotline/orders/GD1', { token: null })).status).toBe(401);
  });

  it('refuses an invalid body with 400 naming the field, and non-JSON or oversized bodies', async () => {
    const before = await caseCount();
    const missing = await post({ content: '路面塌陷' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('工单号（orderNo）') });
    const issues = (await post(order({ content: '', lat: 'north', category: 'potholes' }))).body.error?.details?.issues as { field: string }[];
    expect(issues.map((i) => i.field).sort()).toEqual(['category', 'content', 'lat']);
    expect((await post(order({ lat: 39.9 }))).body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('lat 与 lng 须同时提供') });
    expect((await post(order({ orderNo: 'GD 1/2' }))).body.error?.code).toBe('invalid_request');
    expect((await post(order({ receivedAt: '2026-11-02 09:12' }))).body.error?.details?.issues).toEqual([expect.objectContaining({ field: 'receivedAt' })]);
    expect((await call('POST', '/api/hotline/orders', { raw: '{"orderNo":' })).body.error?.code).toBe('invalid_request');
    expect((await call('POST', '/api/hotline/orders', { raw: 'orderNo=1', contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    const huge = await post(order({ content: 'x'.repeat(HOTLINE_BODY_LIMIT_BYTES) }));
    expect(huge.status).toBe(413);
    expect(await caseCount()).toBe(before);
  });

  it('answers 413 at once to a body declaring 10 GiB, without waiting for it', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) };
    expect(await statusBeforeBodyEnds(baseUrl, { method: 'POST', path: '/api/hotline/orders', headers }, '{}')).toBe(413);
  });

  it('refuses an unknown street or community by name, and asks for the street when the district has several', async () => {
    const street = await post(order({ streetId: 'nowhere' }));
    expect(street.status).toBe(400);
    expect(street.body.error).toMatchObject({ code: 'unknown_street', details: { streetId: 'nowhere', streets: ['street1', 'street2'] } });
    expect(street.body.error?.message).toContain('nowhere');
    const community = await post(order({ communityId: 'comm2' }));
    expect(community.body.error).toMatchObject({ code: 'unknown_community', details: { communityId: 'comm2' } });
    const noStreet = await post(order({ streetId: undefined }));
    expect(noStreet.body.error).toMatchObject({ code: 'invalid_request', details: { streets: ['street1', 'street2'] } });
    const oneStreet = hotlineDistrictFrom({ ...testDistrict, streets: testDistrict.streets.slice(0, 1) });
    expect(placeOf(oneStreet, undefined, 'comm1')).toEqual({ streetId: 'street1', communityId: 'comm1' });
  });

  it('never shows the caller phone unmasked to departments', async () => {
    const answer = await post(order());
    await h.settle();
    const c = await h.case(String(answer.body.caseId));
    expect(c.text).toContain(MASKED);
    expect(c.text).not.toContain(PHONE);
    const sent = JSON.stringify(h.fake.callLog());
    expect(sent).toContain(String(answer.body.number));
    expect(sent).not.toContain(PHONE);
    expect(JSON.stringify(h.lastCard('zj-lead1', 'whistle').body)).toContain(MASKED);
  });

  it('gives the state and timeline for the hotline to sync back, without staff names or phones', async () => {
    const body = order();
    const created = await post(body);
    const caseId = String(created.body.caseId);
    const lead: Actor = { userId: 'zj-lead1', name: '住建甲', role: 'dept_lead', deptCode: 'zhujian' };
    const accepted = await runCaseCommand(h.lifecycle.deps, { id: caseId }, { type: 'accept' }, { actor: lead, channel: 'wecom', now: new Date() });
    expect(accepted.ok).toBe(true);
    const done = await runCaseCommand(h.lifecycle.deps, { id: caseId }, { type: 'feedback', text: `已修复，住建甲 ${PHONE}` }, { actor: lead, channel: 'wecom', now: new Date() });
    expect(done.ok).toBe(true);

    const status = await call('GET', `/api/hotline/orders/${String(body.orderNo)}`);
    expect(status.status).toBe(200);
    expect(status.headers.get('cache-control')).toBe('no-store');
    expect(status.body).toMatchObject({
      orderNo: body.orderNo,
      caseId,
      number: created.body.number,
      outcome: 'whistled',
      state: 'awaiting_verification',
      stateName: '已办理，待核实',
      category: { code: 'road', name: expect.any(String) },
      callerPhone: MASKED,
      receivedAt: '2026-11-02T01:12:00.000Z',
      dueAt: '2026-11-09T10:00:00.000Z',
      assignments: [expect.objectContaining({ department: { code: 'zhujian', name: '住建局' }, role: 'lead', state: 'done', acceptedAt: expect.any(String) })],
      result: { department: '住建局', text: `已修复，住建甲 ${MASKED}`, at: expect.any(String) },
    });
    expect((status.body.timeline as { type: string; title: string }[]).map((e) => [e.type, e.title])).toEqual([
      ['created', '街道已接收工单，生成案件'],
      ['whistled', '街道吹哨，派住建局办理'],
      ['accepted', '住建局已接哨报到'],
      ['feedback', '住建局已办理完毕，待核实'],
    ]);
    const { result: _result, ...rest } = status.body;
    const shown = JSON.stringify(rest);
    for (const secret of [PHONE, 'zj-lead1', '住建甲', '张网格']) expect(shown).not.toContain(secret);

    const unknown = await call('GET', '/api/hotline/orders/GD-none');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('order_not_found');
  });

});

/** The demo district (config/district.demo.json) has one street: an order need not name it. */
describe('12345 hotline work-order API in the single-street demo district', () => {
  const h = new TestApp('hotline_demo_district', { role: 'web', env: { HOTLINE_API_TOKEN: 'wired-token' } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('takes an order without streetId', async () => {
    const post = (token: string) =>
      fetch(`${h.url}/api/hotline/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ orderNo: 'W-1', content: '农机路3号路面塌陷，车辆通行危险', address: '农机路3号', category: 'road' }),
      });
    expect((await post('wrong')).status).toBe(401);
    const created = await post('wired-token');
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ outcome: 'whistled', departments: [{ code: 'zhujian', role: 'lead' }] });
    const status = await fetch(`${h.url}/api/hotline/orders/W-1`, { headers: { authorization: 'Bearer wired-token' } });
    expect(await status.json()).toMatchObject({ orderNo: 'W-1', state: 'whistled' });
  });
});
