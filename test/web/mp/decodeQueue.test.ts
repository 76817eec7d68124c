import { readdir } from 'node:fs/promises';
import sharp from 'sharp';
import { hashedSubject } from '../../../web/rateLimit';
import { DecodeQueue } from '../../../web/mp/decodeQueue';
import { MpApp, testMpConfig, type ApiAnswer } from './support/mpApp';
import { photoForm, png } from './support/images';

/** A decode queue a test can hold shut: tasks take their place (running or waiting) but decode only once it is opened. */
class HeldDecodeQueue extends DecodeQueue {
  private gate: Promise<void> | undefined;
  private openGate: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise<void>((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate();
    this.gate = undefined;
  }

  override run<T>(task: () => Promise<T>): Promise<T> {
    return super.run(async () => {
      await this.gate;
      return task();
    });
  }
}

/** A JPEG of width×height with noise in it (so it decodes like a photo, not like a flat colour). */
async function noisyJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
    .jpeg({ quality: 20 })
    .toBuffer();
}

/** Only a PNG signature and an IHDR chunk claiming width×height: what a decompression bomb's header says. */
function pngHeaderClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, Buffer.alloc(64)]);
}

async function storedPhotos(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).filter((f) => /\.(jpg|png|webp)$/.test(f));
  } catch {
    return [];
  }
}

/** Room for the test photos (≈ 240 KB each, like the 229 KB 6320×6320 JPEGs of the probe). */
const MAX_BYTES = 1024 * 1024;

const upload = (h: MpApp, token: string, data: Buffer, type = 'image/jpeg') =>
  h.request<{ photoId: string; url: string }>('POST', '/api/mp/photos', { token, form: photoForm({}, [{ data, name: 'p', type }]) });

describe('resident mini-program: photo decoding is bounded and never holds up downloads', () => {
  const queue = new HeldDecodeQueue({ concurrency: 2, maxWaiting: 10 });
  // Budgets large enough that only the queue can refuse here.
  const h = new MpApp(
    'mp_decode_queue',
    testMpConfig((c) => ({ ...c, photos: { ...c.photos, maxBytes: MAX_BYTES, pixelBudget: { perOpenid: { megapixels: 500, windowSeconds: 600 }, perIp: { megapixels: 5000, windowSeconds: 600 } } } })),
  );
  beforeAll(async () => {
    await h.start({ workers: false, decodeQueue: queue });
  });
  afterAll(async () => {
    queue.release();
    await h.stop();
  });

  it('serves a stored photo while 12 large uploads hold both decoders and 10 places, and turns the 13th away with 503 at once', async () => {
    const stored = await upload(h, await h.login('o-early'), await png('#15a'), 'image/png');
    expect(stored.status).toBe(201);
    const storedBytes = await readdir(h.mediaDir, { recursive: true });
    expect(storedBytes.filter((f) => f.endsWith('.png'))).toHaveLength(1);

    const large = await noisyJpeg(2000, 2000);
    const tokens = await Promise.all(Array.from({ length: 13 }, (_, i) => h.login(`o-burst-${i}`)));
    queue.hold();
    const settled: ApiAnswer<{ photoId: string; url: string }>[] = [];
    const burst = tokens.slice(0, 12).map((token) => upload(h, token, large).then((answer) => (settled.push(answer), answer)));
    await h.waitFor('two decoding and ten waiting', () => queue.running === 2 && queue.waiting === 10);

    // A download while every decoder is taken and the waiting list is full: served from storage, untouched.
    const download = await fetch(stored.body.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    const body = Buffer.from(await download.arrayBuffer());
    expect((await sharp(body).metadata()).width).toBe(32);
    expect(settled).toEqual([]);
    expect([queue.running, queue.waiting]).toEqual([2, 10]);

    // One request more than the queue holds is refused at once, with its pixels given back and nothing stored.
    const refused = await upload(h, tokens[12]!, large);
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'photo_queue_busy', message: expect.stringContaining('照片处理繁忙'), details: { retryAfterSeconds: 5 } } } });
    expect(refused.headers.get('retry-after')).toBe('5');
    const charged = await h.redis.get(`${h.env.QUEUE_PREFIX}:mp:pixels:openid:${hashedSubject('o-burst-12')}`);
    expect(Number(charged ?? 0)).toBe(0);
    expect(settled).toEqual([]);

    queue.release();
    const answers = await Promise.all(burst);
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(await storedPhotos(h.mediaDir)).toHaveLength(13);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('refuses a photo above maxPixels from its header alone, before it reaches a decoder', async () => {
    const token = await h.login('o-bomb');
    const before = await storedPhotos(h.mediaDir);
    queue.hold(); // were it queued, the request would hang here
    try {
      const bomb = await upload(h, token, pngHeaderClaiming(100_000, 100_000), 'image/png');
      expect(bomb).toMatchObject({
        status: 413,
        body: { error: { code: 'photo_too_many_pixels', message: expect.stringContaining('100000×100000'), details: { width: 100_000, height: 100_000, maxPixels: h.config.photos.maxPixels } } },
      });
      const side = Math.ceil(Math.sqrt(h.config.photos.maxPixels)) + 1;
      const real = await sharp({ create: { width: side, height: side, channels: 3, background: '#333' } }).jpeg({ quality: 10 }).toBuffer();
      expect(await upload(h, token, real)).toMatchObject({ status: 413, body: { error: { code: 'photo_too_many_pixels' } } });
      expect([queue.running, queue.waiting]).toEqual([0, 0]);
    } finally {
      queue.release();
    }
    expect(await storedPhotos(h.mediaDir)).toEqual(before);
  });
});

