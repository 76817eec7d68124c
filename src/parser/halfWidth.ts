const FULLWIDTH_START = 0xff01;
const FULLWIDTH_END = 0xff5e;
const FULLWIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

/**
 * Full-width ASCII (ＡＢ１２，？) to half-width and the ideographic space to a space, one code unit for one,
 * so offsets stay valid. The runs between such characters are copied whole; a text with none is returned as is.
 */
export function toHalfWidth(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let half: number;
    if (code >= FULLWIDTH_START && code <= FULLWIDTH_END) half = code - FULLWIDTH_OFFSET;
    else if (code === IDEOGRAPHIC_SPACE) half = 0x20;
    else continue;
    out += text.slice(copied, i) + String.fromCharCode(half);
    copied = i + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
