import type { WecomApiClient } from './apiClient';
import type { MediaStorage, StoredMedia } from './mediaStorage';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'audio/amr': '.amr',
  'video/mp4': '.mp4',
};

/** Media ids may contain characters we do not want in paths; keep a safe, recognisable key. */
function keyFor(mediaId: string, contentType: string): string {
  const safeId = mediaId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120);
  return `wecom/${safeId}${EXTENSIONS[contentType.split(';')[0]?.trim() ?? ''] ?? ''}`;
}

/** Copies temporary WeChat Work media (valid for 3 days) into our own storage and returns where it lives. */
export async function fetchMediaToStorage(client: WecomApiClient, storage: MediaStorage, mediaId: string): Promise<StoredMedia> {
  const media = await client.getMedia(mediaId);
  const meta = media.filename === undefined ? { contentType: media.contentType } : { contentType: media.contentType, filename: media.filename };
  return storage.put(keyFor(mediaId, media.contentType), media.data, meta);
}
