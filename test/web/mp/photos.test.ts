import { sniffPhotoType } from '../../../web/mp/photos';
import { png } from './support/images';

describe('photo types', () => {
  it('sniffs JPEG, PNG and WebP from the bytes and nothing else', async () => {
    expect(sniffPhotoType(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 0]))).toBe('image/jpeg');
    expect(sniffPhotoType(await png())).toBe('image/png');
    expect(sniffPhotoType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffPhotoType(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toBeUndefined();
    expect(sniffPhotoType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffPhotoType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffPhotoType(Buffer.alloc(0))).toBeUndefined();
  });
});
