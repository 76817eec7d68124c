import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

export interface StoredMediaMeta {
  contentType: string;
  filename?: string;
}

export interface StoredMedia extends StoredMediaMeta {
  key: string;
  size: number;
}

/** Where fetched WeChat Work media ends up. Local disk by default; object storage can implement the same. */
export interface MediaStorage {
  put(key: string, data: Buffer, meta: StoredMediaMeta): Promise<StoredMedia>;
  get(key: string): Promise<{ data: Buffer; meta: StoredMediaMeta } | undefined>;
  /** The stored bytes as a stream (for serving: nothing is buffered or decoded), or undefined when missing. */
  open(key: string): Promise<{ stream: Readable; size: number; meta: StoredMediaMeta } | undefined>;
}

function isMissing(error: unknown): boolean {
  // Not `instanceof Error`: fs errors may come from another realm (e.g. under jest).
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

function parseMeta(raw: string): StoredMediaMeta {
  const parsed: unknown = JSON.parse(raw);
  const meta: StoredMediaMeta = { contentType: 'application/octet-stream' };
  if (typeof parsed === 'object' && parsed !== null) {
    if ('contentType' in parsed && typeof parsed.contentType === 'string') meta.contentType = parsed.contentType;
    if ('filename' in parsed && typeof parsed.filename === 'string') meta.filename = parsed.filename;
  }
  return meta;
}

export class MediaKeyError extends Error {
  constructor(key: string) {
    super(`Media key ${JSON.stringify(key)} is not allowed: use letters, digits, '_', '-', '.' and '/' segments without '..'.`);
    this.name = 'MediaKeyError';
  }
}

const KEY = /^(?!.*\.\.)[A-Za-z0-9_\-.]+(\/[A-Za-z0-9_\-.]+)*$/;

/** Files under MEDIA_DIR; a `<key>.meta.json` next to each file keeps its content type. */
export class LocalDiskMediaStorage implements MediaStorage {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  async put(key: string, data: Buffer, meta: StoredMediaMeta): Promise<StoredMedia> {
    const path = this.pathFor(key);
    await mkdir(dirname(path), { recursive: true });
    // Write-then-rename so a reader never sees half a photo.
    await writeFile(`${path}.tmp`, data);
    await rename(`${path}.tmp`, path);
    await writeFile(`${path}.meta.json`, JSON.stringify(meta));
    return { key, size: data.length, ...meta };
  }

  async get(key: string): Promise<{ data: Buffer; meta: StoredMediaMeta } | undefined> {
    const path = this.pathFor(key);
    try {
      const [data, rawMeta] = await Promise.all([readFile(path), readFile(`${path}.meta.json`, 'utf8')]);
      return { data, meta: parseMeta(rawMeta) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async open(key: string): Promise<{ stream: Readable; size: number; meta: StoredMediaMeta } | undefined> {
    const path = this.pathFor(key);
    let meta: StoredMediaMeta;
    try {
      meta = parseMeta(await readFile(`${path}.meta.json`, 'utf8'));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    // Open first, so a missing file is "not found" rather than a stream that fails after the headers went out.
    const handle = await open(path, 'r').catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (!handle) return undefined;
    const { size } = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    return { stream: createReadStream('', { fd: handle, autoClose: true }), size, meta };
  }

  private pathFor(key: string): string {
    if (!KEY.test(key)) throw new MediaKeyError(key);
    const path = join(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new MediaKeyError(key);
    return path;
  }
}
