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

const HOTLINE_TOKEN = 'console-test-hotline-token';
const STATS_TOKEN = 'console-test-stats-token';
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
    // Only admins read it.
    await adminContext.close();
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
      expect(row).toMatchObject({ 部门: d.deptName, 接哨数: d.whistlesReceived, 按时响应: d.acceptedOnTime, 响应率: d.responseRate, 办结: d.done, 按时办结: d.doneOnTime, 按时办结率: d.onTimeCompletionRate, 结案: d.closed, 已解决: d.solved, 解决率: d.resolutionRate, 评价数: d.rated, 满意率: d.satisfactionRate, 退回: d.returns, 吹哨合理率: d.whistleReasonableRate });
    }

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
