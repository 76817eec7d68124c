import type { AllianceRefusal, AllianceRefusalCode } from '../../src/alliance/refusals';
import { HttpError, ValidationError } from '../errors';
import { parseInChinese } from '../chineseValidation';
import type { z } from 'zod';

const STATUS: Partial<Record<AllianceRefusalCode, number>> = {
  not_targeted: 403,
  not_found: 404,
  invalid_activity: 400,
};

/** A rule's refusal as the HTTP answer: its stable code and the sentence to show (nothing was changed). */
export function refusalError(refusal: AllianceRefusal): HttpError {
  return new HttpError(STATUS[refusal.code] ?? 409, refusal.code, refusal.message);
}

export function unwrap<T extends { ok: boolean }>(outcome: T | AllianceRefusal): Exclude<T, AllianceRefusal> {
  if (!outcome.ok) throw refusalError(outcome as AllianceRefusal);
  return outcome as Exclude<T, AllianceRefusal>;
}

const LABELS: Record<string, string> = {
  id: '编号',
  kind: '类别',
  name: '名称',
  title: '标题',
  organiser: '组织方',
  venue: '地点',
  startsAt: '开始时间',
  endsAt: '结束时间',
  capacity: '人数',
  waitlistCapacity: '候补人数',
  targetKinds: '报到对象类别',
  targetIds: '指定报到对象',
  participantId: '报到对象',
  hours: '时长',
  reason: '原因',
  points: '积分',
  reward: '奖励',
  latitude: '纬度',
  longitude: '经度',
  qrToken: '签到码',
  list: '清单',
  year: '年度',
  by: '操作人',
};

export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  return parseInChinese(schema, input, { labels: LABELS, showKey: true, invalid: (issues) => new ValidationError(issues[0]?.message ?? '提交的内容有误', { issues }) });
}