describe('resident mini-program: pixel budgets per resident and per IP', () => {
  // 4-megapixel photos: a resident may decode two per window, the one IP all the residents share five.
  const h = new MpApp(
    'mp_pixel_budget',
    testMpConfig((c) => ({
      ...c,
      photos: { ...c.photos, maxBytes: MAX_BYTES, maxPixels: 8_000_000, pixelBudget: { perOpenid: { megapixels: 10, windowSeconds: 600 }, perIp: { megapixels: 22, windowSeconds: 600 } } },
    })),
  );
  let photo: Buffer;
  beforeAll(async () => {
    await h.start({ workers: false });
    photo = await noisyJpeg(2000, 2000);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers 429 photo_budget_exceeded with Retry-After once a resident, then the IP, has used its megapixels', async () => {
    const [a, b, c] = [await h.login('o-a'), await h.login('o-b'), await h.login('o-c')];
    expect((await upload(h, a, photo)).status).toBe(201);
    expect((await upload(h, a, photo)).status).toBe(201);
    const third = await upload(h, a, photo);
    expect(third).toMatchObject({
      status: 429,
      body: { error: { code: 'photo_budget_exceeded', message: expect.stringContaining('上传的照片太多'), details: { scope: 'resident', retryAfterSeconds: expect.any(Number) } } },
    });
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);

    // The same refusal in a report with photos: no case, no file.
    const before = await storedPhotos(h.mediaDir);
    const report = await h.request('POST', '/api/mp/cases', {
      token: a,
      form: photoForm({ text: '路灯坏了好几天了', latitude: '39.93', longitude: '116.41', address: '文明街道农机路 8 号', communityId: 'nongji' }, [{ data: photo, name: 'x.jpg' }]),
    });
    expect(report).toMatchObject({ status: 429, body: { error: { code: 'photo_budget_exceeded' } } });
    expect((await h.request('GET', '/api/mp/cases', { token: a })).body).toMatchObject({ total: 0 });
    expect(await storedPhotos(h.mediaDir)).toEqual(before);

    // Another resident behind the same address has their own budget, until the address's is spent too (5 × 4 MP ≤ 22 < 6 × 4).
    expect((await upload(h, b, photo)).status).toBe(201);
    expect((await upload(h, b, photo)).status).toBe(201);
    expect((await upload(h, c, photo)).status).toBe(201);
    expect(await upload(h, c, photo)).toMatchObject({ status: 429, body: { error: { code: 'photo_budget_exceeded', details: { scope: 'ip' } } } });
    expect(await storedPhotos(h.mediaDir)).toHaveLength(5);
  });
});
