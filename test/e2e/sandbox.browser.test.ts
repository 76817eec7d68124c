import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type StartedApp } from '../../app/startApp';
import { loadEnv } from '../../config';
import { createLogger } from '../../infra/logger';
import { launchChromium } from '../support/chromium';
import { testMongoUri, testPrefix, testRedisUrl } from '../support/isolation';

/**
 * The sandbox console in a real browser: a grid member reports, the department lead accepts after
 * a reminder, a member feeds back, the grid member verifies and rates. Every click goes through the
 * encrypted callback path and the real API client. Screenshots land in test-artifacts/ (not in git).
 */
describe('sandbox console in Chromium: the whole loop', () => {
  const artifacts = join(__dirname, '../../test-artifacts/sandbox');
  const rawEnv = {
    MONGODB_URI: testMongoUri('browser'),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: testPrefix('browser'),
    PORT: '0',
    HOST: '127.0.0.1',
    MEDIA_DIR: mkdtempSync(join(tmpdir(), 'sandbox-media-')),
    SLA_CONFIG: join(__dirname, '../fixtures/sla.browser.json'),
  };
  let app: StartedApp;
  let browser: Browser;
  let page: Page;
  let shot = 0;

  const screenshot = async (name: string) => {
    shot += 1;
    await page.screenshot({ path: join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const actAs = async (userId: string) => {
    await page.click(`.people button[data-user="${userId}"]`);
    await page.waitForSelector(`.people button.active[data-user="${userId}"]`);
  };
  const say = async (text: string) => {
    await page.fill('#text', text);
    await page.click('#send');
  };
  /** The newest card in the open chat that has a button with this label. */
  const cardWithButton = (label: string) => page.locator('.card', { has: page.locator(`button:text-is("${label}")`) }).last();
  const tap = async (label: string) => {
    const card = cardWithButton(label);
    await card.waitFor({ timeout: 30_000 });
    await card.locator(`button:text-is("${label}")`).click();
  };

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    app = await startApp(loadEnv(rawEnv), createLogger({ level: 'silent' }), rawEnv);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (dialog) => void dialog.dismiss());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.runtime.stop();
  });

  it('reports, is reminded, accepts, feeds back, verifies and rates', async () => {
    expect(app.sandbox).toBeDefined();
    await page.goto(`${app.runtime.url}/sandbox`);
    await page.waitForSelector('.people button[data-user="grid-zhang"]');
    await screenshot('console');

    // 1. A grid member reports; the bot answers with a confirmation card; confirming whistles the case.
    await actAs('grid-zhang');
    await say('文明大街与农机路交叉口路面塌陷，很危险');
    await tap('确认上报');
    await page.waitForSelector('.msg.bot:has-text("已吹哨派给住建局")', { timeout: 30_000 });
    await screenshot('reported');
    const caseNumber = (await page.locator('.msg.bot:has-text("已吹哨派给住建局")').last().textContent())?.match(/\d{4}-\d{6}/)?.[0];
    expect(caseNumber).toMatch(/^\d{4}-\d{6}$/);

    // 2. Nobody accepts: the department's group chat is reminded (催办) before the deadline.
    const departmentChat = page.locator('.chatroom', { hasText: '住建局群' });
    await departmentChat.locator('.msg', { hasText: '催办' }).first().waitFor({ timeout: 60_000 });
    await expect(departmentChat.locator('.msg', { hasText: caseNumber! }).count()).resolves.toBeGreaterThan(0);
    await screenshot('reminded');

    // 3. The department lead accepts on the whistle card; the card shows who accepted.
    await actAs('zhujian-lead');
    await tap('接哨报到');
    await page.locator('.card .done').last().waitFor({ timeout: 30_000 });
    await expect(page.locator('.card .done').last().textContent()).resolves.toMatch(/接哨/);
    await screenshot('accepted');

    // 4. A department member feeds back with the case number.
    await actAs('zhujian-staff');
    await say(`${caseNumber} 已处理完毕，塌陷路面已回填修复`);
    await page.waitForSelector(`.msg.bot:has-text("${caseNumber}")`, { timeout: 60_000 });
    await screenshot('fed-back');

    // 5. The grid member verifies it solved, then rates satisfaction.
    await actAs('grid-zhang');
    await tap('已解决');
    await tap('满意');
    await page.locator('.card .done', { hasText: '满意' }).last().waitFor({ timeout: 30_000 });
    await screenshot('closed-and-rated');

    const closed = await app.runtime.mongo.collection('cases').findOne({ number: caseNumber });
    expect(closed).toMatchObject({ state: 'closed', satisfaction: expect.objectContaining({ value: 'satisfied' }) });
  }, 240_000);

  it('lets a resident log in to the mini-program API against the fake WeChat login server', async () => {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${app.runtime.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
      });
    const issued = await post('/sandbox/api/mp/login-code', { resident: 'li' });
    expect(issued.status).toBe(201);
    const { code } = (await issued.json()) as { code: string };
    const session = await post('/api/mp/session', { code });
    expect(session.status).toBe(201);
    const { token } = (await session.json()) as { token: string };
    const mine = await fetch(`${app.runtime.url}/api/mp/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ items: [], total: 0 });
    // A code works once, as with wx.login.
    expect((await post('/api/mp/session', { code })).status).toBe(400);
  });
});
