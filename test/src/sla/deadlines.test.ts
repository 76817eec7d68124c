import { accept, createCase, whistle, type CommandContext } from '../../../src/cases';
import { calendarFor, createDeadlinePlanner, defaultSlaConfig } from '../../../src/sla';
import { actors, draft, ok } from '../cases/fixtures';

const config = defaultSlaConfig();
const plan = createDeadlinePlanner(config, calendarFor(config));
const bj = (local: string): Date => new Date(`${local}:00+08:00`);
const at = (actor: CommandContext['actor'], now: Date): CommandContext => ({ actor, channel: 'wecom', now, plan });

describe('deadline planner in case commands', () => {
  test('a daily case whistled before National Day gets working-time deadlines', () => {
    let c = createCase(draft, { id: 'p1', number: '2026-000001' }, at(actors.reporter, bj('2026-09-30T16:00')));
    c = ok(whistle(c, { departments: ['zhujian'] }, at(actors.dispatcher, bj('2026-09-30T16:00'))));
    expect(c.assignments[0]?.acceptDueAt).toEqual(bj('2026-10-08T16:00'));
    c = ok(accept(c, at(actors.zhangsan, bj('2026-10-08T09:30'))));
    expect(c.assignments[0]?.finishDueAt).toEqual(bj('2026-10-14T09:30'));
  });

  test('an emergency gas case counts calendar minutes, at night too', () => {
    const gas = { ...draft, parsed: { ...draft.parsed, category: 'gas', urgency: 'emergency' as const } };
    let c = createCase(gas, { id: 'p2', number: '2026-000002' }, at(actors.reporter, bj('2026-10-01T23:40')));
    c = ok(whistle(c, { departments: ['ranqi'] }, at(actors.dispatcher, bj('2026-10-01T23:40'))));
    expect(c.assignments[0]?.acceptDueAt).toEqual(bj('2026-10-02T00:10'));
  });
});
