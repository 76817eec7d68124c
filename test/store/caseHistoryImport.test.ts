import { accept, cancel, createCase, whistle, type Case } from '../../src/cases';
import { repositoryUnderTest } from '../support/commandRunner';
import { actors, draft, ok, simplePlan } from '../src/cases/fixtures';

const under = repositoryUnderTest('case-history-import');
const DAY = 24 * 3_600_000;
const START = new Date('2026-10-01T02:00:00Z').getTime();

/** Older cases made by the domain's commands: every third cancelled, every third whistled and accepted. */
function history(count: number): Case[] {
  return Array.from({ length: count }, (_, i) => {
    const now = new Date(START + i * DAY);
    const ctx = { actor: actors.dispatcher, channel: 'sandbox' as const, now, plan: simplePlan };
    let c = createCase({ ...draft, reporter: i % 2 === 0 ? { openid: 'openid-old' } : { userId: 'grid-wang' }, parsed: { ...draft.parsed, locationText: `老街${i}号` } }, { id: `old-${i}`, number: `2026-${String(i + 1).padStart(6, '0')}` }, { ...ctx, actor: actors.reporter });
    if (i % 3 === 0) return ok(cancel(c, { reason: '误报' }, ctx));
    if (i % 3 === 1) {
      c = ok(whistle(c, { departments: ['zhujian'] }, ctx));
      c = ok(accept(c, { ...ctx, actor: actors.lisi, now: new Date(now.getTime() + 3_600_000) }));
    }
    return c;
  });
}

test('an import files what the product would have: numbers, reporters, open cases, figures; the one-time filings find nothing left', async () => {
  const cases = history(12);
  const importer = under.repo.historyImport();
  await importer.add(cases.slice(0, 5));
  await importer.add(cases.slice(5));
  expect(await importer.finish()).toBe(12);

  expect((await under.repo.getByNumber('d1', '2026-000007'))?.id).toBe('old-6');
  expect((await under.repo.listByReporter('openid-old')).map((c) => c.id).sort()).toEqual(cases.filter((_, i) => i % 2 === 0).map((c) => c.id).sort());
  const open: string[] = [];
  for await (const page of under.repo.openCases(5)) open.push(...page.map((c) => c.id));
  expect(open.sort()).toEqual(cases.filter((c) => c.state !== 'cancelled').map((c) => c.id).sort());
  const period = { districtId: 'd1', from: new Date('2026-10-01T00:00:00+08:00'), to: new Date('2026-11-01T00:00:00+08:00') };
  expect(await under.repo.departmentStats(period)).toEqual(await under.repo.aggregatedDepartmentStats(period));
  expect((await under.repo.departmentStats(period))[0]).toMatchObject({ deptCode: 'zhujian', whistlesReceived: 4, accepted: 4 });
  expect([await under.repo.fileOpenCasesOnce(), await under.repo.fileOpenKeysOnce(), await under.repo.fileReportersOnce(), await under.repo.rollUpStatsOnce()]).toEqual([0, 0, 0, 0]);

  // Cases made afterwards carry on from the imported counters, and duplicates find the imported open cases.
  const next = await under.repo.create({ ...draft, reporter: { openid: 'openid-old' } }, { actor: actors.reporter, channel: 'sandbox', now: new Date('2026-11-20T02:00:00Z'), plan: simplePlan });
  expect(next.number).toBe('2026-000013');
  expect((await under.repo.listByReporter('openid-old', 1)).map((c) => c.id)).toEqual([next.id]);
  const report = { districtId: 'd1', category: 'road', locationKey: cases[2]!.parsed.locationKey!, createdAt: new Date(cases[2]!.createdAt.getTime() + 3_600_000) };
  expect((await under.repo.findOpenDuplicates(report)).map((c) => c.id)).toContain('old-2');
});

test('an import refuses a store that already holds cases (its keys are assigned in memory)', async () => {
  await expect(under.repo.historyImport().add(history(1))).rejects.toThrow('empty store');
});
