import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { MediaStorage } from '../../bots/wecom/mediaStorage';
import { mpError } from './errors';
import { cleanPhoto, photoKey, type CleanPhoto } from './photos';

/** How long a photo uploaded on its own (wx.uploadFile) waits for the report that uses it. */
export const UPLOAD_TTL_SECONDS = 3600;

/**
 * Cleans and stores resident photos. A photo uploaded on its own gets a photoId, kept in Redis for
 * an hour and usable once, by the resident who uploaded it, in one report.
 */
export class PhotoUploads {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly media: MediaStorage,
    private readonly maxPixels: number,
  ) {}

  /** Sniffs and re-encodes without metadata; refuses what is not a decodable JPEG, PNG or WebP. Stores nothing. */
  clean(data: Buffer): Promise<CleanPhoto> {
    return cleanPhoto(data, this.maxPixels);
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
