import { readdir } from 'node:fs/promises';
import sharp from 'sharp';
import type { CaseDetailView } from '../../../../web/mp/schemas';
import { MpApp } from '../support/mpApp';
import { jpegWithExif, photoForm, png } from '../support/images';

const FIELDS = { text: '马路上井盖丢了，很危险', latitude: '39.93', longitude: '116.41', address: '文明街道农机路 8 号', communityId: 'nongji' };

async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).filter((f) => /\.(jpg|png|webp)$/.test(f));
  } catch {
    return [];
  }
}

/** Photos: type from the bytes, size and count limits, separate uploads for wx.uploadFile. */
describe('resident mini-program: photo uploads', () => {
  const h = new MpApp('mp_uploads');
  let token: string;
  beforeAll(async () => {
    await h.start({ workers: false });
    token = await h.login('o-uploader');
  });
  afterAll(async () => {
    await h.stop();
  });

  it('refuses an oversized photo with 413 and stores nothing', async () => {
    const big = Buffer.concat([await jpegWithExif(), Buffer.alloc(h.config.photos.maxBytes)]);
    const answer = await h.request('POST', '/api/mp/cases', { token, form: photoForm(FIELDS, [{ data: big, name: 'big.jpg' }]) });
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'photo_too_large', message: expect.stringContaining('MB'), details: { maxBytes: h.config.photos.maxBytes } } } });
    expect((await h.request('GET', '/api/mp/cases', { token })).body).toMatchObject({ total: 0 });
    expect(await filesUnder(h.mediaDir)).toEqual([]);
  });

  it('refuses a file that is not an image whatever its name and declared type says, with 415', async () => {
    const fake = Buffer.from('#!/bin/sh\necho "not a photo"\n');
    const answer = await h.request('POST', '/api/mp/cases', { token, form: photoForm(FIELDS, [{ data: fake, name: 'photo.jpg', type: 'image/jpeg' }]) });
    expect(answer).toMatchObject({ status: 415, body: { error: { code: 'unsupported_photo_type', message: '只能上传 JPG、PNG 或 WebP 格式的照片' } } });
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    expect((await h.request('POST', '/api/mp/photos', { token, form: photoForm({}, [{ data: gif, name: 'a.png', type: 'image/png' }]) })).status).toBe(415);
  });

  it('refuses a file that starts like a JPEG but does not decode, with 400 invalid_photo', async () => {
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]);
    expect(await h.request('POST', '/api/mp/cases', { token, form: photoForm(FIELDS, [{ data: broken, name: 'x.jpg' }]) })).toMatchObject({ status: 400, body: { error: { code: 'invalid_photo' } } });
  });

  it('refuses more photos than configured', async () => {
    const photo = await png();
    const four = Array.from({ length: h.config.photos.maxCount + 1 }, (_, i) => ({ data: photo, name: `p${i}.png`, type: 'image/png' }));
    expect(await h.request('POST', '/api/mp/cases', { token, form: photoForm(FIELDS, four) })).toMatchObject({
      status: 400,
      body: { error: { code: 'too_many_photos', message: `最多上传 ${h.config.photos.maxCount} 张照片` } },
    });
    expect((await h.request('GET', '/api/mp/cases', { token })).body).toMatchObject({ total: 0 });
  });

  it('takes photos uploaded one by one (wx.uploadFile) and a JSON report naming their photoIds, each id once and only by its uploader', async () => {
    const webp = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#888' } }).webp().toBuffer();
    const ids: string[] = [];
    for (const photo of [{ data: await jpegWithExif(), name: 'a.jpg' }, { data: webp, name: 'b.bin', type: 'application/octet-stream' }]) {
      const uploaded = await h.request<{ photoId: string; url: string }>('POST', '/api/mp/photos', { token, form: photoForm({}, [photo]) });
      expect(uploaded.status).toBe(201);
      expect((await fetch(uploaded.body.url)).status).toBe(200);
      ids.push(uploaded.body.photoId);
    }

    const stranger = await h.login('o-stranger');
    const stolen = await h.request('POST', '/api/mp/cases', { token: stranger, json: { ...FIELDS, latitude: 39.93, longitude: 116.41, photoIds: [ids[0]] } });
    expect(stolen).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: '照片已过期或不存在，请重新上传' } } });

    const report = await h.request<CaseDetailView>('POST', '/api/mp/cases', { token, json: { ...FIELDS, latitude: 39.93, longitude: 116.41, photoIds: ids } });
    expect(report.status).toBe(201);
    expect(report.body.photos).toHaveLength(2);
    expect((await h.case(report.body.id)).media).toEqual([
      { kind: 'image', ref: expect.stringMatching(/\.jpg$/) },
      { kind: 'image', ref: expect.stringMatching(/\.webp$/) },
    ]);

    const reused = await h.request('POST', '/api/mp/cases', { token, json: { ...FIELDS, latitude: 39.8, longitude: 116.2, photoIds: ids[1] } });
    expect(reused).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('refuses a second file on the single-photo upload', async () => {
    const photo = await png();
    const two = photoForm({}, [{ data: photo, name: 'a.png', type: 'image/png' }, { data: photo, name: 'b.png', type: 'image/png' }]);
    expect(await h.request('POST', '/api/mp/photos', { token, form: two })).toMatchObject({ status: 400, body: { error: { code: 'too_many_photos' } } });
  });
});

describe('resident mini-program: submitting the same report twice', () => {
  const h = new MpApp('mp_idempotency');
  beforeAll(async () => {
    await h.start({ workers: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers the first case again for a repeated Idempotency-Key, and refuses a malformed key', async () => {
    const token = await h.login('o-flaky-network');
    const body = { ...FIELDS, latitude: 39.93, longitude: 116.41 };
    const headers = { 'idempotency-key': 'report-7f3a9c21' };
    const first = await h.request<CaseDetailView>('POST', '/api/mp/cases', { token, json: body, headers });
    expect(first.status).toBe(201);
    const again = await h.request<CaseDetailView>('POST', '/api/mp/cases', { token, json: body, headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await h.request('GET', '/api/mp/cases', { token })).body).toMatchObject({ total: 1 });

    // Another resident using the same key gets their own case.
    const other = await h.request<CaseDetailView>('POST', '/api/mp/cases', { token: await h.login('o-other'), json: { ...body, latitude: 38.5 }, headers });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);

    expect(await h.request('POST', '/api/mp/cases', { token, json: body, headers: { 'idempotency-key': 'x' } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    // A refused submission does not burn its key.
    const keyed = { 'idempotency-key': 'report-retry-after-fix' };
    expect((await h.request('POST', '/api/mp/cases', { token, json: { ...body, text: '短' }, headers: keyed })).status).toBe(400);
    expect((await h.request('POST', '/api/mp/cases', { token, json: { ...body, latitude: 37.1 }, headers: keyed })).status).toBe(201);
  });
});
