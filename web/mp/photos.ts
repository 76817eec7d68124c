import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { mpError } from './errors';

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

const EXTENSION: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** The image type from the first bytes; the file name and the declared content type are not trusted. */
export function sniffPhotoType(data: Buffer): PhotoType | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

export interface CleanPhoto {
  data: Buffer;
  contentType: PhotoType;
  extension: string;
}

/**
 * Re-encodes the photo: the orientation is applied to the pixels, then every piece of metadata
 * (EXIF with GPS position and camera serial, XMP, ICC comments) is dropped because sharp writes
 * none unless asked to. A file that does not decode is refused rather than stored.
 */
export async function cleanPhoto(data: Buffer, maxPixels: number): Promise<CleanPhoto> {
  const contentType = sniffPhotoType(data);
  if (!contentType) throw mpError('unsupported_photo_type');
  const image = sharp(data, { limitInputPixels: maxPixels, failOn: 'error', animated: false }).rotate();
  let output: Buffer;
  try {
    if (contentType === 'image/jpeg') output = await image.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
    else if (contentType === 'image/png') output = await image.png({ compressionLevel: 9 }).toBuffer();
    else output = await image.webp({ quality: 85 }).toBuffer();
  } catch {
    throw mpError('invalid_photo');
  }
  return { data: output, contentType, extension: EXTENSION[contentType] };
}

/** Storage key for a resident photo: unguessable, grouped by month. */
export function photoKey(extension: string, now: Date): string {
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return `mp/${month}/${randomBytes(16).toString('hex')}.${extension}`;
}
