import { z } from 'zod';
import type { MpConfig } from '../../config/mp';
import { CATEGORY_CODES, URGENCIES } from '../../src/taxonomy';

/**
 * The zod schemas every mini-program route validates with, and the only source of the OpenAPI
 * document's schemas (see openapi.ts), so the document cannot say something the code does not do.
 * Request schemas are built from the configuration because limits live there.
 */

const categoryCode = z.enum(CATEGORY_CODES as [string, ...string[]]);
const urgencyCode = z.enum(URGENCIES as ['emergency', 'key', 'daily']);
export const SATISFACTION_VALUES = ['satisfied', 'basically', 'dissatisfied'] as const;
export const RESIDENT_STATUSES = ['submitted', 'processing', 'verifying', 'closed', 'cancelled', 'merged'] as const;
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number];

const time = z.iso.datetime().describe('ISO 8601 time, UTC');
const stringList = (description: string) =>
  z.union([z.string(), z.array(z.string())]).describe(`${description}；可为 JSON 数组、重复的表单字段或逗号分隔的字符串`);

export function requestSchemas(config: MpConfig) {
  return {
    login: z.object({
      code: z.string().trim().min(1).max(128).describe('wx.login() 得到的 code（一次性，5 分钟内有效）'),
    }),
    preview: z.object({
      text: z.string().trim().min(1).max(config.report.maxTextLength).describe('居民填写的问题描述'),
    }),
    report: z.object({
      text: z.string().trim().min(4).max(config.report.maxTextLength).describe('问题描述，至少 4 个字'),
      category: categoryCode.optional().describe('居民确认或更正的问题类别编码；不填则采用自动识别结果'),
      latitude: z.coerce.number().min(-90).max(90).describe('纬度（wx.chooseLocation 返回的 latitude，GCJ-02）'),
      longitude: z.coerce.number().min(-180).max(180).describe('经度（GCJ-02）'),
      address: z.string().trim().min(1).max(config.report.maxAddressLength).describe('地图选点返回的地址'),
      placeName: z.string().trim().max(100).optional().describe('地图选点返回的地点名称'),
      communityId: z.string().trim().min(1).max(64).optional().describe('所在社区 id（取自 GET /api/mp/config 的 communities）；不填则由街道分派'),
      contactPhone: z
        .string()
        .trim()
        .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '请填写正确的手机号或固定电话')
        .optional()
        .describe('联系电话（可选），仅供工作人员回访'),
      photoIds: stringList('先用 POST /api/mp/photos 上传的照片 id').optional(),
      subscribedTemplateIds: stringList('wx.requestSubscribeMessage 中居民点了“允许”的模板 id').optional(),
    }),
    listQuery: z.object({
      page: z.coerce.number().int().min(1).default(1).describe('页码，从 1 开始'),
      pageSize: z.coerce.number().int().min(1).max(50).default(10).describe('每页条数，最多 50'),
    }),
    rating: z.object({
      value: z.enum(SATISFACTION_VALUES).describe('satisfied 满意 / basically 基本满意 / dissatisfied 不满意'),
      comment: z.string().trim().max(config.report.maxCommentLength).optional().describe('评价内容（可选）'),
    }),
    subscriptions: z.object({
      templateIds: z.array(z.string().min(1).max(128)).min(1).max(10).describe('wx.requestSubscribeMessage 中居民点了“允许”的模板 id'),
    }),
  };
}
export type RequestSchemas = ReturnType<typeof requestSchemas>;
export type ReportRequest = z.infer<RequestSchemas['report']>;

const named = <T extends z.ZodType>(code: T) => z.object({ code, name: z.string() });

const photo = z.object({ url: z.string().describe('带签名的图片地址，有效期见 expiresIn；过期后重新获取详情即可') });

export const responseSchemas = {
  error: z.object({
    error: z.object({
      code: z.string().describe('稳定的错误码，见文档中的错误码表'),
      message: z.string().describe('可直接展示给居民的中文提示'),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
  session: z.object({
    token: z.string().describe('会话令牌：之后请求放在 Authorization: Bearer <token> 中'),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('有效秒数；过期或收到 401 后重新 wx.login 登录'),
  }),
  config: z.object({
    categories: z.array(named(z.string())),
    satisfaction: z.array(z.object({ value: z.enum(SATISFACTION_VALUES), name: z.string() })),
    photos: z.object({ maxCount: z.number().int(), maxBytes: z.number().int(), types: z.array(z.string()) }),
    report: z.object({ maxTextLength: z.number().int(), maxAddressLength: z.number().int(), maxCommentLength: z.number().int() }),
    subscribeTemplates: z.array(z.object({ milestone: z.string(), templateId: z.string(), title: z.string() })),
    communities: z.array(z.object({ id: z.string(), name: z.string(), streetName: z.string() })),
  }),
  preview: z.object({
    category: named(z.string()).nullable().describe('自动识别的类别；null 表示未能识别，请居民选择'),
    urgency: named(urgencyCode),
    confidence: z.number().min(0).max(1),
  }),
  photo: z.object({
    photoId: z.string().describe('提交诉求时放入 photoIds'),
    url: z.string(),
    expiresIn: z.number().int().describe('photoId 的有效秒数'),
  }),
  caseSummary: z.object({
    id: z.string(),
    number: z.string().describe('诉求编号，如 2026-000123'),
    status: z.enum(RESIDENT_STATUSES),
    statusName: z.string(),
    category: named(z.string()).nullable(),
    summary: z.string(),
    address: z.string().nullable(),
    createdAt: time,
    updatedAt: time,
    canRate: z.boolean(),
    rated: z.boolean(),
  }),
  timelineItem: z.object({
    type: z.string().describe('created / whistled / accepted / feedback / verified / reopened / escalated / merged / cancelled / rated'),
    title: z.string().describe('可直接展示的一句话'),
    departments: z.array(z.string()).describe('相关部门名称（不含工作人员姓名与电话）'),
    at: time,
  }),
  rating: z.object({
    value: z.enum(SATISFACTION_VALUES),
    name: z.string(),
    comment: z.string().nullable(),
    at: time,
  }),
};

const caseDetail = responseSchemas.caseSummary.extend({
  text: z.string(),
  urgency: named(urgencyCode),
  location: z.object({ latitude: z.number().nullable(), longitude: z.number().nullable(), address: z.string().nullable(), placeName: z.string().nullable() }),
  contactPhone: z.string().nullable().describe('已打码的联系电话'),
  photos: z.array(photo),
  timeline: z.array(responseSchemas.timelineItem),
  result: z
    .object({ at: time, departments: z.array(z.string()), text: z.string().describe('处理结果（电话号码已打码）'), photos: z.array(photo) })
    .nullable()
    .describe('牵头部门反馈的处理结果；尚未反馈时为 null'),
  rating: responseSchemas.rating.nullable(),
});

export const allResponseSchemas = {
  ...responseSchemas,
  caseDetail,
  caseList: z.object({
    items: z.array(responseSchemas.caseSummary),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
    hasMore: z.boolean(),
  }),
  subscriptionsResult: z.object({ milestones: z.array(z.string()).describe('之后会收到通知的节点') }),
};

export type ResponseSchemas = typeof allResponseSchemas;
export type CaseSummaryView = z.infer<ResponseSchemas['caseSummary']>;
export type CaseDetailView = z.infer<ResponseSchemas['caseDetail']>;
export type TimelineItemView = z.infer<ResponseSchemas['timelineItem']>;
export type ConfigView = z.infer<ResponseSchemas['config']>;
