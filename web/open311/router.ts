import Router from '@koa/router';
import type { Context } from 'koa';
import { receiveOpen311Request, type Open311Deps } from '../../commands/open311Requests';
import type { OrgDirectory } from '../../commands/deps';
import type { Open311Config, Open311Service } from '../../config/open311';
import type { Logger } from '../../infra/logger';
import { COMMUNITY_DEPT_CODE, activeLead, type Case } from '../../src/cases';
import type { Open311Client, Open311Repository, Open311RequestRecord } from '../../store/open311Repository';
import type { RateLimiter } from '../rateLimit';
import { Open311Error, open311Errors } from './errors';
import { attributesOf, readForm } from './form';
import { sendOpen311, splitFormat, type Open311Format } from './format';
import { DEFINITION_WRAP, presentRequest, presentServiceDefinition, presentService, URGENCY_ATTRIBUTE, type RequestOfCase } from './presenter';
import { issuesOf, listRequestsSchema, postRequestSchema, urgencyAttribute } from './schemas';

/** A request that claimed its id but never got a case for this long was left by a crash; a repeat takes it over. */
export const OPEN311_STALE_CLAIM_MS = 2 * 60_000;

export interface Open311Services {
  config: Open311Config;
  repository: Pick<Open311Repository, 'clientForKey' | 'byNumbers' | 'filedBetween'>;
  deps: Open311Deps;
  org: Pick<OrgDirectory, 'department' | 'community'>;
  limiter: RateLimiter;
  logger: Logger;
}

const DAY_MS = 24 * 3600 * 1000;

function jurisdictionOf(config: Open311Config, id: string | undefined): { id: string; streetId: string } {
  if (id === undefined) {
    if (config.jurisdictions.length === 1) return config.jurisdictions[0]!;
    throw new Open311Error(400, `jurisdiction_id is required: one of ${config.jurisdictions.map((j) => j.id).join(', ')}`);
  }
  const found = config.jurisdictions.find((j) => j.id === id);
  if (!found) throw new Open311Error(404, `jurisdiction_id "${id}" is not served here: use one of ${config.jurisdictions.map((j) => j.id).join(', ')}`);
  return found;
}

function queryString(ctx: Context, key: string): string | undefined {
  const value = ctx.query[key];
  return Array.isArray(value) ? value[0] : value;
}

async function limit(ctx: Context, services: Open311Services, bucket: string, subject: string, window: { limit: number; windowSeconds: number }): Promise<void> {
  const decision = await services.limiter.hit(bucket, subject, window);
  if (decision.allowed) return;
  ctx.set('Retry-After', String(decision.retryAfterSeconds));
  throw new Open311Error(429, `too many requests: retry after ${decision.retryAfterSeconds} s`);
}

async function agencyOf(services: Open311Services, c: Case): Promise<string | null> {
  const lead = activeLead(c);
  if (!lead) return null;
  if (lead.deptCode === COMMUNITY_DEPT_CODE && c.communityId !== undefined) return (await services.org.community(c.communityId))?.name ?? null;
  return (await services.org.department(c.districtId, lead.deptCode))?.name ?? null;
}

/** The cases behind request records; a record whose case is missing is left out (and logged). */
async function withCases(services: Open311Services, records: Open311RequestRecord[]): Promise<RequestOfCase[]> {
  const cases = services.deps.lifecycle.cases;
  const resolved = await Promise.all(
    records.map(async (record): Promise<RequestOfCase | null> => {
      const own = record.caseId === undefined ? null : await cases.findById(record.caseId);
      if (!own) {
        services.logger.warn({ request: record._id }, 'open311 request points at a missing case');
        return null;
      }
      const working = (own.mergedInto === undefined ? null : await cases.findById(own.mergedInto)) ?? own;
      return { record, own, working, service: services.config.services.find((s) => s.code === record.serviceCode), agency: await agencyOf(services, working) };
    }),
  );
  return resolved.filter((r): r is RequestOfCase => r !== null);
}

function sendRequests(ctx: Context, format: Open311Format, requests: RequestOfCase[]): void {
  sendOpen311(ctx, format, { root: 'service_requests', item: 'request' }, requests.map(presentRequest));
}

async function authenticate(services: Open311Services, apiKey: string | undefined): Promise<Open311Client> {
  if (apiKey === undefined || apiKey === '') throw new Open311Error(403, 'api_key is required to file a request: ask the operator for a key');
  const client = await services.repository.clientForKey(apiKey);
  if (!client) throw new Open311Error(403, 'api_key is not valid or was revoked: ask the operator for a new key');
  return client;
}

function serviceFor(services: Open311Services, code: string): Open311Service {
  const service = services.config.services.find((s) => s.code === code);
  if (!service) throw new Open311Error(404, `service_code "${code}" is not offered: GET services.json lists the codes`);
  return service;
}

