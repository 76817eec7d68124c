import { encodedForm, requestWithHost, statusBeforeBodyEnds } from '../../../support/rawHttp';
import { MpApp } from '../support/mpApp';
import { jpegWithExif, photoForm } from '../support/images';

const TEN_GIB = String(10 * 1024 ** 3);

/** Hostile requests found by an outside probe: each gets a 4xx with its code, at once. */
describe('resident mini-program: hostile requests', () => {
  const h = new MpApp('mp_hostile');
  beforeAll(async () => {
    await h.start({ workers: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers 413 at once to JSON and multipart bodies declaring 10 GiB, without waiting for them', async () => {
    const token = await h.login('o-declared');
    const auth = { authorization: `Bearer ${token}`, 'content-length': TEN_GIB };
    const json = await statusBeforeBodyEnds(h.url, { method: 'POST', path: '/api/mp/cases', headers: { ...auth, 'content-type': 'application/json' } }, '{}');
    expect(json).toBe(413);
    const multipart = await statusBeforeBodyEnds(
      h.url,
      { method: 'POST', path: '/api/mp/cases', headers: { ...auth, 'content-type': 'multipart/form-data; boundary=x' } },
      '--',
    );
    expect(multipart).toBe(413);
    const login = await statusBeforeBodyEnds(h.url, { method: 'POST', path: '/api/mp/session', headers: { 'content-type': 'application/json', 'content-length': TEN_GIB } }, '{}');
    expect(login).toBe(413);
  });

  it('answers 404 not_found (not 500) to a media link with broken percent-encoding', async () => {
    for (const path of ['/api/mp/media/%E0%A4%A', '/api/mp/media/photos/%ZZ.jpg?expires=1&signature=x']) {
      expect(await h.request('GET', path)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
  });

  it('builds photo links from the configured base URL, never from a forged Host or X-Forwarded-Host', async () => {
    const token = await h.login('o-host');
    const { body, contentType } = await encodedForm(photoForm({}, [{ data: await jpegWithExif(), name: 'a.jpg' }]));
    const headers = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', authorization: `Bearer ${token}`, 'content-type': contentType };
    const answer = await requestWithHost(h.url, { method: 'POST', path: '/api/mp/photos', headers }, body);
    expect(answer.status).toBe(201);
    const url = String(answer.body.url);
    expect(url.startsWith(`${h.url}/api/mp/media/`)).toBe(true);
    expect(url).not.toContain('evil.example');
    expect((await fetch(url)).status).toBe(200);
  });
});
