import { MicroBatch } from '../../../jobs/inbound/microBatch';

describe('MicroBatch', () => {
  test('items pushed in one turn share a flush and each gets its own result', async () => {
    const flushes: number[][] = [];
    const batch = new MicroBatch<number, number>(async (items) => {
      flushes.push(items);
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => batch.push(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(flushes).toEqual([[1, 2, 3]]);
    expect(await batch.push(4)).toBe(40);
    expect(flushes).toHaveLength(2);
  });

  test('a full batch flushes at once; later items wait for the next turn', async () => {
    const flushes: number[][] = [];
    const batch = new MicroBatch<number, number>(async (items) => {
      flushes.push(items);
      return items;
    }, 2);
    await Promise.all([1, 2, 3].map((n) => batch.push(n)));
    expect(flushes).toEqual([[1, 2], [3]]);
  });

  test('a failed flush rejects every caller in it (each request answers 5xx, WeChat Work retries)', async () => {
    const batch = new MicroBatch<number, number>(async () => {
      throw new Error('redis down');
    });
    const settled = await Promise.allSettled([batch.push(1), batch.push(2)]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });
});
