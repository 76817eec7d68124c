import sharp from 'sharp';

/** A small JPEG that carries EXIF (camera make, a GPS-like comment) so tests can see it stripped. */
export function jpegWithExif(color = '#c33'): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: color } })
    .withExif({ IFD0: { Make: 'LeakyCam', Model: 'GPS-31.2304N-121.4737E', Copyright: 'resident home address' } })
    .jpeg()
    .toBuffer();
}

export function png(color = '#3c3'): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 32, channels: 4, background: color } }).png().toBuffer();
}

export function photoForm(fields: Record<string, string>, photos: { data: Buffer; name: string; type?: string }[]): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const photo of photos) form.append('photos', new Blob([new Uint8Array(photo.data)], { type: photo.type ?? 'image/jpeg' }), photo.name);
  return form;
}
