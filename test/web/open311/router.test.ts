import { XMLParser } from 'fast-xml-parser';
import { runCaseCommand } from '../../../commands/runCaseCommand';
import type { Actor } from '../../../src/cases';
import { Open311Repository } from '../../../store/open311Repository';
import { DISTRICT_ID, testDistrictApp } from '../../bots/wecom/lifecycle/support/district';
import { TestApp } from '../../support/testApp';

const EMAIL = 'alice.walker@example.org';
const PHONE = '13912345678';
const LEAD: Actor = { userId: 'zj-lead1', name: '住建甲', role: 'dept_lead', deptCode: 'zhujian' };
const DISPATCHER: Actor = { userId: 'dispatcher1', name: '调度员', role: 'dispatcher' };
const xml = new XMLParser({ parseTagValue: false });

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Open311 GeoReport v2 over real HTTP on the real lifecycle, driven the way FixMyStreet's client calls it. */
describe('Open311 GeoReport v2', () => {
  const h = new TestApp('open311_georeport', {
    ...testDistrictApp,
    configFiles: {
      OPEN311_CONFIG: {
        jurisdictions: [{ id: 'street1.test', streetId: 'street1' }, { id: 'street2.test', streetId: 'street2' }],
        services: [{ code: 'POTHOLE', category: 'road', name: '道路坑洼', keywords: ['pothole', 'road'] }, { code: 'MANHOLE', category: 'manhole' }],
        limits: { postPerKey: { limit: 40, windowSeconds: 60 }, readPerIp: { limit: 10_000, windowSeconds: 60 } },
      },
    },
  });
  let base: string;
  let repository: Open311Repository;
  let apiKey: string;
  let seq = 0;

  beforeAll(async () => {
    await h.start();
    repository = new Open311Repository(h.mongo);
    await repository.ensureIndexes();
    apiKey = await repository.issueKey('fixmystreet', 'FixMyStreet');
    base = `${h.url}/open311/v2`;
  });

  afterAll(() => h.stop());

  async function call(method: string, path: string, body?: string, contentType = 'application/x-www-form-urlencoded'): Promise<Answer> {
    const response = await fetch(`${base}${path}`, { method, ...(body !== undefined && { body, headers: { 'content-type': contentType } }) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** The fields FixMyStreet's Open311.pm posts: jurisdiction and key, lat/long, e-mail, names, description in its layout, attribute[…]. */
  function fixMyStreetForm(overrides: Record<string, string | undefined> = {}): URLSearchParams {
    seq += 1;
    const fields: Record<string, string | undefined> = {
      jurisdiction_id: 'street1.test',
      api_key: apiKey,
      lat: String(39.9 + seq / 1000),
      long: String(116.4 + seq / 1000),
      email: EMAIL,
      description: `title:  开放路${seq}号路面塌陷\n\ndetail: 开放路${seq}号门口路面塌陷一个大坑，车辆通行危险，请联系${PHONE}\n\nurl: https://fms.example.org/report/${seq}\n\nSubmitted via FixMyStreet\n`,
      service_code: 'POTHOLE',
      first_name: 'Alice',
      last_name: 'Walker',
      phone: PHONE,
      media_url: `https://fms.example.org/photo/${seq}.jpeg`,
      'attribute[title]': `开放路${seq}号路面塌陷`,
      'attribute[report_url]': `https://fms.example.org/report/${seq}`,
      ...overrides,
    };
    return new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
  }

  const post = (form: URLSearchParams, format: 'json' | 'xml' = 'xml') => call('POST', `/requests.${format}`, form.toString());
  const json = (a: Answer) => JSON.parse(a.text) as Record<string, unknown>[];
  const errorsOf = (a: Answer) => json(a) as { code: number; description: string }[];
  const caseCount = () => h.mongo.collection('cases').countDocuments();

  async function filed(): Promise<{ id: string; caseId: string }> {
    const answer = await post(fixMyStreetForm(), 'json');
    expect(answer.status).toBe(201);
    const id = String(json(answer)[0]!.service_request_id);
    const c = await h.lifecycle.deps.cases.findByNumber(id, DISTRICT_ID);
    return { id, caseId: c!.id };
  }

  it('lists the services in JSON and XML, mapped to categories', async () => {
    const list = await call('GET', '/services.json?jurisdiction_id=street1.test');
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json(list)).toEqual([
      { service_code: 'POTHOLE', service_name: '道路坑洼', description: expect.any(String), metadata: true, type: 'realtime', keywords: 'pothole,road', group: '住建局' },
      expect.objectContaining({ service_code: 'MANHOLE', service_name: '井盖问题', group: expect.any(String) }),
    ]);
    const asXml = await call('GET', '/services.xml?jurisdiction_id=street1.test');
    expect(asXml.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(asXml.text.startsWith('<?xml version="1.0" encoding="utf-8"?><services><service><service_code>POTHOLE</service_code>')).toBe(true);
    expect(xml.parse(asXml.text).services.service).toHaveLength(2);
  });

  it('describes a service definition with its urgency attribute, and refuses an unknown service in the spec format', async () => {
    const definition = xml.parse((await call('GET', '/services/POTHOLE.xml?jurisdiction_id=street1.test')).text).service_definition;
    expect(definition.service_code).toBe('POTHOLE');
    expect(definition.attributes.attribute).toMatchObject({ code: 'urgency', datatype: 'singlevaluelist', variable: 'true', required: 'false' });
    expect(definition.attributes.attribute.values.value.map((v: { key: string }) => v.key)).toEqual(['emergency', 'key', 'daily']);
    const missing = await call('GET', '/services/NOPE.xml?jurisdiction_id=street1.test');
    expect(missing.status).toBe(404);
    expect(xml.parse(missing.text)).toEqual({ '?xml': '', errors: { error: { code: '404', description: expect.stringContaining('NOPE') } } });
    const missingJson = await call('GET', '/services/NOPE.json?jurisdiction_id=street1.test');
    expect(errorsOf(missingJson)).toEqual([{ code: 404, description: expect.stringContaining('services.json') }]);
  });

  it('files a FixMyStreet request as a case whose departments never see who reported it', async () => {
    const before = await caseCount();
    const answer = await post(fixMyStreetForm());
    expect(answer.status).toBe(201);
    const receipt = xml.parse(answer.text).service_requests.request;
    expect(receipt.service_request_id).toMatch(/^\d{4}-\d{6}$/);
    expect(await caseCount()).toBe(before + 1);
    const c = await h.lifecycle.deps.cases.findByNumber(receipt.service_request_id, DISTRICT_ID);
    expect(c).toMatchObject({ source: 'open311', streetId: 'street1', state: 'whistled', reporter: { name: 'Open311·FixMyStreet' }, parsed: { category: 'road', confidence: 1 } });
    expect(c!.timeline[0]).toMatchObject({ type: 'created', channel: 'open311' });
    expect(c!.text).toContain('139****5678');
    await h.settle();
    const sent = JSON.stringify(h.fake.callLog());
    expect(sent).toContain(receipt.service_request_id);
    for (const secret of [EMAIL, PHONE, 'Alice', 'Walker']) {
      expect(sent).not.toContain(secret);
      expect(JSON.stringify(c)).not.toContain(secret);
    }
    // The contact is kept on the request record only, for the operator.
    const [record] = await repository.byNumbers(DISTRICT_ID, [receipt.service_request_id]);
    expect(record!.contact).toEqual({ email: EMAIL, firstName: 'Alice', lastName: 'Walker', phone: PHONE });
  });

  it('answers a repeat of the same request with the same service_request_id and no second case', async () => {
    const form = fixMyStreetForm();
    const first = await post(form, 'json');
    const before = await caseCount();
    const again = await post(form, 'json');
    expect(again.status).toBe(200);
    expect(json(again)[0]!.service_request_id).toBe(json(first)[0]!.service_request_id);
    expect(await caseCount()).toBe(before);
  });

  it('takes address_string instead of a point, and the urgency attribute', async () => {
    const answer = await post(fixMyStreetForm({ lat: undefined, long: undefined, address_string: '开放路99号', 'attribute[urgency]': 'emergency' }), 'json');
    expect(answer.status).toBe(201);
    const c = await h.lifecycle.deps.cases.findByNumber(String(json(answer)[0]!.service_request_id), DISTRICT_ID);
    expect(c!.parsed).toMatchObject({ locationText: '开放路99号', urgency: 'emergency' });
    expect(c!.parsed.lat).toBeUndefined();
  });

  it('shows status open then closed, with status_notes and agency_responsible', async () => {
    const { id, caseId } = await filed();
    const open = json(await call('GET', `/requests/${id}.json?jurisdiction_id=street1.test`));
    expect(open).toEqual([
      expect.objectContaining({ service_request_id: id, status: 'open', status_notes: '已吹哨，待部门报到', service_code: 'POTHOLE', service_name: '道路坑洼', agency_responsible: '住建局', media_url: expect.stringContaining('fms.example.org/photo'), lat: expect.any(Number), long: expect.any(Number) }),
    ]);
    expect(JSON.stringify(open)).not.toContain(EMAIL);
    for (const [command, actor] of [[{ type: 'accept' }, LEAD], [{ type: 'feedback', text: `路面已修复，电话${PHONE}` }, LEAD], [{ type: 'verify', outcome: 'solved' }, DISPATCHER]] as const) {
      expect((await runCaseCommand(h.lifecycle.deps, { id: caseId }, command, { actor, channel: 'wecom', now: new Date() })).ok).toBe(true);
    }
    const closed = xml.parse((await call('GET', `/requests/${id}.xml?jurisdiction_id=street1.test`)).text).service_requests.request;
    expect(closed).toMatchObject({ service_request_id: id, status: 'closed', status_notes: '已办结：路面已修复，电话139****5678', agency_responsible: '住建局' });
  });

  it('lists requests by ids, service, status and dates, within the default window', async () => {
    const a = await filed();
    const b = await post(fixMyStreetForm({ service_code: 'MANHOLE', description: '开放路污水井盖丢失' }), 'json');
    const bId = String(json(b)[0]!.service_request_id);
    const byIds = json(await call('GET', `/requests.json?jurisdiction_id=street1.test&service_request_id=${a.id},${bId}`));
    expect(byIds.map((r) => r.service_request_id).sort()).toEqual([a.id, bId].sort());
    const manholes = json(await call('GET', '/requests.json?jurisdiction_id=street1.test&service_code=MANHOLE'));
    expect(manholes.map((r) => r.service_request_id)).toContain(bId);
    expect(manholes.every((r) => r.service_code === 'MANHOLE')).toBe(true);
    const closed = json(await call('GET', '/requests.json?jurisdiction_id=street1.test&status=closed'));
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
    expect(closed.length).toBeGreaterThan(0);
    const all = json(await call('GET', '/requests.json?jurisdiction_id=street1.test'));
    expect(all.length).toBeGreaterThanOrEqual(byIds.length + closed.length);
    const past = json(await call('GET', `/requests.json?jurisdiction_id=street1.test&end_date=${encodeURIComponent('2020-01-01T00:00:00+08:00')}`));
    expect(past).toEqual([]);
    // Another jurisdiction (street) sees none of these.
    expect(json(await call('GET', `/requests.json?jurisdiction_id=street2.test&service_request_id=${a.id}`))).toEqual([]);
    expect((await call('GET', `/requests/${a.id}.json?jurisdiction_id=street2.test`)).status).toBe(404);
  });

  it('refuses bad requests in the spec error format and creates nothing', async () => {
    const before = await caseCount();
    const refusals: [string, Promise<Answer>, number, RegExp][] = [
      ['no key', post(fixMyStreetForm({ api_key: undefined }), 'json'), 403, /api_key is required/],
      ['wrong key', post(fixMyStreetForm({ api_key: 'o311_guess' }), 'json'), 403, /not valid or was revoked/],
      ['JSON body', call('POST', '/requests.json', JSON.stringify({ api_key: apiKey, service_code: 'POTHOLE' }), 'application/json'), 415, /x-www-form-urlencoded/],
      ['no service', post(fixMyStreetForm({ service_code: '' }), 'json'), 400, /service_code: is required/],
      ['unknown service', post(fixMyStreetForm({ service_code: 'GRAFFITI' }), 'json'), 404, /GRAFFITI/],
      ['no location', post(fixMyStreetForm({ lat: undefined, long: undefined }), 'json'), 400, /a location is required/],
      ['half a point', post(fixMyStreetForm({ long: undefined }), 'json'), 400, /lat and long must be sent together/],
      ['bad latitude', post(fixMyStreetForm({ lat: '123' }), 'json'), 400, /lat: must be a number from -90 to 90/],
      ['address_id only', post(fixMyStreetForm({ lat: undefined, long: undefined, address_id: 'A1' }), 'json'), 400, /address_id is not supported/],
      ['bad e-mail', post(fixMyStreetForm({ email: 'not-an-email' }), 'json'), 400, /email: must be an e-mail address/],
      ['bad urgency', post(fixMyStreetForm({ 'attribute[urgency]': 'soon' }), 'json'), 400, /attribute\[urgency\]/],
      ['no jurisdiction among several', post(fixMyStreetForm({ jurisdiction_id: undefined }), 'json'), 400, /jurisdiction_id is required/],
      ['unknown jurisdiction', post(fixMyStreetForm({ jurisdiction_id: 'elsewhere' }), 'json'), 404, /not served here/],
      ['too large', post(fixMyStreetForm({ description: '坑'.repeat(30_000) }), 'json'), 413, /over 65536 bytes/],
      ['bad dates', call('GET', '/requests.json?jurisdiction_id=street1.test&start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z'), 400, /end_date: must not be before start_date/],
      ['bad date format', call('GET', '/requests.json?jurisdiction_id=street1.test&start_date=yesterday'), 400, /start_date: must be an ISO 8601/],
      ['bad status', call('GET', '/requests.json?jurisdiction_id=street1.test&status=pending'), 400, /status: must be open, closed/],
      ['unknown request', call('GET', '/requests/2099-999999.json?jurisdiction_id=street1.test'), 404, /was not filed here/],
    ];
    for (const [what, pending, status, description] of refusals) {
      const answer = await pending;
      expect({ what, status: answer.status }).toEqual({ what, status });
      const [error] = errorsOf(answer);
      expect({ what, code: error!.code }).toEqual({ what, code: status });
      expect(error!.description).toMatch(description);
    }
    expect(await caseCount()).toBe(before);
  });

  it('stops honouring a key the moment it is revoked', async () => {
    const key = await repository.issueKey('revoked-app', 'Revoked app');
    expect((await post(fixMyStreetForm({ api_key: key }), 'json')).status).toBe(201);
    expect(await repository.revoke('revoked-app')).toBe(1);
    const refused = await post(fixMyStreetForm({ api_key: key }));
    expect(refused.status).toBe(403);
    expect(xml.parse(refused.text).errors.error.code).toBe('403');
    expect((await repository.clients()).find((c) => c.clientId === 'revoked-app')?.revokedAt).toBeInstanceOf(Date);
  });

  it('limits each client to its rate, with Retry-After, without touching other clients', async () => {
    const key = await repository.issueKey('busy-app', 'Busy app');
    const invalid = () => post(fixMyStreetForm({ api_key: key, service_code: '' }), 'json');
    for (let i = 0; i < 40; i += 1) expect((await invalid()).status).toBe(400);
    const limited = await invalid();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errorsOf(limited)[0]).toMatchObject({ code: 429 });
    expect((await post(fixMyStreetForm(), 'json')).status).toBe(201);
  });
});

/** The demo district with the demo's config/open311.json, and the same app without OPEN311_CONFIG (web role). */
describe('Open311 in the demo district', () => {
  const open = new TestApp('open311_demo', { role: 'web', env: { OPEN311_CONFIG: 'config/open311.json' } });
  const closed = new TestApp('open311_closed', { role: 'web' });
  beforeAll(() => Promise.all([open.start(), closed.start()]));
  afterAll(() => Promise.all([open.stop(), closed.stop()]));

  it('files a form-encoded request in the demo district and lists the demo services', async () => {
    const services = (await (await fetch(`${open.url}/open311/v2/services.json`)).json()) as { service_code: string }[];
    expect(services.map((s) => s.service_code)).toContain('road');
    const apiKey = await new Open311Repository(open.mongo).issueKey('demo-app', 'Demo app');
    const body = new URLSearchParams({ api_key: apiKey, service_code: 'road', address_string: '农机路3号', description: '农机路3号路面塌陷，车辆通行危险' });
    const filed = await fetch(`${open.url}/open311/v2/requests.json`, { method: 'POST', body });
    expect(filed.status).toBe(201);
    const [receipt] = (await filed.json()) as { service_request_id: string }[];
    const status = (await (await fetch(`${open.url}/open311/v2/requests/${receipt!.service_request_id}.json`)).json()) as Record<string, unknown>[];
    expect(status[0]).toMatchObject({ status: 'open', agency_responsible: '住建局', service_code: 'road' });
  });

  it('is closed without OPEN311_CONFIG', async () => {
    expect((await fetch(`${closed.url}/open311/v2/services.json`)).status).toBe(404);
  });
});
