import { XMLBuilder } from 'fast-xml-parser';
import type { Context } from 'koa';

/** GeoReport v2 answers in the format the path ends with: `.json` or `.xml`. */
export type Open311Format = 'json' | 'xml';

export type Open311Value = string | number | boolean | null | Open311Value[] | { [key: string]: Open311Value };
export type Open311Object = { [key: string]: Open311Value };

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false, processEntities: true });

/** `services.json` → {name: 'services', format: 'json'}; an unknown or missing extension → undefined. */
export function splitFormat(file: string): { name: string; format: Open311Format } | undefined {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  return match ? { name: match[1]!, format: match[2] as Open311Format } : undefined;
}

/**
 * The XML shape of a value: null becomes an empty element (XML has no null), and an array under a
 * key named in `wrap` becomes repeated child elements (`attributes` → `<attributes><attribute>…`).
 */
function xmlTree(value: Open311Value, wrap: Readonly<Record<string, string>>): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((v) => xmlTree(v, wrap));
  if (typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const child = wrap[key];
      return [key, Array.isArray(v) && child !== undefined ? { [child]: v.map((x) => xmlTree(x, wrap)) } : xmlTree(v, wrap)];
    }),
  );
}

/**
 * Writes `value` as JSON, or as XML after the XML declaration, UTF-8 both: a list as
 * `<root><item>…</item>…</root>`, an object as `<root>…</root>`.
 */
export function sendOpen311(ctx: Context, format: Open311Format, element: { root: string; item?: string }, value: Open311Value, wrap: Readonly<Record<string, string>> = {}): void {
  if (format === 'json') {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = value;
    return;
  }
  const tree = xmlTree(value, wrap);
  ctx.type = 'text/xml; charset=utf-8';
  ctx.body = `<?xml version="1.0" encoding="utf-8"?>${builder.build({ [element.root]: element.item === undefined ? tree : { [element.item]: tree } }) as string}`;
}
