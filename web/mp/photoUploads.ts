import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../infra/redis';
import type { MediaStorage } from '../../bots/wecom/mediaStorage';
import { DecodeQueueFullError, type DecodeQueue } from './decodeQueue';
import { mpError, mpRetryLater } from './errors';
import { readPhotoSize } from './photoHeader';
import { cleanPhoto, photoKey, sniffPhotoType, type CleanPhoto } from './photos';
import type { PixelBudget } from './pixelBudget';

/** Retry-After of a refusal because every decoder is busy and the waiting list is full. */
export const DECODE_BUSY_RETRY_SECONDS = 5;

/** Who sends the photos: the resident and the address they come from, each with a pixel budget. */
export interface PhotoSender {
  openid: string;
  ip: string;
}

/** How long a photo uploaded on its own (wx.uploadFile) waits for the report that uses it. */
export const UPLOAD_TTL_SECONDS = 3600;

/**
 * Cleans and stores resident photos. A photo uploaded on its own gets a photoId, kept in Redis for
 * an hour and usable once, by the resident who uploaded it, in one report.
 */
export class PhotoUploads {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly media: MediaStorage,
    private readonly maxPixels: number,
    private readonly queue: DecodeQueue,
    private readonly budget: PixelBudget,
  ) {}

  /**
   * Sniffs and re-encodes one request's photos without metadata, refusing what is not a decodable
   * JPEG, PNG or WebP. Before any pixel is decoded: each photo's size is read from its header and one
   * above `maxPixels` refused (413), the request's pixels are charged to the sender's budgets (429
   * when either is spent), and the request waits for one of the few decoders — or, when too many
   * wait already, is refused (503) with its charge given back. Stores nothing.
   */
  async cleanAll(files: Buffer[], sender: PhotoSender): Promise<CleanPhoto[]> {
    if (files.length === 0) return [];
    let pixels = 0;
    for (const data of files) pixels += this.pixelsOf(data);
    const decision = await this.budget.charge(sender, pixels);
    if (!decision.allowed) throw mpRetryLater('photo_budget_exceeded', decision.retryAfterSeconds, { scope: decision.scope });
    try {
      return await this.queue.run(async () => {
        const cleaned: CleanPhoto[] = [];
        for (const data of files) cleaned.push(await cleanPhoto(data, this.maxPixels));
        return cleaned;
      });
    } catch (error) {
      if (!(error instanceof DecodeQueueFullError)) throw error;
      await this.budget.refund(sender, pixels);
      throw mpRetryLater('photo_queue_busy', DECODE_BUSY_RETRY_SECONDS);
    }
  }

  /** The photo's pixel count from its header; refuses unknown types, unreadable headers and photos above maxPixels. */
  private pixelsOf(data: Buffer): number {
    const type = sniffPhotoType(data);
    if (!type) throw mpError('unsupported_photo_type');
    const size = readPhotoSize(data, type);
    if (!size) throw mpError('invalid_photo');
    const pixels = size.width * size.height;
    if (pixels > this.maxPixels) {
      throw mpError('photo_too_many_pixels', {
        message: `照片分辨率太高（${size.width}×${size.height}），最多 ${Math.floor(this.maxPixels / 1_000_000)} 百万像素，请压缩后再上传`,
        details: { width: size.width, height: size.height, maxPixels: this.maxPixels },
      });
    }
    return pixels;
  }

  /** Stores a cleaned photo; returns its storage key. */
  async save(photo: CleanPhoto, now: Date): Promise<string> {
    const key = photoKey(photo.extension, now);
    await this.media.put(key, photo.data, { contentType: photo.contentType });
    return key;
  }

  async register(residentId: string, key: string): Promise<{ photoId: string; expiresIn: number }> {
    const photoId = `p_${randomBytes(12).toString('hex')}`;
    await this.redis.set(this.uploadKey(photoId), JSON.stringify({ residentId, key }), 'EX', UPLOAD_TTL_SECONDS);
    return { photoId, expiresIn: UPLOAD_TTL_SECONDS };
  }

  /**
   * The storage keys of the resident's uploaded photos; each id works once. Unknown, expired or
   * foreign ids are refused, and a refused claim uses up nothing (someone else's id stays theirs).
   */
  async claim(residentId: string, photoIds: string[]): Promise<string[]> {
    const keys: string[] = [];
    for (const photoId of photoIds) {
      const raw = /^p_[0-9a-f]{24}$/.test(photoId) ? await this.redis.get(this.uploadKey(photoId)) : null;
      const entry = raw ? (JSON.parse(raw) as { residentId?: unknown; key?: unknown }) : undefined;
      if (!entry || entry.residentId !== residentId || typeof entry.key !== 'string') {
        throw mpError('invalid_request', { message: '照片已过期或不存在，请重新上传', details: { photoId } });
      }
      keys.push(entry.key);
    }
    if (photoIds.length > 0) {
      const removed = await this.redis.del(...photoIds.map((id) => this.uploadKey(id)));
      // Two reports racing for the same upload: only the one that removed every id may use them.
      if (removed !== photoIds.length) throw mpError('invalid_request', { message: '照片已过期或不存在，请重新上传' });
    }
    return keys;
  }

  private uploadKey(photoId: string): string {
    return `${this.prefix}:mp:upload:${photoId}`;
  }
}
