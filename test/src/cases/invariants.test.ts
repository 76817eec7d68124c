import { applyCommand, checkInvariants, type Actor, type Case, type CaseCommand } from '../../../src/cases';
import { HOUR, actors, ctx, newCase } from './fixtures';

/** Small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cast: Actor[] = [actors.reporter, actors.resident, actors.dispatcher, actors.system, actors.zhangsan, actors.lisi, actors.chengguan, actors.shuiwu];

function randomCommand(pick: <T>(items: readonly T[]) => T, c: Case): CaseCommand {
  const commands: CaseCommand[] = [
    { type: 'whistle', departments: pick([['zhujian'], ['zhujian', 'chengguan'], ['chengguan', 'shuiwu'], ['shuiwu']]) },
    { type: 'accept' },
    { type: 'return', reason: pick(['不属于本部门', '']) },
    { type: 'feedback', text: pick(['已处理', '']) },
    { type: 'verify', outcome: pick(['solved', 'reopen', 'unsolvable'] as const), note: pick(['仍未解决', undefined]) },
    { type: 'rate', value: pick(['satisfied', 'basically', 'dissatisfied'] as const) },
    { type: 'rateWhistle', reasonable: pick([true, false]) },
    { type: 'requestExtension', reason: '需要时间', requestedDueAt: new Date(c.updatedAt.getTime() + pick([1, 72]) * HOUR) },
    { type: 'decideExtension', deptCode: pick(['zhujian', 'chengguan', 'shuiwu']), approve: pick([true, false]) },
    { type: 'escalateToStreet', reason: '社区无法处理' },
  ];
  // Ending a case is rare, so walks get far enough to reach verification and reopening.
  const endings: CaseCommand[] = [{ type: 'merge', targetId: 'other-case' }, { type: 'cancel', reason: '撤销' }];
  return pick(pick([true, ...new Array<boolean>(80).fill(false)]) ? endings : commands);
}

describe('random walks never reach an impossible state', () => {
  test('300 cases × 200 random commands by random actors', () => {
    const rand = random(20261123);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
    let transitions = 0;
    const finalStates = new Map<string, number>();
    for (let n = 0; n < 300; n++) {
      let c = newCase({ level: pick(['street', 'community'] as const), reporter: { userId: 'grid-wang', openid: 'openid-li' } }, `case-${n}`);
      for (let step = 0; step < 200; step++) {
        const before = JSON.stringify(c);
        const command = randomCommand(pick, c);
        const result = applyCommand(c, command, ctx(pick(cast)));
        expect(JSON.stringify(c)).toBe(before);
        if (!result.ok) continue;
        transitions++;
        const problems = checkInvariants(result.case);
        if (problems.length > 0) throw new Error(`case ${n} after ${command.type}: ${problems.join('; ')}`);
        expect(result.case.version).toBe(c.version + 1);
        c = result.case;
      }
      finalStates.set(c.state, (finalStates.get(c.state) ?? 0) + 1);
    }
    expect(transitions).toBeGreaterThan(1500);
    expect(finalStates.get('closed') ?? 0).toBeGreaterThan(10);
    expect([...finalStates.keys()].sort()).toEqual(expect.arrayContaining(['cancelled', 'closed', 'merged']));
  });
});
