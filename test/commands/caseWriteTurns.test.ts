import { CaseWriteTurns } from '../../commands/caseWriteTurns';

test('writes of one case take turns; other cases do not wait; a turn is forgotten once idle', async () => {
  const turns = new CaseWriteTurns();
  const order: string[] = [];
  const first = await turns.take('case-a');
  expect(first.waited).toBe(false);
  const second = turns.take('case-a').then((turn) => {
    order.push('second');
    return turn;
  });
  const other = await turns.take('case-b');
  expect(other.waited).toBe(false);
  order.push('other');
  other.release();
  order.push('first released');
  first.release();
  const turn = await second;
  expect(turn.waited).toBe(true);
  expect(order).toEqual(['other', 'first released', 'second']);
  turn.release();
  turn.release(); // idempotent
  await turns.take('case-a').then((t) => t.release());
  await Promise.resolve();
  expect(turns.busy).toBe(0);
});