/** Open311 GeoReport v2 at /open311/v2 (docs/open311.md). */
export function open311Router(services: Open311Services): Router {
  const router = new Router({ prefix: '/open311/v2' });
  const { config } = services;
  router.use(open311Errors(services.logger));
  const reads = async (ctx: Context, next: () => Promise<unknown>) => {
    await limit(ctx, services, 'open311-read:ip', ctx.ip, config.limits.readPerIp);
    ctx.set('Cache-Control', 'no-store');
    await next();
  };

  for (const format of ['json', 'xml'] as const) {
    router.get(`/services.${format}`, reads, (ctx) => {
      jurisdictionOf(config, queryString(ctx, 'jurisdiction_id'));
      sendOpen311(ctx, format, { root: 'services', item: 'service' }, config.services.map(presentService));
    });

    router.post(`/requests.${format}`, async (ctx) => {
      const form = await readForm(ctx);
      const client = await authenticate(services, form.api_key);
      await limit(ctx, services, 'open311-post:client', client.clientId, config.limits.postPerKey);
      const parsed = postRequestSchema.safeParse(form);
      if (!parsed.success) throw new Open311Error(400, issuesOf(parsed.error));
      const r = parsed.data;
      const jurisdiction = jurisdictionOf(config, r.jurisdiction_id);
      const service = serviceFor(services, r.service_code);
      const urgency = urgencyAttribute(attributesOf(form)[URGENCY_ATTRIBUTE]);
      if (urgency === 'invalid') throw new Open311Error(400, `attribute[${URGENCY_ATTRIBUTE}] must be one of emergency, key, daily`);
      const description = r.description ?? `${service.name}${r.address_string ? `：${r.address_string}` : ''}`;
      const contact = {
        ...(r.email !== undefined && { email: r.email }),
        ...(r.first_name !== undefined && { firstName: r.first_name }),
        ...(r.last_name !== undefined && { lastName: r.last_name }),
        ...(r.phone !== undefined && { phone: r.phone }),
        ...(r.device_id !== undefined && { deviceId: r.device_id }),
        ...(r.account_id !== undefined && { accountId: r.account_id }),
      };
      const receipt = await receiveOpen311Request(services.deps, {
        clientId: client.clientId,
        clientName: client.name,
        serviceCode: service.code,
        category: service.category,
        streetId: jurisdiction.streetId,
        description,
        contact,
        ...(r.lat !== undefined && r.long !== undefined && { lat: r.lat, lng: r.long }),
        ...(r.address_string !== undefined && { addressString: r.address_string }),
        ...(r.media_url !== undefined && { mediaUrl: r.media_url }),
        ...(urgency !== undefined && { urgency }),
      });
      if (receipt.kind === 'in_progress') {
        ctx.set('Retry-After', '2');
        throw new Open311Error(503, 'the same request is still being filed: retry in a few seconds');
      }
      if (receipt.kind === 'created') services.logger.info({ client: client.clientId, number: receipt.number, outcome: receipt.outcome }, 'open311 request filed');
      ctx.status = receipt.kind === 'created' ? 201 : 200;
      sendOpen311(ctx, format, { root: 'service_requests', item: 'request' }, [
        { service_request_id: receipt.number, service_notice: null, account_id: r.account_id ?? null },
      ]);
    });

    router.get(`/requests.${format}`, reads, async (ctx) => {
      const parsed = listRequestsSchema.safeParse(Object.fromEntries(['jurisdiction_id', 'service_request_id', 'service_code', 'start_date', 'end_date', 'status'].map((k) => [k, queryString(ctx, k)])));
      if (!parsed.success) throw new Open311Error(400, issuesOf(parsed.error));
      const q = parsed.data;
      const jurisdiction = jurisdictionOf(config, q.jurisdiction_id);
      const districtId = services.deps.districtId;
      let records: Open311RequestRecord[];
      if (q.service_request_id !== undefined) {
        // The spec: with ids given, the other filters are ignored.
        records = await services.repository.byNumbers(districtId, q.service_request_id);
      } else {
        const to = q.end_date ?? new Date();
        const from = q.start_date ?? new Date(to.getTime() - config.defaultDays * DAY_MS);
        records = await services.repository.filedBetween(districtId, from, to, config.maxRequests, q.service_code);
      }
      const found = (await withCases(services, records)).filter((r) => r.own.streetId === jurisdiction.streetId);
      const statuses = q.service_request_id === undefined ? q.status : undefined;
      sendRequests(ctx, format, statuses === undefined ? found : found.filter((r) => statuses.includes(presentRequest(r).status as string)));
    });
  }

  router.get('/services/:file', reads, (ctx) => {
    const file = splitFormat(ctx.params.file ?? '');
    if (!file) throw new Open311Error(404, 'use services/{service_code}.json or .xml');
    jurisdictionOf(config, queryString(ctx, 'jurisdiction_id'));
    sendOpen311(ctx, file.format, { root: 'service_definition' }, presentServiceDefinition(serviceFor(services, file.name)), DEFINITION_WRAP);
  });

  router.get('/requests/:file', reads, async (ctx) => {
    const file = splitFormat(ctx.params.file ?? '');
    if (!file) throw new Open311Error(404, 'use requests/{service_request_id}.json or .xml');
    const jurisdiction = jurisdictionOf(config, queryString(ctx, 'jurisdiction_id'));
    const found = (await withCases(services, await services.repository.byNumbers(services.deps.districtId, [file.name]))).filter((r) => r.own.streetId === jurisdiction.streetId);
    if (found.length === 0) throw new Open311Error(404, `service_request_id "${file.name}" was not filed here`);
    sendRequests(ctx, file.format, found);
  });

  return router;
}
