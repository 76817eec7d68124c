import { runCaseCommand } from '../../../commands/runCaseCommand';
import { hotlineWebhooksFrom } from '../../../config/hotlineWebhooks';
import { FakeHotlineReceiver } from '../../../fakes/hotline/receiver';
import { createHotlineWebhookOutbox, type HotlineWebhookOutbox } from '../../../jobs/hotline-webhook/queue';
import { bullConnection } from '../../../jobs/outbox/connection';
import type { Actor, CaseCommand } from '../../../src/cases';
import { HotlineOrderRepository } from '../../../store/hotlineOrderRepository';
import { testDistrictApp } from '../wecom/lifecycle/support/district';
import { TestApp } from '../../support/testApp';
import { waitFor } from '../../support/wait';

const TOKEN = 'hotline-progress-token';
const PHONE = '13812345678';
const LEAD: Actor = { userId: 'zj-lead1', name: '住建甲', role: 'dept_lead', deptCode: 'zhujian' };
const DISPATCHER: Actor = { userId: 'dispatcher1', name: '调度员', role: 'dispatcher' };

/**
 * Milestones pushed to real HTTP receivers through the per-platform webhook queues: a city hotline
 * (the default platform) and a district platform, each with its own secret, that fail on demand.
 */
describe('the hotline told of progress', () => {
  const city = new FakeHotlineReceiver('city-secret');
  const district = new FakeHotlineReceiver('district-secret');
  const secrets = { SECRET_CITY: 'city-secret', SECRET_DISTRICT: 'district-secret' };
  let h: TestApp;
  /** The app's webhook queues, read here for the pushes given up. */
  let outbox: HotlineWebhookOutbox;
  let seq = 0;

  beforeAll(async () => {
    await Promise.all([city.listen(), district.listen()]);
    const platform = (id: string, url: string, extra: Record<string, unknown> = {}) => ({ id, url, secretEnv: `SECRET_${id.toUpperCase()}`, attempts: 6, backoffMs: 100, timeoutMs: 400, ...extra });
    const webhooksFile = { platforms: [platform('city', city.url, { default: true }), platform('district', district.url)] };
    h = new TestApp('hotline_progress', { ...testDistrictApp, env: { HOTLINE_API_TOKEN: TOKEN, ...secrets }, configFiles: { HOTLINE_WEBHOOKS_CONFIG: webhooksFile } });
    await h.start();
    outbox = createHotlineWebhookOutbox({ connection: bullConnection(h.env.REDIS_URL), prefix: h.env.QUEUE_PREFIX, platforms: hotlineWebhooksFrom(webhooksFile, 'test webhooks', secrets).platforms });
    await new HotlineOrderRepository(h.mongo).ensureIndexes();
  });

  afterAll(async () => {
    await outbox.close();
    await h.stop();
    await Promise.all([city.close(), district.close()]);
  });

  afterEach(() => {
    city.recover();
    district.recover();
  });

  async function postOrder(extra: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    seq += 1;
    const response = await fetch(`${h.url}/api/hotline/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ orderNo: `HP-${seq}`, content: `来电人反映进度路${seq}号路面塌陷，电话${PHONE}`, address: `进度路${seq}号`, category: 'road', urgency: 'key', streetId: 'street1', communityId: 'comm1', ...extra }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function run(caseId: string, command: CaseCommand, actor: Actor): Promise<void> {
    const result = await runCaseCommand(h.lifecycle.deps, { id: caseId }, command, { actor, channel: 'wecom', now: new Date() });
    if (!result.ok) throw new Error(`${command.type} refused: ${JSON.stringify(result)}`);
  }

  const pushesOf = (receiver: FakeHotlineReceiver, orderNo: string) => receiver.accepted.filter((p) => p.body.orderNo === orderNo);

  it('pushes accepted, done, closed and satisfaction, signed, in order, without phones or staff names', async () => {
    const created = await postOrder();
    expect(created.status).toBe(201);
    const caseId = String(created.body.caseId);
    const orderNo = `HP-${seq}`;
    await run(caseId, { type: 'accept' }, LEAD);
    await run(caseId, { type: 'feedback', text: `已修复路面，联系${PHONE}` }, LEAD);
    await run(caseId, { type: 'verify', outcome: 'solved' }, DISPATCHER);
    await run(caseId, { type: 'rate', value: 'satisfied' }, DISPATCHER);

    await waitFor('four pushes', () => pushesOf(city, orderNo).length === 4, 10_000);
    const pushes = pushesOf(city, orderNo).map((p) => p.body);
    expect(pushes.map((p) => p.milestone)).toEqual(['accepted', 'done', 'closed', 'satisfaction']);
    expect(pushes[0]).toMatchObject({ platform: 'city', orderNo, caseId, number: created.body.number, state: 'in_progress', stateName: '部门办理中', department: { code: 'zhujian', name: '住建局' }, mergedInto: null });
    expect(pushes[1]).toMatchObject({ milestone: 'done', state: 'awaiting_verification', result: '已修复路面，联系138****5678' });
    expect(pushes[2]).toMatchObject({ milestone: 'closed', state: 'closed', resolution: 'solved' });
    expect(pushes[3]).toMatchObject({ milestone: 'satisfaction', satisfaction: { value: 'satisfied', name: '满意' } });
    const sequences = pushes.map((p) => Number(p.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const wire = JSON.stringify(pushes);
    expect(wire).not.toContain(PHONE);
    expect(wire).not.toContain('住建甲');
    expect(wire).not.toContain('zj-lead1');
    expect(city.badSignatures).toBe(0);
    expect(pushesOf(district, orderNo)).toEqual([]);
  });

  it('pushes a return by the lead department, without its internal reason', async () => {
    const created = await postOrder();
    const orderNo = `HP-${seq}`;
    await run(String(created.body.caseId), { type: 'return', reason: '不属于本部门职责，内部备注' }, LEAD);
    await waitFor('the return push', () => pushesOf(city, orderNo).length === 1, 10_000);
    expect(pushesOf(city, orderNo)[0]!.body).toMatchObject({ milestone: 'returned', department: { code: 'zhujian', name: '住建局' }, result: null, state: 'triage' });
    expect(JSON.stringify(pushesOf(city, orderNo))).not.toContain('内部备注');
  });

  it('retries a platform that answers 503 with backoff and delivers each milestone once', async () => {
    city.failNext('unavailable', 3);
    const created = await postOrder();
    const orderNo = `HP-${seq}`;
    await run(String(created.body.caseId), { type: 'accept' }, LEAD);
    await waitFor('the push after three 503s', () => pushesOf(city, orderNo).length === 1, 15_000);
    const eventId = pushesOf(city, orderNo)[0]!.eventId;
    const tries = city.attempts.filter((a) => a.eventId === eventId);
    expect(tries.map((a) => a.status)).toEqual([503, 503, 503, 200]);
    // Exponential backoff from 100 ms: the gaps grow.
    const gaps = tries.slice(1).map((a, i) => a.at - tries[i]!.at);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
  });

  it('a hanging platform delays neither another platform nor the WeCom cards', async () => {
    city.failNext('hang');
    const stuck = await postOrder();
    const healthy = await postOrder({ platform: 'district' });
    const healthyNo = `HP-${seq}`;
    await run(String(stuck.body.caseId), { type: 'accept' }, LEAD);
    await run(String(healthy.body.caseId), { type: 'accept' }, LEAD);
    await waitFor('the district platform push', () => pushesOf(district, healthyNo).length === 1, 5_000);
    // The WeCom outbox drains (acceptance notices sent) while the city push still waits.
    await h.settle();
    expect(await h.failedSends()).toEqual([]);
    expect(pushesOf(city, `HP-${seq - 1}`)).toEqual([]);
    expect(city.attempts.filter((a) => a.status === 'hung').length).toBeGreaterThan(0);
    city.recover();
    await waitFor('the city push once it answers again', () => pushesOf(city, `HP-${seq - 1}`).length === 1, 15_000);
  });

  it('does not retry a push the platform refuses (400) and keeps it among the failed jobs', async () => {
    city.failNext('refuse', 1);
    const created = await postOrder();
    await run(String(created.body.caseId), { type: 'accept' }, LEAD);
    await waitFor('the refused push failed', async () => (await outbox.queue('city').getFailed()).length === 1, 10_000);
    const [failed] = await outbox.queue('city').getFailed();
    expect(failed!.attemptsMade).toBe(1);
    expect(failed!.failedReason).toContain('HTTP 400');
    expect(city.attempts.filter((a) => a.eventId === failed!.data.eventId).map((a) => a.status)).toEqual([400]);
  });

  it('refuses an order naming a platform that is not configured, and creates nothing', async () => {
    const before = await h.mongo.collection('cases').countDocuments();
    const answer = await postOrder({ platform: 'nowhere' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'unknown_platform' } });
    expect(await h.mongo.collection('cases').countDocuments()).toBe(before);
  });

  it('tells the order of a case merged into another of the progress on that case', async () => {
    const place = { address: '合并路1号', lat: 39.9, lng: 116.4, content: '来电人反映合并路1号路面塌陷' };
    const first = await postOrder(place);
    const second = await postOrder({ ...place, content: '合并路1号路面塌陷，又有人打电话' });
    expect(second.body).toMatchObject({ outcome: 'merged', mergedInto: { caseId: first.body.caseId } });
    await run(String(first.body.caseId), { type: 'accept' }, LEAD);
    const secondNo = `HP-${seq}`;
    await waitFor('the push to the merged order', () => pushesOf(city, secondNo).length === 1, 10_000);
    expect(pushesOf(city, secondNo)[0]!.body).toMatchObject({ milestone: 'accepted', caseId: second.body.caseId, mergedInto: { caseId: first.body.caseId } });
    expect(pushesOf(city, `HP-${seq - 1}`)).toHaveLength(1);
  });

});
