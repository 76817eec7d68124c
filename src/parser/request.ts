/**
 * The sentence of a long letter that asks for something. Letters to officials open with greetings and a
 * story; the ask (请…, 希望…, 恳请…, 要求…) is what a dispatcher needs first, and it usually comes last.
 */
const LONG_TEXT = 120;
const MAX_REQUEST = 120;
const SENTENCE = /[^。！？!?；;\n]+[。！？!?；;]?/g;
const ASK = /(恳请|请求|强烈要求|要求|希望|期望|盼望|恳求|建议|请您|请你|请有关|请相关|请政府|请领导|请尽快|请依法|请查|请求|望有关|望相关|望政府|望领导|望尽快|盼)/;
const GREETING = /^(尊敬的|您好|你好|领导|书记|市长|县长|局长|厅长|主任)/;

export function findRequest(text: string): string | null {
  if (text.length < LONG_TEXT) return null;
  const sentences = (text.match(SENTENCE) ?? []).map((s) => s.trim()).filter((s) => s.length >= 6 && !GREETING.test(s));
  const asks = sentences.filter((s) => ASK.test(s));
  const chosen = asks[asks.length - 1];
  if (!chosen) return null;
  return chosen.length > MAX_REQUEST ? `${chosen.slice(0, MAX_REQUEST)}…` : chosen;
}
