import Router from '@koa/router';
import type { ReportSubmission } from '../../../commands/submitReport';
import type { MediaRef } from '../../../src/cases';
import { parseReport } from '../../../src/parser';
import { category as categoryInfo, isCategoryCode, urgencyName } from '../../../src/taxonomy';
import { addGrants } from '../../../store/models/residentSubscription';
import { readForm, type FormLimits } from '../body';
import { presentCaseDetail } from '../caseViews';
import { mpError } from '../errors';
import { authenticate, limitByIp, limitByResident, residentOf } from '../middleware';
import { ownCase, viewContextFor, type OwnCase } from '../ownCases';
import type { ReportRequest } from '../schemas';
import type { MpServices, MpState } from '../services';
import type { ResidentSession } from '../session';
import { parseRequest } from '../validate';

const PHOTO_FIELD = 'photos';

function formLimits(services: MpServices, maxFiles: number): FormLimits {
  return { maxFiles, maxFileBytes: services.config.photos.maxBytes, maxFieldBytes: 16 * 1024, fileField: PHOTO_FIELD };
}

export function listOf(value: string | string[] | undefined): string[] {
  const items = value === undefined ? [] : Array.isArray(value) ? value : value.split(',');
  return [...new Set(items.map((s) => s.trim()).filter(Boolean))];
}

function placeOf(services: MpServices, communityId: string | undefined): Pick<ReportSubmission, 'districtId' | 'streetId' | 'communityId'> {
  const { district } = services;
  if (communityId === undefined) return { districtId: district.districtId, streetId: district.defaultStreetId };
  const community = district.communities.find((c) => c.id === communityId);
  if (!community) throw mpError('invalid_request', { message: '所在社区不存在，请重新选择', details: { field: 'communityId' } });
  return { districtId: district.districtId, streetId: community.streetId, communityId: community.id };
}

/** Parser's reading of the text; the resident's own category choice wins, with a confidence that lets a person check it. */
function classify(services: MpServices, report: ReportRequest, imageCount: number): ReportSubmission['parsed'] {
  const parsed = parseReport({ text: report.text, location: { latitude: report.latitude, longitude: report.longitude, label: report.address }, imageCount });
  const corrected = report.category !== undefined && report.category !== parsed.category;
  return {
    category: report.category ?? parsed.category,
    urgency: parsed.urgency,
    location: report.address,
    departments: parsed.departments,
    confidence: corrected ? services.config.report.correctedCategoryConfidence : parsed.confidence,
  };
}

async function storePhotos(services: MpServices, resident: ResidentSession, ip: string, files: Buffer[], photoIds: string[]): Promise<MediaRef[]> {
  const max = services.config.photos.maxCount;
  if (files.length + photoIds.length > max) throw mpError('too_many_photos', { message: `最多上传 ${max} 张照片`, details: { maxCount: max } });
  // Every check first (decode each file, claim each id), so a refused report leaves no stray files behind.
  const cleaned = await services.uploads.cleanAll(files, { openid: resident.openid, ip });
  const claimed = await services.uploads.claim(resident.residentId, photoIds);
  const now = services.clock();
  const saved: string[] = [];
  for (const photo of cleaned) saved.push(await services.uploads.save(photo, now));
  return [...saved, ...claimed].map((ref) => ({ kind: 'image', ref }));
}

/** Stores the photos, submits the report to the lifecycle, and records the resident's side of it. */
async function createResidentCase(services: MpServices, resident: ResidentSession, ip: string, report: ReportRequest, files: Buffer[]): Promise<OwnCase> {
  const place = placeOf(services, report.communityId);
  const media = await storePhotos(services, resident, ip, files, listOf(report.photoIds));
  const created = await services.cases.submit({
    source: 'resident',
    channel: 'mp',
    reporter: { openid: resident.openid },
    ...place,
    text: report.text,
    media,
    parsed: classify(services, report, media.length),
    lat: report.latitude,
    lng: report.longitude,
  });
  const link = await services.residentCases.create({
    _id: created.id,
    residentId: resident.residentId,
    number: created.number,
    address: report.address,
    createdAt: created.createdAt,
    ...(report.placeName ? { placeName: report.placeName } : {}),
    ...(report.contactPhone ? { contactPhone: report.contactPhone } : {}),
  });
  const known = new Set(Object.values(services.config.subscribe.templates).map((t) => t?.templateId));
  for (const templateId of listOf(report.subscribedTemplateIds).filter((id) => known.has(id))) {
    await addGrants(services.subscriptions, { caseId: created.id, residentId: resident.residentId, templateId }, 1, services.clock());
  }
  services.logger.info({ caseId: created.id, number: created.number, residentId: resident.residentId, photos: media.length }, 'resident report received');
  return { case: created, link: link.toObject() };
}

/** POST /api/mp/cases/preview, POST /api/mp/photos and POST /api/mp/cases: everything that makes a report. */
export function reportRoutes(services: MpServices): Router<MpState> {
  const router = new Router<MpState>({ prefix: '/api/mp' });
  const { schemas } = services;

  router.post('/cases/preview', limitByIp(services, 'read'), authenticate(services), limitByResident(services, 'read'), async (ctx) => {
    const { text } = parseRequest(schemas.preview, (await readForm(ctx)).fields);
    const parsed = parseReport({ text });
    ctx.body = {
      category: isCategoryCode(parsed.category) ? { code: parsed.category, name: categoryInfo(parsed.category).name } : null,
      urgency: { code: parsed.urgency, name: urgencyName(parsed.urgency) },
      confidence: parsed.confidence,
    };
  });

  router.post('/photos', limitByIp(services, 'write'), authenticate(services), limitByResident(services, 'write'), async (ctx) => {
    const form = await readForm(ctx, formLimits(services, 1));
    const file = form.files[0];
    if (!file) throw mpError('invalid_request', { message: `请在 ${PHOTO_FIELD} 字段中上传一张照片` });
    const resident = residentOf(ctx);
    const [cleaned] = await services.uploads.cleanAll([file.data], { openid: resident.openid, ip: ctx.ip });
    const key = await services.uploads.save(cleaned!, services.clock());
    const { photoId, expiresIn } = await services.uploads.register(resident.residentId, key);
    ctx.status = 201;
    ctx.body = { photoId, url: await services.signer.sign(key, services.publicBaseUrl()), expiresIn };
  });

  router.post('/cases', limitByIp(services, 'report'), authenticate(services), limitByResident(services, 'report'), async (ctx) => {
    const resident = residentOf(ctx);
    const form = await readForm(ctx, formLimits(services, services.config.photos.maxCount));
    const key = ctx.get('idempotency-key');
    const claim = key ? await services.idempotency.claim(resident.residentId, key) : undefined;
    if (claim?.kind === 'replay') {
      const own = await ownCase(services, resident.residentId, claim.caseId);
      ctx.set('Idempotent-Replayed', 'true');
      ctx.body = await presentCaseDetail(own.case, own.link, await viewContextFor(services, services.publicBaseUrl(), own.case));
      return;
    }
    let created: OwnCase;
    try {
      created = await createResidentCase(services, resident, ctx.ip, parseRequest(schemas.report, form.fields), form.files.map((f) => f.data));
    } catch (error) {
      await claim?.release();
      throw error;
    }
    await claim?.release(created.case.id);
    ctx.status = 201;
    ctx.body = await presentCaseDetail(created.case, created.link, await viewContextFor(services, services.publicBaseUrl(), created.case));
  });

  return router;
}
