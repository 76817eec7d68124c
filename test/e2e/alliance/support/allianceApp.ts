import type { AllianceModule } from '../../../../app/allianceModule';
import { loadAllianceConfig } from '../../../../config/alliance';
import type { MpConfig } from '../../../../config/mp';
import type { InboxMessage } from '../../../../fakes/wecom';
import { FakeWechatMpServer } from '../../../../fakes/wechat-mp/server';
import { createMpOutbox, type MpOutbox } from '../../../../jobs/mp-outbox';
import { bullConnection } from '../../../../jobs/outbox';
import type { Participant } from '../../../../src/alliance/types';
import { residentModel } from '../../../../store/models/resident';
import { SessionStore } from '../../../../web/mp/session';
import { TestApp } from '../../../support/testApp';
import { waitFor } from '../../../support/wait';

export const API_TOKEN = 'alliance-test-token';

/**
 * The composed app (TestApp) as the alliance's tests drive it: the shipped alliance rules with the
 * test's participants (ALLIANCE_CONFIG), the alliance API behind ALLIANCE_API_TOKEN, the clock the
 * test moves, and with `mpConfig` (MP_CONFIG) the fake WeChat mini-program server that volunteers'
 * subscribe messages reach.
 */
export class AllianceApp {
  now = new Date('2026-05-01T02:00:00Z');
  app!: TestApp;
  readonly wechatMp = new FakeWechatMpServer({ appId: 'wx-alliance-test', appSecret: 'alliance-mp-secret' });
  private mpOutbox: MpOutbox | undefined;
  private sessions!: SessionStore;

  constructor(
    private readonly label: string,
    private readonly participants: Participant[],
    private readonly options: { mpConfig?: MpConfig } = {},
  ) {}

  get fake() {
    return this.app.fake;
  }

  get url(): string {
    return this.app.url;
  }

  get mongo() {
    return this.app.mongo;
  }

  get module(): AllianceModule {
    const module = this.app.modules.find((m): m is AllianceModule => 'deps' in m && 'reminders' in (m as AllianceModule).deps);
    if (!module) throw new Error('the composed app has no alliance module');
    return module;
  }

  get deps() {
    return this.module.deps;
  }

  async start(): Promise<this> {
    const { mpConfig } = this.options;
    if (mpConfig) await this.wechatMp.start();
    this.app = new TestApp(this.label, {
      clock: () => this.now,
      env: { ALLIANCE_API_TOKEN: API_TOKEN, ALLIANCE_SECRET: 'alliance-test-secret-0123456789', ...(mpConfig && { ...this.wechatMp.credentials(), PUBLIC_BASE_URL: 'https://whistle.test' }) },
      configFiles: { ALLIANCE_CONFIG: { ...loadAllianceConfig(), participants: this.participants }, ...(mpConfig && { MP_CONFIG: mpConfig }) },
    });
    await this.app.start();
    const { env, redis } = this.app.runtime;
    // Read here for what is still queued; the app's own queue sends.
    if (mpConfig) this.mpOutbox = createMpOutbox({ connection: bullConnection(env.REDIS_URL), prefix: env.QUEUE_PREFIX, attempts: mpConfig.subscribe.attempts, backoffMs: mpConfig.subscribe.backoffMs });
    this.sessions = new SessionStore(redis, env.QUEUE_PREFIX, 3600);
    return this;
  }

  async stop(): Promise<void> {
    await this.mpOutbox?.close();
    await this.app?.stop();
    await this.wechatMp.stop();
  }

  async api<T = Record<string, unknown>>(method: string, path: string, json?: unknown, headers: Record<string, string> = { authorization: `Bearer ${API_TOKEN}` }): Promise<{ status: number; body: T; raw: Response }> {
    const response = await fetch(`${this.url}${path}`, { method, headers: { ...headers, ...(json !== undefined && { 'content-type': 'application/json' }) }, ...(json !== undefined && { body: JSON.stringify(json) }) });
    const type = response.headers.get('content-type') ?? '';
    const body = (type.includes('json') ? await response.json() : {}) as T;
    return { status: response.status, body, raw: response };
  }

  /** A mini-program session for a resident (the login exchange is tested with the mini-program). */
  async residentToken(residentId: string): Promise<string> {
    // The resident as the mini-program's login stores them (their openid stays on the server).
    await residentModel(this.mongo).updateOne({ _id: residentId }, { $setOnInsert: { openid: `openid-${residentId}`, createdAt: this.now, lastLoginAt: this.now } }, { upsert: true }).exec();
    return (await this.sessions.issue({ residentId, openid: `openid-${residentId}` })).token;
  }

  mp<T = Record<string, unknown>>(token: string, method: string, path: string, json?: unknown) {
    return this.api<T>(method, `/api/mp/alliance${path}`, json, { authorization: `Bearer ${token}` });
  }

  /** Waits until everything queued to WeChat Work (and the mini-program) has been sent and every callback handled. */
  async settle(timeoutMs = 15_000): Promise<void> {
    await this.app.settle(timeoutMs);
    const mpOutbox = this.mpOutbox;
    if (mpOutbox) await waitFor('the mini-program outbox to drain', async () => Object.values(await mpOutbox.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((n) => n === 0), timeoutMs);
  }

  async outboxFailures(): Promise<string[]> {
    const failed = (await this.mpOutbox?.queue.getFailed()) ?? [];
    return [...(await this.app.failedSends()), ...failed.map((job) => `${job.id ?? ''}: ${job.failedReason}`)];
  }

  cards(userId: string): InboxMessage[] {
    return this.fake.inbox.user(userId).filter((m) => m.msgtype === 'template_card');
  }

  /** The sub-title of the last card a member received (the organiser's 报到待确认 cards say who and which seat there). */
  lastCardText(userId: string): string {
    const card = this.cards(userId).at(-1);
    return String((card?.body.template_card as { sub_title_text?: string } | undefined)?.sub_title_text ?? '');
  }

  texts(userId: string): string[] {
    return this.app.texts({ user: userId });
  }

  lastText(userId: string): string {
    return this.texts(userId).at(-1) ?? '';
  }

  /** A tap on a delivered card, through WeChat Work's encrypted callback. */
  tap(userId: string, card: InboxMessage, eventKey: string): Promise<void> {
    return this.app.tap(userId, card, eventKey);
  }
}
