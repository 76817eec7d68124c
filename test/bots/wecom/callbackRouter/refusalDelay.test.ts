import { startHarness, type Harness } from '../inbound/support/harness';

const DELAY_MS = 1_000;

describe('a refused callback is answered after WECOM_REFUSAL_DELAY_MS; signed callbacks never wait', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('inbound_refusal_delay', { config: { maxBodyBytes: 32 * 1024, refusalDelayMs: DELAY_MS } });
    h.startWorker();
    await forged(); // warm: the first request of a cold process can be slow on its own
  });
  afterAll(async () => {
    await h.close();
  });

  const forged = () => h.sender.sendXml(h.sender.messageXml({ fromUser: 'mallory' }, 'text', { Content: 'hi' }), { signature: 'a'.repeat(40) });
  const oversized = () => h.sender.sendRaw({ body: `<xml><Encrypt>${'A'.repeat(64 * 1024)}</Encrypt></xml>` });

  async function timed<T>(send: () => Promise<T>): Promise<{ result: T; ms: number; doneAt: number }> {
    const started = performance.now();
    const result = await send();
    const doneAt = performance.now();
    return { result, ms: doneAt - started, doneAt };
  }

  test('forged and oversized callbacks wait at least the delay, and still get their 4xx', async () => {
    const [bad, big] = await Promise.all([timed(forged), timed(oversized)]);
    expect(bad.result.status).toBe(401);
    expect(big.result.status).toBe(413);
    expect(bad.ms).toBeGreaterThanOrEqual(DELAY_MS - 5);
    expect(big.ms).toBeGreaterThanOrEqual(DELAY_MS - 5);
  });

  test('a signed callback sent beside held refusals is answered before them, and becomes its event', async () => {
    const held = Array.from({ length: 8 }, () => timed(forged));
    const good = await timed(() => h.sender.sendText('zhangsan', '正常消息'));
    const refusals = await Promise.all(held);
    expect(good.result).toEqual({ status: 200, body: '' });
    for (const r of refusals) expect(r.result.status).toBe(401);
    expect(good.doneAt).toBeLessThan(Math.min(...refusals.map((r) => r.doneAt)));
    await h.waitFor(async () => (await h.store.count()) === 1);
  });
});
