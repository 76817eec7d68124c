import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WecomApiError } from '../../../bots/wecom/apiErrors';
import { fetchMediaToStorage } from '../../../bots/wecom/media';
import { LocalDiskMediaStorage, MediaKeyError } from '../../../bots/wecom/mediaStorage';
import { OutboundHarness } from './outbound/support/harness';

describe('media upload and download into our own storage', () => {
  const h = new OutboundHarness('wecom_media');
  const dir = mkdtempSync(join(tmpdir(), 'whistlebot-media-'));
  const storage = new LocalDiskMediaStorage(dir);

  beforeAll(() => h.start());
  afterAll(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a file as multipart "media" and gets a media_id back', async () => {
    const client = h.client();
    const data = Buffer.from('%PDF-1.4 weekly report');
    const uploaded = await client.uploadMedia('file', { data, filename: '周报.pdf', contentType: 'application/pdf' });
    expect(uploaded).toMatchObject({ type: 'file', mediaId: expect.stringMatching(/\S/) });
    expect(uploaded.createdAt).toBeGreaterThan(1_600_000_000);

    const stored = h.fake.media(uploaded.mediaId);
    expect(stored?.data.equals(data)).toBe(true);
    expect(stored).toMatchObject({ filename: '周报.pdf', contentType: 'application/pdf', type: 'file' });
    const call = h.fake.callLog('/cgi-bin/media/upload')[0];
    expect(call?.query).toMatchObject({ type: 'file' });
    expect(call?.body).toEqual({ parts: [{ name: 'media', filename: '周报.pdf', contentType: 'application/pdf', size: data.length }] });
  });

  it("fetches a grid member's photo with media/get into local storage", async () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('jpeg body '.repeat(100))]);
    const mediaId = h.fake.putMedia({ data: photo, contentType: 'image/jpeg', filename: 'scene.jpg' });

    const stored = await fetchMediaToStorage(h.client(), storage, mediaId);
    expect(stored).toMatchObject({ contentType: 'image/jpeg', filename: 'scene.jpg', size: photo.length });
    expect(stored.key).toMatch(/^wecom\/.+\.jpg$/);
    expect(readFileSync(join(dir, stored.key)).equals(photo)).toBe(true);
    expect((await storage.get(stored.key))?.meta).toEqual({ contentType: 'image/jpeg', filename: 'scene.jpg' });
    expect(h.fake.callLog('/cgi-bin/media/get')[0]?.query).toMatchObject({ media_id: mediaId });
  });

  it('an unknown or expired media id is a WecomApiError 40007', async () => {
    const error = await fetchMediaToStorage(h.client(), storage, 'no-such-media').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).toMatchObject({ errcode: 40007, path: '/cgi-bin/media/get' });
  });

  it('storage keys cannot escape MEDIA_DIR', async () => {
    await expect(storage.put('../evil', Buffer.from('x'), { contentType: 'text/plain' })).rejects.toBeInstanceOf(MediaKeyError);
    expect(await storage.get('wecom/missing.jpg')).toBeUndefined();
    await expect(storage.open('../evil')).rejects.toBeInstanceOf(MediaKeyError);
  });

  it('opens a stored file as a stream with its size and type, and answers undefined for a missing one', async () => {
    const data = Buffer.from('stored photo bytes '.repeat(5000));
    await storage.put('mp/2026-12/streamed.jpg', data, { contentType: 'image/jpeg' });
    const opened = await storage.open('mp/2026-12/streamed.jpg');
    expect(opened).toMatchObject({ size: data.length, meta: { contentType: 'image/jpeg' } });
    const chunks: Buffer[] = [];
    for await (const chunk of opened!.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(await storage.open('mp/2026-12/missing.jpg')).toBeUndefined();
  });
});
