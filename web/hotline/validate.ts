import type { z } from 'zod';
import { parseInChinese } from '../chineseValidation';
import { hotlineError } from './errors';

const FIELD_LABELS: Record<string, string> = {
  orderNo: '工单号',
  content: '诉求内容',
  address: '地址',
  lat: '纬度',
  lng: '经度',
  callerPhone: '来电号码',
  category: '问题类别',
  urgency: '紧急程度',
  streetId: '街道',
  communityId: '社区',
  receivedAt: '受理时间',
  dueAt: '办结时限',
};

/** Parses with the schema; failures become 400 invalid_request naming each field (in Chinese and by key). */
export function parseOrder<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  return parseInChinese(schema, input, {
    labels: FIELD_LABELS,
    showKey: true,
    invalid: (issues) => hotlineError('invalid_request', { message: issues[0]?.message, details: { issues } }),
  });
}
