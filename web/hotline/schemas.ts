import { z } from 'zod';
import { CATEGORY_CODES, URGENCIES } from '../../src/taxonomy';

/** Letters, digits and `_ . -`: the hotline's own work-order number, also used in the status URL. */
export const ORDER_NO = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_CONTENT_LENGTH = 4000;

// Hotline systems send "" or null for a field they do not have: both count as absent.
const absentAsUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(absentAsUndefined, schema.optional());

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** The body of POST /api/hotline/orders. Unknown fields are ignored (and not part of the idempotency check). */
export const hotlineOrderSchema = z
  .object({
    orderNo: z.string().trim().regex(ORDER_NO, '工单号只能包含字母、数字、_ . -，最长 64 位'),
    content: text(MAX_CONTENT_LENGTH),
    address: optional(text(200)),
    lat: optional(z.number().min(-90).max(90)),
    lng: optional(z.number().min(-180).max(180)),
    callerPhone: optional(z.string().trim().regex(/^\+?[0-9][0-9 -]{4,19}$/, '请填写正确的电话号码')),
    category: optional(z.enum(CATEGORY_CODES as [string, ...string[]])),
    urgency: optional(z.enum(URGENCIES as ['emergency', 'key', 'daily'])),
    streetId: optional(text(64)),
    communityId: optional(text(64)),
    receivedAt: optional(instant),
    dueAt: optional(instant),
    platform: optional(z.string().trim().regex(/^[a-z0-9-]{1,32}$/, '平台标识只能包含小写字母、数字和 -，最长 32 位')),
  })
  .refine((o) => (o.lat === undefined) === (o.lng === undefined), { path: ['lng'], message: 'lat 与 lng 须同时提供' });
