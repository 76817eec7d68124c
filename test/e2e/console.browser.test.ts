import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type StartedApp } from '../../app/startApp';
import { loadEnv } from '../../config';
import { createLogger } from '../../infra/logger';
import { localDate } from '../../src/sla/timeZone';
import { launchChromium } from '../support/chromium';
import { testMongoUri, testPrefix, testRedisUrl } from '../support/isolation';
import { waitFor } from '../support/wait';

const HOTLINE_TOKEN = 'console-test-hotline-token';
const STATS_TOKEN = 'console-test-stats-token';
const ALLIANCE_TOKEN = 'console-test-alliance-token';
const WECOM_UA = 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1';

/**
 * The command centre in a real browser, logging in through the fake WeChat Work's 扫码登录 and
 * 网页授权 pages: the dispatcher triages and the board follows by itself; a department lead sees
 * only their department's cases; outsiders, stale sessions and CSRF-less actions get nothing; the
 * monthly report's .xlsx cells equal the stats API's figures. Screenshots land in test-artifacts/console.
 */
describe('command centre in Chromium', () => {
  const artifacts = join(__dirname, '../../test-artifacts/console');
  const prefix = testPrefix('console');
  const rawEnv = {
    MONGODB_URI: testMongoUri('console-browser'),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    MEDIA_DIR: mkdtempSync(join(tmpdir(), 'console-media-')),
    HOTLINE_API_TOKEN: HOTLINE_TOKEN,
    STATS_API_TOKEN: STATS_TOKEN,
    ALLIANCE_API_TOKEN: ALLIANCE_TOKEN,
  };
  let app: StartedApp;
  let browser: Browser;
  let base: string;

  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

  async function hotlineCase(orderNo: string, body: Record<string, unknown>): Promise<{ number: string; id: string }> {
    const response = await fetch(`${base}/api/hotline/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${HOTLINE_TOKEN}` },
      body: JSON.stringify({ orderNo, streetId: 'wenming', ...body }),
    });
    expect(response.status).toBe(201);
    const { number, caseId } = (await response.json()) as { number: string; caseId: string };
    return { number, id: caseId };
  }

  /** 扫码登录 on a desktop: the console sends us to the fake WeChat Work, which sends us back with a code. */
  async function loginBySso(context: BrowserContext, userId: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.waitForURL(/\/console\/login/);
    await page.click('text=企业微信扫码登录');
    await page.waitForSelector('#userid');
    expect(await page.title()).toContain('扫码登录');
    await page.fill('#userid', userId);
    await page.click('#approve');
    return page;
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    app = await startApp(loadEnv(rawEnv), createLogger({ level: 'silent' }), rawEnv);
    base = app.runtime.url!;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.runtime.stop();
  });

  it('logs the dispatcher in by 扫码登录, triages a case and the board follows by itself', async () => {
    const triage = await hotlineCase('T-1', { content: '和平社区北门附近有人反映问题，需要街道看看', address: '和平社区北门', lat: 45.759, lng: 126.636, category: 'other' });
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const board = await loginBySso(context, 'dispatcher-wenming');
    await board.waitForSelector('#board');
    const triageTile = () => board.locator('#by-state + div tbody tr', { hasText: '待分拨' }).locator('td').nth(1).textContent();
    const whistledTile = () => board.locator('#by-state + div tbody tr', { hasText: '已吹哨' }).locator('td').nth(1).textContent();
    expect(await triageTile()).toBe('1');
    expect(await whistledTile()).toBe('0');
    await shot(board, 'wall-1920-board-before');

    // A second window: the case detail, where the dispatcher whistles it to 城管局.
    const detail = await context.newPage();
    await detail.setViewportSize({ width: 1366, height: 900 });
    await detail.goto(`${base}/console#/cases?q=${triage.number}`);
    await detail.click(`a:text-is("${triage.number}")`);
    await detail.waitForSelector('#act-whistle');
    await detail.selectOption('#act-whistle-lead', 'chengguan');
    await detail.click('#act-whistle button[type=submit]');
    await detail.waitForSelector('#case-state:text-is("已吹哨")');
    await shot(detail, 'desktop-case-detail-whistled');

    // The board was not reloaded: the server-sent event made it re-read itself.
    await board.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('#by-state + div tbody tr:nth-child(3) td:nth-child(2)')?.textContent === '1', undefined, { timeout: 10_000 });
    expect(await triageTile()).toBe('0');
    expect(await whistledTile()).toBe('1');
    await shot(board, 'wall-1920-board-after');

    const stored = await app.runtime.mongo.collection('cases').findOne({ number: triage.number });
    expect(stored).toMatchObject({ state: 'whistled', assignments: [expect.objectContaining({ deptCode: 'chengguan', role: 'lead' })] });
    expect(stored?.timeline.at(-1)).toMatchObject({ type: 'whistled', channel: 'console', actorId: 'dispatcher-wenming' });
    await context.close();
  }, 120_000);

  it('shows a department lead (网页授权 inside WeChat Work) only their cases, and refuses their actions on others', async () => {
    const road = await hotlineCase('R-1', { content: '文明大街路面塌陷，很危险，联系电话13812345678', address: '文明大街与农机路交叉口', lat: 45.758, lng: 126.634, category: 'road' });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: WECOM_UA, isMobile: true });
    const page = await phone.newPage();
    // Inside the WeChat Work client the login page goes straight to 网页授权.
    await page.goto(`${base}/console`);
    await page.waitForSelector('#userid');
    expect(await page.title()).toContain('网页授权');
    await page.fill('#userid', 'chengguan-lead');
    await page.click('#approve');
    await page.waitForSelector('#board');
    await page.goto(`${base}/console#/cases`);
    await page.waitForSelector('#total');
    const listed = await page.locator('tbody tr[data-case]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));
    const chengguanCases = await app.runtime.mongo.collection('cases').countDocuments({ 'assignments.deptCode': 'chengguan' });
    expect(listed).toHaveLength(chengguanCases);
    expect(listed).not.toContain(road.number);
    await shot(page, 'phone-department-cases');

    // Someone else's case: not found, for reading and for acting alike; nothing changes.
    const me = (await (await page.request.get(`${base}/console/api/me`)).json()) as { csrf: string };
    expect((await page.request.get(`${base}/console/api/cases/${road.id}`)).status()).toBe(404);
    const foreign = await page.request.post(`${base}/console/api/cases/${road.id}/actions`, { data: { type: 'accept' }, headers: { 'x-csrf-token': me.csrf } });
    expect(foreign.status()).toBe(404);
    expect(await app.runtime.mongo.collection('cases').findOne({ number: road.number })).toMatchObject({ state: 'whistled', version: expect.any(Number) });

    // Their own case: the reporter stays hidden and the phone number masked; accepting works, twice is refused like a second tap in chat.
    const own = await app.runtime.mongo.collection('cases').findOne({ 'assignments.deptCode': 'chengguan', state: 'whistled' });
    await page.goto(`${base}/console#/case/${String(own?._id)}`);
    await page.waitForSelector('#act-accept');
    expect(await page.textContent('#reporter')).toContain('未公开');
    await page.click('#act-accept button[type=submit]');
    await page.waitForSelector('#case-state:text-is("办理中")');
    await shot(page, 'phone-department-case-accepted');
    const again = await page.request.post(`${base}/console/api/cases/${String(own?._id)}/actions`, { data: { type: 'accept' }, headers: { 'x-csrf-token': me.csrf } });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/已|接哨/);
    await phone.close();

    const roadText = await app.runtime.mongo.collection('cases').findOne({ number: road.number });
    expect(roadText?.text).not.toContain('13812345678');
  }, 120_000);

  it('gives an outsider, a stale session and a CSRF-less action nothing', async () => {
    // No session at all.
    expect((await fetch(`${base}/console/api/board`)).status).toBe(401);
    expect((await fetch(`${base}/console`, { redirect: 'manual' })).status).toBe(302);

    // A grid member is in the organisation but has no console role; a stranger is not in it at all.
    for (const outsider of ['grid-zhang', 'somebody-else']) {
      const context = await browser.newContext();
      const page = await loginBySso(context, outsider);
      await page.waitForSelector('#message');
      expect(await page.textContent('h1')).toBe('没有权限');
      expect((await page.request.get(`${base}/console/api/board`)).status()).toBe(401);
      if (outsider === 'grid-zhang') await shot(page, 'outsider-refused');
      await context.close();
    }

    // A replayed callback (the code and state are single-use) logs nobody in.
    const context = await browser.newContext();
    const page = await loginBySso(context, 'street-leader-wenming');
    await page.waitForSelector('#board');
    const me = (await (await page.request.get(`${base}/console/api/me`)).json()) as { csrf: string };
    const open = await app.runtime.mongo.collection('cases').findOne({ state: 'whistled' });

    // An action without the CSRF token is refused and changes nothing.
    const before = open?.version;
    const csrfless = await page.request.post(`${base}/console/api/cases/${String(open?._id)}/actions`, { data: { type: 'markHardCase', reason: '多次反映' } });
    expect(csrfless.status()).toBe(403);
    expect(((await csrfless.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const wrong = await page.request.post(`${base}/console/api/cases/${String(open?._id)}/actions`, { data: { type: 'markHardCase', reason: '多次反映' }, headers: { 'x-csrf-token': 'forged' } });
    expect(wrong.status()).toBe(403);
    expect((await app.runtime.mongo.collection('cases').findOne({ _id: open!._id }))?.version).toBe(before);
    // With the token the same action goes through the same use case.
    const marked = await page.request.post(`${base}/console/api/cases/${String(open?._id)}/actions`, { data: { type: 'markHardCase', reason: '多次反映' }, headers: { 'x-csrf-token': me.csrf } });
    expect(marked.status()).toBe(200);

    // The session expires in Redis (here: removed, as expiry does): the next call gets nothing.
    const keys = await app.runtime.redis.keys(`${prefix}:console:session:*`);
    expect(keys.length).toBeGreaterThan(0);
    await app.runtime.redis.del(...keys);
    expect((await page.request.get(`${base}/console/api/board`)).status()).toBe(401);
    expect((await page.request.post(`${base}/console/api/cases/${String(open?._id)}/actions`, { data: { type: 'resolveHardCase', reason: 'x' }, headers: { 'x-csrf-token': me.csrf } })).status()).toBe(401);
    await context.close();

    // The admin reads the refusals in the audit log.
    const adminContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const admin = await loginBySso(adminContext, 'district-admin');
    await admin.waitForSelector('#board');
    await admin.goto(`${base}/console#/audit`);
    await admin.waitForSelector('text=CSRF 令牌缺失或错误');
    const { entries } = (await (await admin.request.get(`${base}/console/api/audit`)).json()) as { entries: { userId: string; action: string; outcome: string }[] };
    expect(entries).toEqual(expect.arrayContaining([
      expect.objectContaining({ userId: 'street-leader-wenming', action: 'markHardCase', outcome: 'ok' }),
      expect.objectContaining({ userId: 'grid-zhang', action: 'login', outcome: 'refused' }),
      expect.objectContaining({ userId: 'dispatcher-wenming', action: 'whistle', outcome: 'ok' }),
    ]));
    await shot(admin, 'desktop-audit');
    await adminContext.close();
  }, 120_000);

  it('refuses what a role may not do and input it cannot read, with a reason', async () => {
    const context = await browser.newContext();
    const member = await loginBySso(context, 'chengguan-staff');
    await member.waitForSelector('#board');
    const me = (await (await member.request.get(`${base}/console/api/me`)).json()) as { csrf: string };
    const own = await app.runtime.mongo.collection('cases').findOne({ 'assignments.deptCode': 'chengguan' });
    // A department member reads their department's cases but acts in chat, not here.
    expect((await member.request.get(`${base}/console/api/cases/${String(own?._id)}`)).status()).toBe(200);
    const act = await member.request.post(`${base}/console/api/cases/${String(own?._id)}/actions`, { data: { type: 'return', reason: '不归我们' }, headers: { 'x-csrf-token': me.csrf } });
    expect(act.status()).toBe(403);
    expect(((await act.json()) as { error: { code: string } }).error.code).toBe('read_only');
    // Only admins read the audit log.
    expect((await member.request.get(`${base}/console/api/audit`)).status()).toBe(403);
    // Filters and actions it cannot read: 400 with the field named.
    const badFilter = await member.request.get(`${base}/console/api/cases?from=yesterday&pageSize=9999`);
    expect(badFilter.status()).toBe(400);
    expect(((await badFilter.json()) as { error: { message: string } }).error.message).toMatch(/起始日期|每页条数/);
    const badAction = await member.request.post(`${base}/console/api/cases/${String(own?._id)}/actions`, { data: { type: 'teleport' }, headers: { 'x-csrf-token': me.csrf } });
    expect(badAction.status()).toBe(400);
    expect((await member.request.get(`${base}/console/api/cases/not-a-case-id`)).status()).toBe(404);
    expect((await member.request.get(`${base}/console/api/report?month=2026-13`)).status()).toBe(400);
    await context.close();

    // The dispatcher's refusals are the lifecycle's: whistling a case already whistled is refused like in chat.
    const dispatcherContext = await browser.newContext();
    const dispatcher = await loginBySso(dispatcherContext, 'dispatcher-wenming');
    await dispatcher.waitForSelector('#board');
    const token = ((await (await dispatcher.request.get(`${base}/console/api/me`)).json()) as { csrf: string }).csrf;
    const again = await dispatcher.request.post(`${base}/console/api/cases/${String(own?._id)}/actions`, { data: { type: 'whistle', departments: ['zhujian'] }, headers: { 'x-csrf-token': token } });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe('该案件已派单或已结束，不能再次吹哨');
    await dispatcherContext.close();
  }, 120_000);

  it('exports the case list as shown to .xlsx', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await loginBySso(context, 'dispatcher-wenming');
    await page.waitForSelector('#board');
    await page.goto(`${base}/console#/cases?state=open&sort=number&order=asc`);
    await page.waitForSelector('tbody tr[data-case]');
    await shot(page, 'desktop-cases');
    const shown = await page.locator('tbody tr[data-case]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const numbers: string[] = [];
    workbook.getWorksheet('案件')!.eachRow((row, n) => void (n > 1 && numbers.push(String(row.getCell(1).value))));
    expect(numbers).toEqual(shown);
    expect(numbers.length).toBeGreaterThan(0);
  }, 120_000);

  it('lets the street verify a case and rate the department that did it (街道评价部门), once, a 不满意 only with a reason', async () => {
    const sign = await hotlineCase('S-1', { content: '文明大街路牌被撞倒', address: '文明大街12号', lat: 45.7582, lng: 126.6352, category: 'other' });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await loginBySso(context, 'dispatcher-wenming');
    await page.waitForSelector('#board');
    const token = ((await (await page.request.get(`${base}/console/api/me`)).json()) as { csrf: string }).csrf;
    const act = (data: Record<string, unknown>) => page.request.post(`${base}/console/api/cases/${sign.id}/actions`, { data, headers: { 'x-csrf-token': token } });
    expect((await act({ type: 'whistle', departments: ['chengguan'] })).status()).toBe(200);
    // Before the case is closed the street cannot rate yet.
    const early = await act({ type: 'rateDepartment', deptCode: 'chengguan', value: 'satisfied' });
    expect(early.status()).toBe(409);
    expect(((await early.json()) as { error: { message: string } }).error.message).toBe('案件核实结项后才能评价部门');

    // The department accepts here and reports it done in chat (the sandbox's fake WeChat Work callback).
    const lead = await browser.newContext();
    const leadPage = await loginBySso(lead, 'chengguan-lead');
    await leadPage.waitForSelector('#board');
    const leadToken = ((await (await leadPage.request.get(`${base}/console/api/me`)).json()) as { csrf: string }).csrf;
    expect((await leadPage.request.post(`${base}/console/api/cases/${sign.id}/actions`, { data: { type: 'accept' }, headers: { 'x-csrf-token': leadToken } })).status()).toBe(200);
    // A department may not rate itself.
    expect((await leadPage.request.post(`${base}/console/api/cases/${sign.id}/actions`, { data: { type: 'rateDepartment', deptCode: 'chengguan', value: 'satisfied' }, headers: { 'x-csrf-token': leadToken } })).status()).toBe(403);
    await lead.close();
    const sent = await fetch(`${base}/sandbox/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'chengguan-staff', text: `${sign.number} 已处理完毕，路牌已扶正` }) });
    expect(sent.status).toBe(200);
    await waitFor('the feedback', async () => (await app.runtime.mongo.collection('cases').findOne({ number: sign.number }))?.state === 'awaiting_verification');

    await page.goto(`${base}/console#/case/${sign.id}`);
    await page.waitForSelector('#act-verify');
    await page.click('#act-verify button[type=submit]');
    await page.waitForSelector('#act-rateDepartment');
    expect(await page.textContent('#case-state')).toBe('已结案');
    // 不满意 without a reason: refused with the reason shown, nothing stored.
    await page.selectOption('#act-rateDepartment-value', 'dissatisfied');
    await page.click('#act-rateDepartment button[type=submit]');
    await page.waitForSelector('#flash.error:text("评为不满意时请填写原因")');
    expect((await app.runtime.mongo.collection('cases').findOne({ number: sign.number }))?.assignments[0].streetRating).toBeUndefined();
    // (the page re-reads itself on every change of the case, so the form is filled again)
    await page.selectOption('#act-rateDepartment-value', 'dissatisfied');
    await page.fill('#act-rateDepartment input[name=comment]', '处理拖了两天');
    await page.click('#act-rateDepartment button[type=submit]');
    await page.waitForSelector('td.street-rating:text("不满意：处理拖了两天")');
    expect(await page.locator('#act-rateDepartment').count()).toBe(0);
    await shot(page, 'desktop-case-street-rating');
    const stored = await app.runtime.mongo.collection('cases').findOne({ number: sign.number });
    expect(stored?.assignments[0]).toMatchObject({ deptCode: 'chengguan', streetRating: { value: 'dissatisfied', by: 'dispatcher-wenming', comment: '处理拖了两天' }, figures: { streetRated: 1, streetSatisfied: 0 } });
    expect(stored?.timeline.at(-1)).toMatchObject({ type: 'department_rated', channel: 'console', deptCode: 'chengguan' });
    // Twice is refused like a second tap.
    const twice = await act({ type: 'rateDepartment', deptCode: 'chengguan', value: 'satisfied' });
    expect(twice.status()).toBe(409);
    expect(((await twice.json()) as { error: { code: string } }).error.code).toBe('already_rated');
    await context.close();
  }, 120_000);

  it('shows the street the alliance figures and lets it register a unit and a party member (联盟报到)', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await loginBySso(context, 'dispatcher-wenming');
    await page.waitForSelector('#board');
    await page.click('#nav-alliance');
    await page.waitForSelector('#alliance-figures');
    // The figures are the alliance API's: quota progress, hours, points, stars and rank per participant.
    const api = (await (await fetch(`${base}/api/alliance/figures`, { headers: { authorization: `Bearer ${ALLIANCE_TOKEN}` } })).json()) as { ranking: { participant: { id: string }; rank: number; hours: number; points: number; quota?: { text: string } }[] };
    expect(api.ranking.length).toBeGreaterThan(0);
    for (const f of api.ranking) {
      const cells = await page.locator(`tr[data-participant="${f.participant.id}"] td`).allTextContents();
      expect(cells[0]).toBe(String(f.rank));
      expect(cells[5]).toBe(f.quota?.text ?? '—');
      expect(cells[7]).toBe(String(f.hours));
      expect(cells[9]).toBe(String(f.points));
    }
    expect(await page.textContent('tr[data-participant="unit-gongdian"] td.quota')).toBe('今年已报到 0 次，共需 2 次');

    /** Fills the registration form (text fields by id, `select:` ones chosen) and waits for the new row. */
    const register = async (id: string, fields: Record<string, string>) => {
      await page.fill('#reg-id', id);
      for (const [field, value] of Object.entries(fields)) {
        if (field.startsWith('select:')) await page.selectOption(`#reg-${field.slice(7)}`, value);
        else await page.fill(`#reg-${field}`, value);
      }
      await page.click('#register-participant button[type=submit]');
      await page.waitForSelector(`tr[data-participant="${id}"]`);
    };
    await register('org-e2e', { 'select:kind': 'party_org', name: '测试机关党支部', skills: '宣讲，助老' });
    await register('member-e2e', { 'select:kind': 'party_member', name: '测试党员', wecom: 'shuiwu-staff', 'select:org': 'org-e2e', home: '市水务局机关党支部', 'select:community': 'nongji' });
    const member = await page.locator('tr[data-participant="member-e2e"] td').allTextContents();
    expect([member[1], member[2], member[3], member[4], member[5]]).toEqual(['测试党员', '党员', '测试机关党支部', '文明街道', '今年已服务 0 小时，共需 6 小时']);
    await shot(page, 'desktop-alliance');
    const stored = await app.runtime.mongo.collection('alliance_participants').findOne({ _id: 'member-e2e' as never });
    expect(stored).toMatchObject({ kind: 'party_member', name: '测试党员', wecomUserId: 'shuiwu-staff', orgId: 'org-e2e', homeOrganisation: '市水务局机关党支部', streetId: 'wenming', communityId: 'nongji', registeredBy: 'console:dispatcher-wenming' });
    expect(await app.runtime.mongo.collection('alliance_participants').findOne({ _id: 'org-e2e' as never })).toMatchObject({ skills: ['宣讲', '助老'] });
    // The alliance API sees the new ones with their quota.
    const after = (await (await fetch(`${base}/api/alliance/participants/member-e2e/year`, { headers: { authorization: `Bearer ${ALLIANCE_TOKEN}` } })).json()) as { quota: { done: number; required: number } };
    expect(after.quota).toMatchObject({ done: 0, required: 6 });
    // A refusal is shown on the page and changes nothing.
    await page.selectOption('#reg-kind', 'alliance_unit');
    await page.fill('#reg-id', 'org-e2e');
    await page.fill('#reg-name', '重复编号');
    await page.click('#register-participant button[type=submit]');
    await page.waitForSelector('#flash.error:text("编号 org-e2e 已被登记，请换一个编号")');
    expect(await app.runtime.mongo.collection('alliance_participants').findOne({ _id: 'org-e2e' as never })).toMatchObject({ name: '测试机关党支部' });
    await context.close();
  }, 120_000);

  it('refuses registrations by role, without CSRF, and of bad input, each audited, nothing stored', async () => {
    const participants = () => app.runtime.mongo.collection('alliance_participants').countDocuments();
    const before = await participants();
    const session = async (userId: string) => {
      const context = await browser.newContext();
      const page = await loginBySso(context, userId);
      await page.waitForSelector('#board');
      const csrf = ((await (await page.request.get(`${base}/console/api/me`)).json()) as { csrf: string }).csrf;
      const register = (data: Record<string, unknown>, token: string | null = csrf) =>
        page.request.post(`${base}/console/api/alliance/participants`, { data, headers: token === null ? {} : { 'x-csrf-token': token } });
      return { context, page, register };
    };
    const refused = async (response: Awaited<ReturnType<Awaited<ReturnType<typeof session>>['register']>>, status: number, message: RegExp | string) => {
      expect(response.status()).toBe(status);
      const error = ((await response.json()) as { error: { code: string; message: string } }).error;
      if (typeof message === 'string') expect(error.message).toBe(message); else expect(error.message).toMatch(message);
      return error.code;
    };
    const unit = { id: 'unit-refused', kind: 'alliance_unit', name: '某单位' };

    // A department sees nothing of the alliance and registers nothing; a district leader reads but does not register.
    const dept = await session('chengguan-lead');
    expect((await dept.page.request.get(`${base}/console/api/alliance`)).status()).toBe(403);
    expect(await refused(await dept.register(unit), 403, '只有管理员和街道调度员、街道领导可以登记报到对象')).toBe('not_allowed');
    await dept.context.close();
    const leader = await session('district-leader');
    expect((await leader.page.request.get(`${base}/console/api/alliance`)).status()).toBe(200);
    expect(await refused(await leader.register(unit), 403, '只有管理员和街道调度员、街道领导可以登记报到对象')).toBe('not_allowed');
    await leader.context.close();

    const street = await session('street-leader-wenming');
    expect(await refused(await street.register(unit, null), 403, /CSRF/)).toBe('csrf_failed');
    expect(await refused(await street.register(unit, 'forged'), 403, /CSRF/)).toBe('csrf_failed');
    await refused(await street.register({ ...unit, kind: 'spaceship' }), 400, /类型|kind/);
    await refused(await street.register({ ...unit, id: '空 格' }), 400, /id|编号/);
    await refused(await street.register({ ...unit, streetId: 'nosuch' }), 400, '街道 nosuch 不在本区');
    await refused(await street.register({ ...unit, kind: 'party_member' }), 400, '党员请填写所在党组织（双报到评价鉴定寄回的单位）');
    await refused(await street.register({ ...unit, wecomUserId: 'not-a-member' }), 400, /不在本区通讯录中/);
    expect(await refused(await street.register({ ...unit, orgId: 'no-such-org' }), 404, '所属单位或组织 no-such-org 未登记，请先登记它')).toBe('unknown_org');
    await refused(await street.register({ ...unit, orgId: 'member-zhujian-staff' }), 400, '王干事是党员，不是单位或组织，不能作为所属单位');
    await refused(await street.register({ ...unit, kind: 'volunteer', residentId: 'openid-x' }), 400, '居民志愿者请在小程序中自行注册，指挥中心不能代填居民身份');
    expect(await refused(await street.register({ ...unit, id: 'unit-gongdian' }), 409, '编号 unit-gongdian 已被登记，请换一个编号')).toBe('participant_exists');
    expect(await refused(await street.register({ ...unit, wecomUserId: 'gongdian-lead' }), 409, '该企业微信成员已登记为报到对象 unit-gongdian，一人只能登记一次')).toBe('already_registered');
    await street.context.close();
    expect(await participants()).toBe(before);

    const audit = app.runtime.mongo.collection('console_audit');
    expect(await audit.countDocuments({ action: 'register_participant', outcome: 'refused', userId: 'street-leader-wenming' })).toBe(10);
    expect(await audit.countDocuments({ action: 'register_participant', outcome: 'refused', userId: 'chengguan-lead' })).toBe(1);
    expect(await audit.countDocuments({ action: 'register_participant', outcome: 'ok', userId: 'dispatcher-wenming' })).toBe(2);
  }, 120_000);

  it('exports the monthly report whose .xlsx cells equal the stats API', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await loginBySso(context, 'district-leader');
    await page.waitForSelector('#board');
    const month = localDate(new Date(), 'Asia/Shanghai').slice(0, 7);
    await page.goto(`${base}/console#/report?month=${month}`);
    await page.waitForSelector('#report-xlsx');
    await shot(page, 'desktop-report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-xlsx')]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheet = workbook.getWorksheet('部门考核')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const rows = new Map<string, Record<string, unknown>>();
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(1);
      rows.set(String(values[1]), Object.fromEntries(header.map((h, i) => [String(h), values[i] ?? null])));
    });

    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const stats = (await (await fetch(`${base}/api/stats/departments?from=${month}-01&to=${month}-${last}`, { headers: { authorization: `Bearer ${STATS_TOKEN}` } })).json()) as { departments: Record<string, number | string | null>[] };
    expect(stats.departments.length).toBeGreaterThan(0);
    expect([...rows.keys()].sort()).toEqual(stats.departments.map((d) => String(d.deptCode)).sort());
    for (const d of stats.departments) {
      const row = rows.get(String(d.deptCode))!;
      expect(row).toMatchObject({ 部门: d.deptName, 接哨数: d.whistlesReceived, 按时响应: d.acceptedOnTime, 响应率: d.responseRate, 办结: d.done, 按时办结: d.doneOnTime, 按时办结率: d.onTimeCompletionRate, 结案: d.closed, 已解决: d.solved, 解决率: d.resolutionRate, 评价数: d.rated, 满意率: d.satisfactionRate, 退回: d.returns, 吹哨合理率: d.whistleReasonableRate, 街道评价数: d.streetRated, 街道评价满意率: d.streetSatisfactionRate });
    }
    // The street's rating of 城管局 (the test before) is in the stats API and so in the report.
    expect(stats.departments.find((d) => d.deptCode === 'chengguan')).toMatchObject({ streetRated: 1, streetSatisfactionRate: 0 });
    // The printable page shows the same figures.
    expect(await page.locator('#report tr[data-dept="chengguan"] td').nth(11).textContent()).toBe('0.0%');

    // The rankings page draws its trend with ECharts; the map draws the outline, markers and heat without tiles.
    await page.goto(`${base}/console#/rankings?month=${month}`);
    await page.waitForSelector('#trend canvas, #trend svg');
    await shot(page, 'desktop-rankings');
    await page.goto(`${base}/console#/map`);
    await page.waitForSelector('#map .leaflet-interactive');
    await shot(page, 'desktop-map');
    await context.close();
  }, 120_000);
});
