import { Writable } from 'node:stream';
import pino from 'pino';
import { WecomApiError, WecomTokenRejectedError } from '../../../bots/wecom/apiErrors';
import { text, toUsers } from '../../../bots/wecom/messages';
import { OutboundHarness, sleep, waitFor } from './outbound/support/harness';

describe('access token: cached in Redis, shared, refreshed once', () => {
  let h: OutboundHarness;

  beforeEach(async () => {
    h = await new OutboundHarness('wecom_token').start();
  });
  afterEach(() => h.stop());

  const gettokens = (): number => h.fake.callLog('/cgi-bin/gettoken').length;

  it('two client instances (separate Redis connections) share one token', async () => {
    const a = h.client();
    const b = h.client();
    await Promise.all([a.sendMessage(toUsersBody('x')), b.sendMessage(toUsersBody('y')), a.sendMessage(toUsersBody('z')), b.sendMessage(toUsersBody('w'))]);
    expect(gettokens()).toBe(1);
    expect(await a.getAccessToken()).toBe(await b.getAccessToken());
  });

  it('ten clients asking at once cause a single gettoken (no stampede)', async () => {
    const clients = Array.from({ length: 10 }, () => h.client());
    const tokens = await Promise.all(clients.map((c) => c.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(gettokens()).toBe(1);
  });

  it('refreshes early, before the token expires', async () => {
    await h.stop();
    h = await new OutboundHarness('wecom_token', { tokenTtlSeconds: 2 }).start();
    const client = h.client({ tokenRefreshMarginMs: 60_000 }); // capped at half the lifetime: refresh after ~1 s
    const first = await client.getAccessToken();
    expect(await client.getAccessToken()).toBe(first);
    await sleep(1_100);
    const second = await client.getAccessToken();
    expect(second).not.toBe(first);
    expect(gettokens()).toBe(2);
    await client.sendMessage(toUsersBody('early')); // the new token is accepted, no 42001 seen
    expect(h.fake.callLog('/cgi-bin/message/send').map((c) => c.outcome)).toEqual([{ kind: 'answered', errcode: 0 }]);
  });

  it('on 42001 refreshes at once and retries the call once', async () => {
    const client = h.client();
    await client.sendMessage(toUsersBody('before'));
    h.fake.expireAllTokens();
    await client.sendMessage(toUsersBody('after'));
    expect(gettokens()).toBe(2);
    expect(h.fake.callLog('/cgi-bin/message/send').map((c) => (c.outcome.kind === 'answered' ? c.outcome.errcode : c.outcome.kind))).toEqual([0, 42001, 0]);
    expect(h.fake.inbox.user('after')).toHaveLength(1);
  });

  it('gives up with a named error when even a fresh token is rejected', async () => {
    const client = h.client();
    await client.getAccessToken();
    h.fake.failNext('errcode', 2, { path: '/cgi-bin/message/send', errcode: 40014 });
    const error = await client.sendMessage(toUsersBody('never')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomTokenRejectedError);
    expect(error).toMatchObject({ errcode: 40014, path: '/cgi-bin/message/send' });
  });

  it('reports a wrong secret as a WecomApiError without leaking the secret', async () => {
    const client = h.client({ secret: 'wrong-secret-value' });
    const error = await client.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).toMatchObject({ errcode: 40001 });
    expect(String((error as Error).message)).not.toContain('wrong-secret-value');
  });

  it('logs refreshes, retries and send failures without the secret or any access token', async () => {
    let logged = '';
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) });
    const logger = pino({ level: 'debug' }, sink);
    const client = h.client({ logger });
    const outbox = h.outbox();
    h.worker({ client, logger });
    await outbox.enqueueOutbound(toUsers(['logged'], text('一')), 'log-1');
    await waitFor('first delivery', () => h.fake.inbox.user('logged').length === 1);
    h.fake.expireAllTokens();
    h.fake.failNext('server-error', 1, { path: '/cgi-bin/message/send' });
    await outbox.enqueueOutbound(toUsers(['logged'], text('二')), 'log-2');
    await waitFor('second delivery', () => h.fake.inbox.user('logged').length === 2);

    const issued = h.fake.callLog('/cgi-bin/message/send').map((c) => c.query.access_token ?? '');
    expect(logged).toContain('wecom access token refreshed');
    expect(logged).toContain('outbox send failed; will retry');
    expect(logged).not.toContain(h.fake.secret);
    for (const token of new Set(issued)) expect(logged).not.toContain(token);
  });

  it('token expiry halfway through a 50-message burst: exactly one refresh, every message delivered once', async () => {
    const outbox = h.outbox();
    // Two workers with their own clients and Redis connections, as two processes would be.
    h.worker({ concurrency: 5 });
    h.worker({ concurrency: 5 });
    h.fake.expireTokensAfter(25, '/cgi-bin/message/send');
    const users = Array.from({ length: 50 }, (_, i) => `burst${i}`);
    await Promise.all(users.map((u) => outbox.enqueueOutbound(toUsers([u], text(`消息 ${u}`)), `burst-${u}`)));

    await waitFor('50 deliveries', () => h.fake.inbox.all().length >= 50);
    await sleep(300);
    for (const u of users) expect(h.fake.inbox.user(u)).toHaveLength(1);
    expect(h.fake.inbox.all()).toHaveLength(50);
    expect(gettokens()).toBe(2); // the first token, and exactly one refresh after the expiry
    const rejected = h.fake.callLog('/cgi-bin/message/send').filter((c) => c.outcome.kind === 'answered' && c.outcome.errcode === 42001);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
  });
});

function toUsersBody(user: string) {
  const message = toUsers([user], text(`hi ${user}`));
  if (message.channel !== 'app') throw new Error('expected an app message');
  return message.body;
}
