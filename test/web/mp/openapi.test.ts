import type Router from '@koa/router';
import { MP_ERRORS } from '../../../web/mp/errors';
import { buildOpenApiDocument, OPERATIONS, requestComponent, jsonSchemaOf } from '../../../web/mp/openapi';
import { requestSchemas, type RequestSchemas } from '../../../web/mp/schemas';
import type { CaseDetailView } from '../../../web/mp/schemas';
import { GRID_WORKER, MpApp } from './support/mpApp';
import { photoForm, png } from './support/images';
import { checkSchema } from './support/schemaCheck';

type Json = Record<string, unknown>;
type Doc = { openapi: string; info: Json; paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json>; securitySchemes: Json } };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
  return [];
}

/** koa-router paths in OpenAPI spelling: /cases/:id → /cases/{id}, /media/*key → /media/{key}. */
function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}').replace(/\*(\w+)/g, '{$1}');
}

/** The document at /api/mp/openapi.json: well-formed, complete, and in step with the routes and answers. */
describe('resident mini-program: OpenAPI document', () => {
  const h = new MpApp('mp_openapi');
  let doc: Doc;
  let token: string;

  beforeAll(async () => {
    await h.start({ workers: false });
    const served = await h.request<Doc>('GET', '/api/mp/openapi.json');
    expect(served.status).toBe(200);
    doc = served.body;
    token = await h.login('o-docs');
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Checks a real answer against the response the document promises for its status. */
  function expectDocumented(path: string, method: string, answer: { status: number; body: unknown }): void {
    const operation = doc.paths[path]?.[method];
    expect(operation).toBeDefined();
    const response = (operation!.responses as Record<string, Json>)[String(answer.status)];
    if (!response) throw new Error(`${method.toUpperCase()} ${path} answered ${answer.status}, which the document does not list`);
    const schema = ((response.content as Record<string, Json> | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
    if (!schema) return;
    expect(checkSchema(answer.body, schema, doc as unknown as Json)).toEqual([]);
  }

  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\/mp\//);
      for (const [method, operation] of Object.entries(item)) {
        expect(METHODS).toContain(method);
        expect(typeof operation.operationId).toBe('string');
        expect(operationIds.has(operation.operationId as string)).toBe(false);
        operationIds.add(operation.operationId as string);
        const responses = operation.responses as Record<string, Json>;
        expect(Object.keys(responses).length).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(typeof response.description).toBe('string');
        }
        const declared = ((operation.parameters as Json[] | undefined) ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort()).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
        for (const requirement of (operation.security as Json[] | undefined) ?? []) {
          for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(scheme);
        }
      }
    }
    for (const ref of refsIn(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty(ref.replace('#/components/schemas/', ''));
    }
  });

  it('serves exactly the document generated from the zod request schemas (they cannot drift)', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(h.config))));
    const requests = requestSchemas(h.config);
    for (const name of Object.keys(requests) as (keyof RequestSchemas)[]) {
      if (name === 'listQuery') continue;
      expect(doc.components.schemas[requestComponent(name)]).toEqual(JSON.parse(JSON.stringify(jsonSchemaOf(requests[name], 'input'))));
    }
  });

  it('documents every route the routers serve, and serves every documented route', () => {
    const routers = (h.module.routers?.() ?? []) as Router[];
    const served = new Set<string>();
    for (const router of routers) {
      for (const layer of router.stack) {
        const path = String(layer.path);
        if (path.includes('{*rest}')) continue; // the JSON 404 catch-all
        for (const method of layer.methods.filter((m) => m !== 'HEAD')) served.add(`${method.toLowerCase()} ${openApiPath(path)}`);
      }
    }
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)));
    expect([...served].sort()).toEqual([...documented].sort());
    expect(OPERATIONS).toHaveLength(documented.size);
  });

  it('lists only catalogued error codes, each under its own status, with the Chinese message', () => {
    for (const item of Object.values(doc.paths)) {
      for (const operation of Object.values(item)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
          if (Number(status) < 400) continue;
          const codes = [...String(response.description).matchAll(/`(\w+)`/g)].map((m) => m[1]!);
          expect(codes.length).toBeGreaterThan(0);
          for (const code of codes) expect(MP_ERRORS[code as keyof typeof MP_ERRORS]).toMatchObject({ status: Number(status) });
        }
      }
    }
  });

  it('requires, in the live routes, exactly the fields the document marks required', async () => {
    const cases: [string, string, string][] = [
      ['post', '/api/mp/session', 'LoginRequest'],
      ['post', '/api/mp/cases/preview', 'PreviewRequest'],
      ['post', '/api/mp/cases', 'ReportRequest'],
    ];
    for (const [method, path, component] of cases) {
      const answer = await h.request<{ error: { details: { issues: { field: string }[] } } }>(method.toUpperCase(), path, { token, json: {} });
      expect(answer.status).toBe(400);
      expectDocumented(path, method, answer);
      const fields = answer.body.error.details.issues.map((i) => i.field).sort();
      expect(fields).toEqual([...((doc.components.schemas[component]!.required as string[]) ?? [])].sort());
    }
  });

  it('answers, on every route, bodies that the document describes', async () => {
    // The checker is not vacuous: a body the document does not describe fails.
    const root = doc as unknown as Json;
    expect(checkSchema({ token: 1, tokenType: 'Bearer' }, { $ref: '#/components/schemas/Session' }, root)).toHaveLength(2);
    expect(checkSchema({ token: 't', tokenType: 'Bearer', expiresIn: 60, openid: 'leak' }, { $ref: '#/components/schemas/Session' }, root)).toEqual(['$: openid is not in the documented schema']);
    expectDocumented('/api/mp/config', 'get', await h.request('GET', '/api/mp/config'));
    expectDocumented('/api/mp/session', 'post', await h.request('POST', '/api/mp/session', { json: { code: h.wechat.issueLoginCode('o-docs-2') } }));
    expectDocumented('/api/mp/cases/preview', 'post', await h.request('POST', '/api/mp/cases/preview', { token, json: { text: '路灯不亮' } }));
    const photo = await h.request('POST', '/api/mp/photos', { token, form: photoForm({}, [{ data: await png(), name: 'p.png', type: 'image/png' }]) });
    expectDocumented('/api/mp/photos', 'post', photo);
    const created = await h.request<CaseDetailView>('POST', '/api/mp/cases', {
      token,
      json: { text: '小区门口的路灯坏了好几天', latitude: 39.9, longitude: 116.3, address: '农机社区 1 号楼', communityId: 'nongji', contactPhone: '010-12345678' },
    });
    expectDocumented('/api/mp/cases', 'post', created);
    expectDocumented('/api/mp/cases', 'get', await h.request('GET', '/api/mp/cases', { token }));
    await h.act(created.body.id, GRID_WORKER, { type: 'accept' });
    await h.act(created.body.id, GRID_WORKER, { type: 'feedback', text: '已修复' });
    await h.act(created.body.id, GRID_WORKER, { type: 'verify', outcome: 'solved' });
    expectDocumented('/api/mp/cases/{id}', 'get', await h.request('GET', `/api/mp/cases/${created.body.id}`, { token }));
    expectDocumented('/api/mp/cases/{id}/rating', 'post', await h.request('POST', `/api/mp/cases/${created.body.id}/rating`, { token, json: { value: 'satisfied' } }));
    expectDocumented('/api/mp/cases/{id}/rating', 'post', await h.request('POST', `/api/mp/cases/${created.body.id}/rating`, { token, json: { value: 'satisfied' } }));
    expectDocumented('/api/mp/cases/{id}/subscriptions', 'post', await h.request('POST', `/api/mp/cases/${created.body.id}/subscriptions`, { token, json: { templateIds: ['tmpl-closed'] } }));
    expectDocumented('/api/mp/cases/{id}', 'get', await h.request('GET', '/api/mp/cases/nope', { token }));
    expectDocumented('/api/mp/cases', 'get', await h.request('GET', '/api/mp/cases'));
    expectDocumented('/api/mp/session', 'delete', await h.request('DELETE', '/api/mp/session', { token }));
  });
});
