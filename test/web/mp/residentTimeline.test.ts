import type { Case, TimelineEvent } from '../../../src/cases';
import { residentTimeline } from '../../../web/mp/residentTimeline';

describe('the resident timeline', () => {
  it('hides internal steps and people from the resident timeline', () => {
    const at = new Date('2026-11-23T08:00:00Z');
    const event = (type: TimelineEvent['type'], extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
      type, at, actorId: 'zhujian-staff', actorName: '王干事（住建局）', actorRole: 'dept_member', channel: 'wecom', details: {}, ...extra,
    });
    const c = {
      timeline: [
        event('created'),
        event('whistled', { details: { departments: 'zhujian,chengguan', lead: 'zhujian' } }),
        event('returned', { deptCode: 'chengguan', details: { reason: '不归我们管，联系人 13900001111' } }),
        event('extension_requested', { deptCode: 'zhujian', details: { reason: '材料未到' } }),
        event('accepted', { deptCode: 'zhujian', details: { role: 'lead' } }),
        event('feedback', { deptCode: 'zhujian', details: { role: 'lead', text: '已修' } }),
        event('reopened', { deptCode: 'zhujian', details: { reason: '没修好' } }),
        event('verified', { deptCode: 'zhujian', details: { resolution: 'solved' } }),
      ],
    } as unknown as Case;
    const names = { department: (code: string) => ({ zhujian: '住建局', chengguan: '城管局' })[code] ?? code };
    const timeline = residentTimeline(c, names);
    expect(timeline.map((t) => t.title)).toEqual([
      '诉求已提交',
      '已转交住建局、城管局办理',
      '住建局已受理',
      '住建局已办理完毕，等待核实',
      '经核实问题尚未解决，已要求重新办理',
      '经核实问题已解决，诉求办结',
    ]);
    const text = JSON.stringify(timeline);
    for (const secret of ['王干事', 'zhujian-staff', '13900001111', '材料未到', '没修好']) expect(text).not.toContain(secret);
  });
});
