import { FakeWecomServer } from '../../../fakes/wecom';

/** The fake's own contract, as the sandbox console and other tests rely on it. */
describe('fake WeChat Work server', () => {
  const fake = new FakeWecomServer({ knownUsers: ['alice', 'bob'], webhookKeys: ['good-key'] });
  let base: string;

  beforeAll(async () => {
    base = await fake.listen();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  async function get(path: string): Promise<Record<string, unknown>> {
    return (await (await fetch(`${base}${path}`)).json()) as Record<string, unknown>;
  }
  async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await response.json()) as Record<string, unknown>;
  }
  async function token(): Promise<string> {
    const answer = await get(`/cgi-bin/gettoken?corpid=${fake.corpId}&corpsecret=${fake.secret}`);
    expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    return String(answer.access_token);
  }
  const textTo = (touser: string) => ({ touser, msgtype: 'text', agentid: fake.agentId, text: { content: 'hi' } });

  it('checks the access token on every call: missing 41001, unknown 40014, expired 42001', async () => {
    expect(await post('/cgi-bin/message/send', textTo('alice'))).toMatchObject({ errcode: 41001 });
    expect(await post('/cgi-bin/message/send?access_token=forged', textTo('alice'))).toMatchObject({ errcode: 40014 });
    const t = await token();
    expect(await post(`/cgi-bin/message/send?access_token=${t}`, textTo('alice'))).toMatchObject({ errcode: 0, msgid: expect.any(String) });
    fake.expireAllTokens();
    expect(await post(`/cgi-bin/message/send?access_token=${t}`, textTo('alice'))).toMatchObject({ errcode: 42001 });
    expect(await get('/cgi-bin/gettoken?corpid=wrong&corpsecret=x')).toMatchObject({ errcode: 40013 });
  });

  it('reports unknown members in invaliduser and delivers to the rest', async () => {
    const t = await token();
    expect(await post(`/cgi-bin/message/send?access_token=${t}`, textTo('alice|mallory'))).toMatchObject({ errcode: 0, invaliduser: 'mallory' });
    expect(fake.inbox.user('alice')).toHaveLength(1);
    expect(fake.inbox.user('mallory')).toHaveLength(0);
    expect(await post(`/cgi-bin/message/send?access_token=${t}`, textTo('mallory'))).toMatchObject({ errcode: 81013 });
  });

  it('rejects unknown webhook keys with 93000', async () => {
    expect(await post('/cgi-bin/webhook/send?key=bad-key', { msgtype: 'text', text: { content: 'x' } })).toMatchObject({ errcode: 93000 });
    expect(await post('/cgi-bin/webhook/send?key=good-key', { msgtype: 'text', text: { content: 'x' } })).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('global failures hit any path; path failures win over global ones', async () => {
    fake.failNext('server-error', 1);
    fake.failNext('rate-limit', 1, { path: '/cgi-bin/webhook/send' });
    expect(await post('/cgi-bin/webhook/send?key=good-key', { msgtype: 'text', text: { content: 'x' } })).toMatchObject({ errcode: 45009, errmsg: 'api freq out of limit' });
    expect((await fetch(`${base}/cgi-bin/gettoken?corpid=${fake.corpId}&corpsecret=${fake.secret}`)).status).toBe(502);
    await token();
  });

  it('hangs on demand and drops hung requests on close', async () => {
    const other = new FakeWecomServer();
    const url = await other.listen();
    other.failNext('hang', 1);
    const hung = fetch(`${url}/cgi-bin/gettoken`).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(other.callLog()[0]?.outcome).toEqual({ kind: 'hang' });
    await other.close();
    expect(await hung).toBe('dropped');
  });

  it('answer-lost delivers the message and then never answers (the sender cannot know it went out)', async () => {
    const other = new FakeWecomServer();
    const url = await other.listen();
    const answer = (await (await fetch(`${url}/cgi-bin/gettoken?corpid=${other.corpId}&corpsecret=${other.secret}`)).json()) as { access_token: string };
    other.failNext('answer-lost', 1, { path: '/cgi-bin/message/send' });
    const lost = fetch(`${url}/cgi-bin/message/send?access_token=${answer.access_token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ touser: 'carol', msgtype: 'text', agentid: other.agentId, text: { content: '送到了，回答丢了' } }) }).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(other.inbox.user('carol').map((m) => m.body.text)).toEqual([{ content: '送到了，回答丢了' }]);
    expect(other.callLog('/cgi-bin/message/send')[0]?.outcome).toEqual({ kind: 'answer-lost', errcode: 0 });
    await other.close();
    expect(await lost).toBe('dropped');
  });

  it('records every call and serves a snapshot for the sandbox console', async () => {
    const t = await token();
    await post(`/cgi-bin/message/send?access_token=${t}`, textTo('bob'));
    const calls = fake.callLog();
    expect(calls.map((c) => [c.method, c.path])).toEqual([
      ['GET', '/cgi-bin/gettoken'],
      ['POST', '/cgi-bin/message/send'],
    ]);
    expect(calls[1]?.body).toEqual(textTo('bob'));
    expect(calls[1]?.at).toBeInstanceOf(Date);
    const state = await get('/__fake/state');
    expect(Object.keys(state.inbox as object)).toEqual(['user:bob']);
  });

  it('drops app messages beyond a member\'s limit silently, as WeChat Work does: ok answered, only that member skipped, the drop recorded', async () => {
    const limited = new FakeWecomServer({ memberLimit: [{ perWindow: 2, windowMs: 60_000 }, { perWindow: 3, windowMs: 3_600_000 }] });
    const url = await limited.listen();
    try {
      const t = String(((await (await fetch(`${url}/cgi-bin/gettoken?corpid=${limited.corpId}&corpsecret=${limited.secret}`)).json()) as { access_token: string }).access_token);
      const send = async (touser: string) =>
        (await (await fetch(`${url}/cgi-bin/message/send?access_token=${t}`, { method: 'POST', body: JSON.stringify({ touser, msgtype: 'text', agentid: limited.agentId, text: { content: 'hi' } }) })).json()) as Record<string, unknown>;
      expect(await send('alice')).toMatchObject({ errcode: 0 });
      expect(await send('alice|bob')).toMatchObject({ errcode: 0, invaliduser: '' });
      const third = await send('alice|bob');
      expect(third).toMatchObject({ errcode: 0, errmsg: 'ok', invaliduser: '', msgid: expect.any(String) });
      expect(limited.inbox.user('alice')).toHaveLength(2);
      expect(limited.inbox.user('bob')).toHaveLength(2);
      expect(limited.memberDrops()).toEqual([{ userId: 'alice', msgid: third.msgid, msgtype: 'text', at: expect.any(Date) }]);
      // bob has had two this minute too: his next is dropped.
      expect(await send('bob')).toMatchObject({ errcode: 0 });
      expect(limited.inbox.user('bob')).toHaveLength(2);
      expect(limited.memberDrops().map((d) => d.userId)).toEqual(['alice', 'bob']);
    } finally {
      await limited.close();
    }
  });
});
