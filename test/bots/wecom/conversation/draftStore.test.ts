import Redis from 'ioredis';
import { DraftStore } from '../../../../bots/wecom/conversation/draftStore';
import { testPrefix, testRedisUrl } from '../../../support/isolation';

describe('draft store on a real Redis', () => {
  let redis: Redis;
  let store: DraftStore;
  const prefix = testPrefix('drafts');

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
    store = new DraftStore(redis, { prefix, gatherWindowMs: 1_000, ttlMs: 5_000 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const text = (t: string, at: number) => ({ kind: 'text' as const, text: t, at });

  it('keeps every piece of a burst of concurrent messages in one draft', async () => {
    const at = Date.now();
    const drafts = await Promise.all(Array.from({ length: 25 }, (_, i) => store.append('burst', text(`第${i}条`, at + i), `msg:${i}`)));
    const current = await store.current('burst');
    expect(new Set(drafts.map((d) => d.id)).size).toBe(1);
    expect(current?.pieces).toHaveLength(25);
  });

  it('does not add a retried message twice', async () => {
    const at = Date.now();
    await store.append('retry', text('路灯不亮', at), 'msg:a');
    const again = await store.append('retry', text('路灯不亮', at), 'msg:a');
    expect(again.pieces).toHaveLength(1);
  });

  it('starts a new draft once the window has passed, unless we wait for an answer', async () => {
    const first = await store.append('window', text('井盖丢了', 1_000), 'msg:1');
    const later = await store.append('window', text('另一件事', 3_000), 'msg:2');
    expect(later.id).not.toBe(first.id);
    expect(later.pieces).toHaveLength(1);

    await store.set('window', later.id, { field: 'awaitingPlace', value: '1' });
    const answered = await store.append('window', text('文明路3号', 60_000), 'msg:3');
    expect(answered.id).toBe(later.id);
    expect(answered.placeAnswer).toBe('文明路3号');
    expect(answered.awaitingPlace).toBe(false);
  });

  it('lets exactly one of many concurrent confirmations claim a draft', async () => {
    const draft = await store.append('claim', text('路面塌陷', Date.now()), 'msg:c');
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim('claim', draft.id)));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'busy')).toHaveLength(9);

    await store.finish('claim', draft.id, '2026-000001');
    expect(await store.claim('claim', draft.id)).toEqual({ kind: 'confirmed', caseNumber: '2026-000001' });
    expect(await store.cancel('claim', draft.id)).toBe('confirmed');
    // A new draft replaces the confirmed one; the old card still names its case.
    await store.append('claim', text('新的问题', Date.now()), 'msg:d');
    expect(await store.claim('claim', draft.id)).toEqual({ kind: 'confirmed', caseNumber: '2026-000001' });
  });

  it('lets the same tap resume a confirmation its worker died in, confirming or confirmed; another tap waits until the lease has passed', async () => {
    const draft = await store.append('resume', text('路灯不亮', Date.now()), 'msg:s');
    expect(await store.claim('resume', draft.id, 'tap-1')).toMatchObject({ kind: 'claimed', resumed: false });
    // The worker died: the same callback's job, run again, takes the confirmation over; another tap is told to wait.
    expect(await store.claim('resume', draft.id, 'tap-2')).toEqual({ kind: 'busy' });
    expect(await store.claim('resume', draft.id, 'tap-1')).toMatchObject({ kind: 'claimed', resumed: true });
    await store.finish('resume', draft.id, '2026-000003');
    // Died after the case was stored: the same tap still resumes (to route it); another is told the case.
    expect(await store.claim('resume', draft.id, 'tap-1')).toMatchObject({ kind: 'claimed', resumed: true });
    expect(await store.claim('resume', draft.id, 'tap-2')).toEqual({ kind: 'confirmed', caseNumber: '2026-000003' });

    const leased = new DraftStore(redis, { prefix, gatherWindowMs: 1_000, ttlMs: 5_000, claimLeaseMs: 100 });
    const orphan = await leased.append('lease', text('井盖丢了', Date.now()), 'msg:o');
    expect((await leased.claim('lease', orphan.id, 'tap-a')).kind).toBe('claimed');
    expect(await leased.claim('lease', orphan.id, 'tap-b')).toEqual({ kind: 'busy' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await leased.claim('lease', orphan.id, 'tap-b')).toMatchObject({ kind: 'claimed', resumed: true });
    expect(await leased.claim('lease', orphan.id, 'tap-a')).toEqual({ kind: 'busy' });
  });

  it('gives a draft back when creating its case failed, and forgets a cancelled one', async () => {
    const draft = await store.append('release', text('垃圾没人清', Date.now()), 'msg:r');
    expect((await store.claim('release', draft.id)).kind).toBe('claimed');
    await store.release('release', draft.id);
    expect((await store.claim('release', draft.id)).kind).toBe('claimed');
    await store.release('release', draft.id);
    expect(await store.cancel('release')).toBe('cancelled');
    expect(await store.current('release')).toBeUndefined();
    expect(await store.claim('release', draft.id)).toEqual({ kind: 'stale' });
  });

  it('parks the current draft for a new one; the parked draft can still be corrected, confirmed or cancelled', async () => {
    const first = await store.append('patrol', text('人民路垃圾堆积', Date.now()), 'msg:p1');
    const second = await store.append('patrol', text('文明路路面塌陷', Date.now()), 'msg:p2', first.id);
    expect(second.id).not.toBe(first.id);
    expect(second.pieces).toHaveLength(1);
    expect((await store.current('patrol'))?.id).toBe(second.id);

    expect((await store.set('patrol', first.id, { field: 'urgency', value: 'key' }))?.urgency).toBe('key');
    expect((await store.find('patrol', first.id))?.pieces.map((p) => (p.kind === 'text' ? p.text : ''))).toEqual(['人民路垃圾堆积']);
    expect((await store.claim('patrol', first.id)).kind).toBe('claimed');
    await store.finish('patrol', first.id, '2026-000002');
    expect(await store.claim('patrol', first.id)).toEqual({ kind: 'confirmed', caseNumber: '2026-000002' });
    // Parking names an id: a stale one (the draft changed meanwhile) parks nothing.
    const third = await store.append('patrol', text('再补一句', Date.now()), 'msg:p3', 'not-current');
    expect(third.id).toBe(second.id);
    expect(await store.cancel('patrol', second.id)).toBe('cancelled');
  });

  it('forgets a draft nobody touched for its time to live: a late tap finds it stale', async () => {
    const brief = new DraftStore(redis, { prefix, gatherWindowMs: 50, ttlMs: 150 });
    const draft = await brief.append('late', text('路灯不亮', Date.now()), 'msg:l');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await brief.current('late')).toBeUndefined();
    expect(await brief.claim('late', draft.id)).toEqual({ kind: 'stale' });
    expect(await brief.set('late', draft.id, { field: 'category', value: 'road' })).toBeUndefined();
  });
});
