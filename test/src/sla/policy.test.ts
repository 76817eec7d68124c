import slaJson from '../../../config/sla.json';
import { ConfigError } from '../../../config/errors';
import { calendarFor, computeDeadline, defaultSlaConfig, parseSlaConfig, reminderTimes, resolvePolicy } from '../../../src/sla';

const bj = (local: string): Date => new Date(`${local}:00+08:00`);
const config = defaultSlaConfig();
const calendar = calendarFor(config);

function withChange(change: (raw: Record<string, unknown>) => void): unknown {
  const raw = structuredClone(slaJson) as unknown as Record<string, unknown>;
  change(raw);
  return raw;
}

function problemsOf(raw: unknown): string[] {
  try {
    parseSlaConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('SLA policy', () => {
  test('defaults per urgency', () => {
    const emergency = resolvePolicy(config, { urgency: 'emergency' });
    const start = bj('2026-11-23T23:50');
    expect(computeDeadline(emergency, 'accept', start, calendar)).toEqual(bj('2026-11-24T00:20'));
    expect(computeDeadline(emergency, 'finish', start, calendar)).toEqual(bj('2026-11-24T03:50'));

    const key = resolvePolicy(config, { urgency: 'key' });
    expect(computeDeadline(key, 'accept', bj('2026-11-20T17:00'), calendar)).toEqual(bj('2026-11-23T10:00'));
    expect(computeDeadline(key, 'finish', bj('2026-09-30T10:00'), calendar)).toEqual(bj('2026-10-20T10:00'));

    const daily = resolvePolicy(config, { urgency: 'daily' });
    expect(computeDeadline(daily, 'accept', bj('2026-11-23T10:00'), calendar)).toEqual(bj('2026-11-24T10:00'));
    expect(computeDeadline(daily, 'finish', bj('2026-11-23T10:00'), calendar)).toEqual(bj('2026-11-30T10:00'));
    expect(computeDeadline(daily, 'verify', bj('2026-11-27T16:00'), calendar)).toEqual(bj('2026-11-30T16:00'));
  });

  test('category overrides, and street overrides beat category overrides', () => {
    const gas = resolvePolicy(config, { urgency: 'daily', category: 'gas' });
    expect(gas.accept).toMatchObject({ duration: { amount: 30, unit: 'm' }, clock: 'calendar' });
    expect(gas.finish.duration).toEqual({ amount: 5, unit: 'd' });

    const tuned = parseSlaConfig(
      withChange((raw) => {
        raw.overrides = [
          { street: 's-east', accept: { duration: '4h' } },
          { category: 'road', accept: { duration: '1h', clock: 'calendar' } },
        ];
      }),
    );
    const both = resolvePolicy(tuned, { urgency: 'daily', category: 'road', streetId: 's-east' });
    expect(both.accept).toMatchObject({ duration: { amount: 4, unit: 'h' }, clock: 'calendar' });
    expect(resolvePolicy(tuned, { urgency: 'daily', category: 'road', streetId: 's-west' }).accept.duration).toEqual({ amount: 1, unit: 'h' });
    expect(resolvePolicy(tuned, { urgency: 'daily', category: 'noise', streetId: 's-east' }).accept).toMatchObject({ duration: { amount: 4, unit: 'h' }, clock: 'working' });
  });

  test('validation names the bad key', () => {
    expect(problemsOf(slaJson)).toEqual([]);
    const badDuration = problemsOf(withChange((raw) => ((raw.policies as { daily: { accept: { duration: string } } }).daily.accept.duration = '1 day')));
    expect(badDuration).toEqual([expect.stringContaining('sla.policies.daily.accept.duration')]);
    expect(badDuration[0]).toContain('"30m"');

    const typo = problemsOf(withChange((raw) => ((raw.policies as { key: Record<string, unknown> }).key.acept = {})));
    expect(typo.join('\n')).toMatch(/sla\.policies\.key.*acept/);

    const badCategory = problemsOf(withChange((raw) => (raw.overrides = [{ category: 'roads', accept: { duration: '1h' } }])));
    expect(badCategory).toEqual([expect.stringContaining('sla.overrides.0.category')]);

    const badHours = problemsOf(withChange((raw) => (raw.workingHours = [{ start: '13:30', end: '12:00' }])));
    expect(badHours).toEqual([expect.stringContaining('sla.workingHours')]);

    expect(problemsOf(withChange((raw) => (raw.timeZone = 'Mars/Olympus')))).toEqual([expect.stringContaining('sla.timeZone')]);
  });
});

describe('reminderTimes', () => {
  test('daily accept: reminders at 50 % and 80 % of working time, the deadline, overdue and escalations', () => {
    const policy = resolvePolicy(config, { urgency: 'daily' });
    const alerts = reminderTimes(policy, 'accept', bj('2026-11-23T10:00'), calendar);
    const byKey = new Map(alerts.map((a) => [a.key, a]));
    expect(byKey.get('accept:r50')?.at).toEqual(bj('2026-11-23T15:15'));
    expect(byKey.get('accept:r80')?.at).toEqual(bj('2026-11-23T17:30'));
    expect(byKey.get('accept:due')?.at).toEqual(bj('2026-11-24T10:00'));
    expect(byKey.get('accept:overdue:1')?.at).toEqual(bj('2026-11-24T12:00'));
    expect(byKey.get('accept:overdue:2')?.at).toEqual(bj('2026-11-24T15:30'));
    expect(byKey.get('accept:esc:1')).toMatchObject({ at: bj('2026-11-24T10:00'), escalateTo: 'street_dispatcher' });
    expect(byKey.get('accept:esc:2')).toMatchObject({ at: bj('2026-11-25T10:30'), escalateTo: 'district_leadership' });
    expect(alerts.filter((a) => a.type === 'overdue')).toHaveLength(config.reminders.maxOverdueReminders);
    expect(new Set(alerts.map((a) => a.key)).size).toBe(alerts.length);
    const times = alerts.map((a) => a.at.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  test('emergency finish counts calendar time, with its own escalation chain', () => {
    const policy = resolvePolicy(config, { urgency: 'emergency' });
    const alerts = reminderTimes(policy, 'finish', bj('2026-10-01T22:00'), calendar);
    const byKey = new Map(alerts.map((a) => [a.key, a.at]));
    expect(byKey.get('finish:r50')).toEqual(bj('2026-10-02T00:00'));
    expect(byKey.get('finish:due')).toEqual(bj('2026-10-02T02:00'));
    expect(byKey.get('finish:overdue:3')).toEqual(bj('2026-10-02T03:30'));
    expect(byKey.get('finish:esc:2')).toEqual(bj('2026-10-02T03:00'));
  });

  test('an explicit (extended) deadline replaces the computed one', () => {
    const policy = resolvePolicy(config, { urgency: 'daily' });
    const alerts = reminderTimes(policy, 'finish', bj('2026-11-23T09:00'), calendar, bj('2026-11-24T18:00'));
    expect(alerts.find((a) => a.key === 'finish:r50')?.at).toEqual(bj('2026-11-23T18:00'));
    expect(alerts.find((a) => a.key === 'finish:due')?.at).toEqual(bj('2026-11-24T18:00'));
  });
});
