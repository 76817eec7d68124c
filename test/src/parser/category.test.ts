import { parseReport } from '../../../src/parser';

const categoryOf = (text: string): string => parseReport({ text }).category;

describe('category', () => {
  it('reads a word followed by a position word as the place, not the problem', () => {
    expect(categoryOf('垃圾房旁边老鼠成群')).toBe('health');
  });

  it('tells impersonation apart from the service impersonated', () => {
    expect(categoryOf('有人冒充燃气公司挨家挨户上门推销')).toBe('security');
  });
});
