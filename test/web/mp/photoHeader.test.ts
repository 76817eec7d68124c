import sharp from 'sharp';
import { loadMpConfig, parseMpConfig } from '../../../config/mp';
import { DecodeQueue, DecodeQueueFullError } from '../../../web/mp/decodeQueue';
import { readPhotoSize } from '../../../web/mp/photoHeader';
import { sniffPhotoType } from '../../../web/mp/photos';

const base = () => sharp({ create: { width: 123, height: 45, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } });

/** The size read from the header alone agrees with the decoder's, for every format and variant residents send. */
describe('photo size from the header', () => {
  const variants: [string, () => Promise<Buffer>][] = [
    ['baseline JPEG behind an EXIF segment', () => base().withExif({ IFD0: { Make: 'Cam', Copyright: 'x'.repeat(3000) } }).jpeg().toBuffer()],
    ['progressive JPEG', () => base().jpeg({ progressive: true }).toBuffer()],
    ['PNG', () => base().png().toBuffer()],
    ['lossy WebP (VP8)', () => base().removeAlpha().webp({ quality: 50 }).toBuffer()],
    ['lossless WebP (VP8L)', () => base().webp({ lossless: true }).toBuffer()],
    ['WebP with alpha and EXIF (VP8X)', () => base().withExif({ IFD0: { Make: 'Cam' } }).webp({ quality: 50 }).toBuffer()],
  ];

  it.each(variants)('reads %s', async (_name, make) => {
    const data = await make();
    const type = sniffPhotoType(data);
    expect(type).toBeDefined();
    const meta = await sharp(data).metadata();
    expect(readPhotoSize(data, type!)).toEqual({ width: meta.width, height: meta.height });
    expect(meta).toMatchObject({ width: 123, height: 45 });
  });

  it('answers undefined for a header cut short or with no frame before the scan data', async () => {
    const jpeg = await base().jpeg().toBuffer();
    expect(readPhotoSize(jpeg.subarray(0, 20), 'image/jpeg')).toBeUndefined();
    expect(readPhotoSize(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 0, 0, 0, 0, 0, 0]), 'image/jpeg')).toBeUndefined();
    expect(readPhotoSize(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]), 'image/jpeg')).toBeUndefined();
    expect(readPhotoSize((await base().png().toBuffer()).subarray(0, 20), 'image/png')).toBeUndefined();
    expect(readPhotoSize(Buffer.from('RIFF\x10\x00\x00\x00WEBPXXXX' + '\0'.repeat(20), 'latin1'), 'image/webp')).toBeUndefined();
  });
});

describe('photo decode queue', () => {
  it('runs at most `concurrency` at once, starts waiters in arrival order and refuses one more than `maxWaiting`', async () => {
    const queue = new DecodeQueue({ concurrency: 2, maxWaiting: 2 });
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const runs = [0, 1, 2, 3].map((i) => queue.run(() => new Promise<number>((resolve) => (started.push(i), finish.push(() => resolve(i))))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect([queue.running, queue.waiting]).toEqual([2, 2]);
    await expect(queue.run(async () => 'never')).rejects.toBeInstanceOf(DecodeQueueFullError);

    finish[1]!();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const i of [0, 2]) finish[i]!();
    await new Promise((resolve) => setImmediate(resolve));
    finish[3]!();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('frees the place of a task that failed', async () => {
    const queue = new DecodeQueue({ concurrency: 1, maxWaiting: 0 });
    await expect(queue.run(async () => Promise.reject(new Error('bad photo')))).rejects.toThrow('bad photo');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});

describe('pixel budget configuration', () => {
  it('refuses a budget that could not pass even one photo of maxPixels, naming the key', () => {
    const config = loadMpConfig();
    const raw = { ...config, photos: { ...config.photos, maxPixels: 40_000_000, pixelBudget: { ...config.photos.pixelBudget, perIp: { megapixels: 30, windowSeconds: 600 } } } };
    expect(() => parseMpConfig(raw)).toThrow(/photos\.pixelBudget\.perIp\.megapixels/);
  });
});
