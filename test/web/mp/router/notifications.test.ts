import { Queue } from 'bullmq';
import { bullConnection } from '../../../../jobs/outbox/connection';
import { MP_OUTBOX_QUEUE_NAME } from '../../../../jobs/mp-outbox';
import type { CaseDetailView } from '../../../../web/mp/schemas';
import { GRID_WORKER, MpApp, TEMPLATES } from '../support/mpApp';

const SEND = '/cgi-bin/message/subscribe/send';
let spot = 0;

/** Subscribe messages at milestones: granted ones only, transient failures retried through the outbox. */
describe('resident mini-program: subscribe messages', () => {
  const h = new MpApp('mp_notify');
  let token: string;
  let queue: Queue;

  beforeAll(async () => {
    await h.start();
    token = await h.login('o-subscriber');
    queue = new Queue(MP_OUTBOX_QUEUE_NAME, { connection: bullConnection(h.env.REDIS_URL), prefix: h.env.QUEUE_PREFIX });
  });
  afterAll(async () => {
    await queue.close();
    await h.stop();
  });

  /** A fresh community-level case somewhere else each time, so duplicates never merge them. */
  async function report(subscribedTemplateIds?: string[]): Promise<string> {
    spot += 1;
    const answer = await h.request<CaseDetailView>('POST', '/api/mp/cases', {
      token,
      json: { text: '小区门口的路灯坏了好几天，晚上很黑', latitude: 39 + spot / 10, longitude: 116 + spot / 10, address: `农机社区 ${spot} 号楼`, communityId: 'nongji', ...(subscribedTemplateIds ? { subscribedTemplateIds } : {}) },
    });
    expect(answer.status).toBe(201);
    return answer.body.id;
  }

  const sentFor = (caseId: string) => h.wechat.sent.filter((m) => m.page?.endsWith(caseId));

  it('retries a subscribe message that failed (system busy, then HTTP 502) until it goes through, once', async () => {
    const caseId = await report([TEMPLATES.accepted]);
    const before = h.wechat.callsTo(SEND);
    h.wechat.failNext(SEND, 1, { errcode: -1 });
    h.wechat.failNext(SEND, 1, { httpStatus: 502 });
    await h.act(caseId, GRID_WORKER, { type: 'accept' });
    await h.waitFor('the accepted message', () => sentFor(caseId).length === 1);
    expect(h.wechat.callsTo(SEND) - before).toBe(3);
    expect(sentFor(caseId)[0]).toMatchObject({ touser: 'o-subscriber', template_id: TEMPLATES.accepted, data: { phrase3: { value: '已受理' }, thing2: { value: '路灯照明' } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentFor(caseId)).toHaveLength(1);
  });

  it('fetches a new access token when WeChat says the old one expired, and sends', async () => {
    const caseId = await report([TEMPLATES.accepted]);
    const tokenCalls = h.wechat.callsTo('/cgi-bin/token');
    h.wechat.expireAccessTokens();
    await h.act(caseId, GRID_WORKER, { type: 'accept' });
    await h.waitFor('the accepted message', () => sentFor(caseId).length === 1);
    expect(h.wechat.callsTo('/cgi-bin/token')).toBe(tokenCalls + 1);
  });

  it('gives up at once when WeChat says the resident withdrew the grant (43101)', async () => {
    const caseId = await report([TEMPLATES.accepted]);
    const before = h.wechat.callsTo(SEND);
    h.wechat.failNext(SEND, 1, { errcode: 43101 });
    await h.act(caseId, GRID_WORKER, { type: 'accept' });
    await h.waitFor('the failed job', async () => (await queue.getFailed()).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.wechat.callsTo(SEND) - before).toBe(1);
    expect(sentFor(caseId)).toHaveLength(0);
    const [failed] = await queue.getFailed();
    expect(JSON.stringify(failed?.data)).toContain(caseId);
    expect(failed?.failedReason).toContain('43101');
  });

  it('sends nothing without a grant, and sends after a grant is added on the detail page', async () => {
    const caseId = await report();
    await h.act(caseId, GRID_WORKER, { type: 'accept' });
    await h.act(caseId, GRID_WORKER, { type: 'feedback', text: '路灯已修好' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentFor(caseId)).toHaveLength(0);

    const granted = await h.request('POST', `/api/mp/cases/${caseId}/subscriptions`, { token, json: { templateIds: [TEMPLATES.closed, 'unknown-template'] } });
    expect(granted).toMatchObject({ status: 200, body: { milestones: ['closed'] } });
    await h.act(caseId, GRID_WORKER, { type: 'verify', outcome: 'solved' });
    await h.waitFor('the closed message', () => sentFor(caseId).length === 1);
    expect(sentFor(caseId)[0]).toMatchObject({ template_id: TEMPLATES.closed, data: { phrase3: { value: '已办结' } } });
  });

  it('uses one grant per message: a second milestone of the same template sends nothing more', async () => {
    const caseId = await report([TEMPLATES.done]);
    await h.act(caseId, GRID_WORKER, { type: 'accept' });
    await h.act(caseId, GRID_WORKER, { type: 'feedback', text: '第一次处理' });
    await h.waitFor('the done message', () => sentFor(caseId).length === 1);
    await h.act(caseId, GRID_WORKER, { type: 'verify', outcome: 'reopen', note: '灯还是不亮' });
    await h.act(caseId, GRID_WORKER, { type: 'feedback', text: '第二次处理' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentFor(caseId)).toHaveLength(1);
  });

  it('notifies a change once even when the lifecycle repeats the call, keeping the other grant', async () => {
    const caseId = await report([TEMPLATES.closed]);
    const granted = await h.request('POST', `/api/mp/cases/${caseId}/subscriptions`, { token, json: { templateIds: [TEMPLATES.closed] } });
    expect(granted.status).toBe(200);
    await h.act(caseId, GRID_WORKER, { type: 'accept' });
    await h.act(caseId, GRID_WORKER, { type: 'feedback', text: '已修好' });
    await h.act(caseId, GRID_WORKER, { type: 'verify', outcome: 'solved' });
    await h.waitFor('the closed message', () => sentFor(caseId).length === 1);
    const notify = h.notices.notifyResidentMilestone;
    await notify(await h.case(caseId), 'closed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentFor(caseId)).toHaveLength(1);
    const grants = await h.mongo.collection('residentsubscriptions').findOne({ caseId });
    expect(grants).toMatchObject({ remaining: 1 });
  });
});
