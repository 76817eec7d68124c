import type { z } from 'zod';
import { parseInChinese } from '../chineseValidation';
import { mpError } from './errors';

const FIELD_LABELS: Record<string, string> = {
  code: '登录凭证',
  text: '问题描述',
  category: '问题类别',
  latitude: '纬度',
  longitude: '经度',
  address: '地址',
  placeName: '地点名称',
  communityId: '所在社区',
  contactPhone: '联系电话',
  photoIds: '照片',
  subscribedTemplateIds: '订阅模板',
  templateIds: '订阅模板',
  page: '页码',
  pageSize: '每页条数',
  value: '评价',
  comment: '评价内容',
};

/** Parses with the schema; failures become 400 invalid_request naming each field in Chinese. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  return parseInChinese(schema, input, {
    labels: FIELD_LABELS,
    invalid: (issues) => mpError('invalid_request', { message: issues[0]?.message ?? '提交的内容有误，请检查后重试', details: { issues } }),
  });
}
