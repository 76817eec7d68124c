import { alertKey, planCase, type DeadlineRules } from '../../../jobs/deadlines/plan';
import { accept, createCase, whistle, type Actor, type Case, type CommandContext, type CommandResult } from '../../../src/cases';
import { calendarFor, createDeadlinePlanner, defaultSlaConfig } from '../../../src/sla';
import type { Urgency } from '../../../src/taxonomy';

const config = defaultSlaConfig();
const rules: DeadlineRules = { config, calendar: calendarFor(config) };
const DISPATCHER: Actor = { userId: 'disp1', role: 'dispatcher' };
const STAFF: Actor = { userId: 'zj-staff', role: 'dept_member', deptCode: 'zhujian' };

/** Beijing time, e.g. `2026-01-09 17:00`. */
const bj = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);

function ctx(actor: Actor, now: Date): CommandContext {
  return { actor, channel: 'sandbox', now, plan: createDeadlinePlanner(config, rules.calendar) };
}

function ok(result: CommandResult): Case {
  if (!result.ok) throw new Error(result.reason);
  return result.case;
}

function whistled(urgency: Urgency, at: Date): Case {
  const c = createCase(
    { districtId: 'd1', streetId: 's1', source: 'dispatcher', reporter: { userId: 'disp1' }, text: '井盖缺失', parsed: { urgency, confidence: 1 }, level: 'street' },
    { id: 'case-1', number: 'T-1' },
    ctx(DISPATCHER, at),
  );
  return ok(whistle(c, { departments: ['zhujian'] }, ctx(DISPATCHER, at)));
}

/** Marks alerts as sent, the way the worker's timeline events do. */
function withFired(c: Case, keys: string[]): Case {
  const events = keys.map((deadlineKey) => ({ type: 'feedback' as const, at: c.updatedAt, actorId: 'system', actorRole: 'system' as const, channel: 'system' as const, details: { deadlineKey } }));
  return { ...c, timeline: [...c.timeline, ...events] };
}

describe('deadline plans on working time (config/sla.json, Asia/Shanghai, 09:00–12:00 and 13:30–18:00)', () => {
  it('across a weekend: key case whistled Friday 17:00 must be accepted by Monday 10:00; 80% falls on Monday', () => {
    const c = whistled('key', bj('2026-01-09 17:00'));
    expect(c.assignments[0]?.acceptDueAt).toEqual(bj('2026-01-12 10:00'));

    const [fridayEvening] = planCase(c, rules, bj('2026-01-09 17:30'));
    expect(fridayEvening?.fireNow).toEqual([]);
    expect(fridayEvening?.wakeAt).toEqual(bj('2026-01-09 18:00')); // 50% of 2 working hours

    // Saturday: the 50% reminder is owed (say the workers were down) and goes at once; then Monday 09:36.
    const [saturday] = planCase(c, rules, bj('2026-01-10 12:00'));
    expect(saturday?.fireNow.map((a) => a.key)).toEqual(['accept:r50']);
    const slot = saturday?.slot;
    if (!slot || !saturday.fireNow[0]) throw new Error('no slot');
    const [afterIt] = planCase(withFired(c, [alertKey(slot, saturday.fireNow[0])]), rules, bj('2026-01-10 12:00'));
    expect(afterIt?.fireNow).toEqual([]);
    expect(afterIt?.wakeAt).toEqual(bj('2026-01-12 09:36'));
  });

  it('over National Day and its make-up Saturday: daily case accepted on 8 October, 50% of 5 working days lands on Saturday 10 October', () => {
    const c = whistled('daily', bj('2026-09-30 15:00'));
    // 1 working day = 7.5 h: 3 h on 30 September, then 1–7 October off, 4.5 h on 8 October.
    expect(c.assignments[0]?.acceptDueAt).toEqual(bj('2026-10-08 15:00'));
    const [beforeHoliday] = planCase(c, rules, bj('2026-09-30 16:00'));
    expect(beforeHoliday?.wakeAt).toEqual(bj('2026-10-08 09:45')); // 50% = 3 h 45 min: 3 h on the 30th, 45 min after the holiday
    const accepted = ok(accept(c, ctx(STAFF, bj('2026-10-08 09:00'))));
    // 5 × 7.5 h: 8, 9, 10 (make-up Saturday), 12, 13 October.
    expect(accepted.assignments[0]?.finishDueAt).toEqual(bj('2026-10-13 18:00'));
    const [finish] = planCase(accepted, rules, bj('2026-10-08 09:00'));
    expect(finish?.slot.slot).toBe('a0.finish');
    expect(finish?.wakeAt).toEqual(bj('2026-10-10 14:15'));
  });

  it('over the Spring Festival: no working time from 15 to 23 February', () => {
    const c = whistled('key', bj('2026-02-13 17:30'));
    // 30 min on Friday 13th, 14th is a make-up Saturday (09:00–10:30 gives the other 1.5 h).
    expect(c.assignments[0]?.acceptDueAt).toEqual(bj('2026-02-14 10:30'));
    const [plan] = planCase(c, rules, bj('2026-02-13 17:30'));
    expect(plan?.wakeAt).toEqual(bj('2026-02-14 09:30')); // 50% = 1 h: 30 min Friday + 30 min Saturday
  });

  it('lists every alert with a key that names the limit, so a moved limit gets fresh keys', () => {
    const c = whistled('emergency', bj('2026-01-09 17:00'));
    const [plan] = planCase(c, rules, bj('2026-01-09 17:00'));
    expect(plan?.wakeAt).toEqual(bj('2026-01-09 17:15'));
    const slot = plan?.slot;
    if (!slot) throw new Error('no slot');
    expect(alertKey(slot, { key: 'accept:r50', kind: 'accept', type: 'reminder', at: bj('2026-01-09 17:15') })).toBe(`a0.accept@${bj('2026-01-09 17:30').getTime()}#accept:r50`);
  });
});
