import { memoParser } from '../../../../bots/wecom/conversation/memoParser';
import type { ReportReading } from '../../../../bots/wecom/conversation/ports';
import type { ParseInput } from '../../../../src/parser/types';

const answer = (text: string): ReportReading => ({ category: text.includes('井盖') ? 'manhole' : 'other', urgency: 'daily', location: null, departments: ['zhujian'], confidence: 0.9, problems: [{ category: 'manhole' }] });

test('the same texts with the same model are parsed once; another model, another text or an eviction asks again', () => {
  const asked: ParseInput[] = [];
  let version = 'v1';
  const parse = memoParser((input) => (asked.push(input), answer(input.text)), () => version, 2);
  const first = parse({ text: '井盖丢了' });
  expect(parse({ text: '井盖丢了' })).toBe(first);
  expect(asked).toHaveLength(1);
  parse({ text: '井盖丢了', imageCount: 1 });
  expect(asked).toHaveLength(2);
  version = 'v2';
  parse({ text: '井盖丢了' });
  expect(asked).toHaveLength(3);
  parse({ text: '路灯不亮' });
  parse({ text: '垃圾满了' }); // evicts the least recently used
  parse({ text: '井盖丢了', imageCount: 1 });
  expect(asked).toHaveLength(6);
});

test('an answer handed out twice cannot be changed in place', () => {
  const parse = memoParser((input) => answer(input.text), () => 'v1');
  const parsed = parse({ text: '井盖丢了' });
  expect(() => parsed.departments.push('chengguan')).toThrow(TypeError);
  expect(parse({ text: '井盖丢了' }).departments).toEqual(['zhujian']);
});
