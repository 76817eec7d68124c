import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CallbackRejected, rejectBadRequest } from './callbackErrors';

/** A parsed `<xml>` element: leaf text stays a string (MsgId is 64-bit, never a JS number). */
export type XmlNode = string | XmlObject | XmlNode[];
export interface XmlObject {
  [tag: string]: XmlNode;
}

const FORBIDDEN_MARKUP = /<!(?:DOCTYPE|ENTITY)/i;
const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY_REFERENCE = /&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi;

const CDATA_KEY = '#cdata';
const TEXT_KEY = '#text';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 16,
  // CDATA is literal text: kept apart so entity decoding below never touches it.
  cdataPropName: CDATA_KEY,
  textNodeName: TEXT_KEY,
  // A single child must not change the shape: these repeat in multiple_interaction callbacks.
  isArray: (tagName) => tagName === 'SelectedItem' || tagName === 'OptionId',
  tagValueProcessor: (_tag, value) => decodePredefinedEntities(value),
});

/** Only the five XML entities and character references; nothing a document can declare. */
function decodePredefinedEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY_REFERENCE, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const CDATA_SECTION = /<!\[CDATA\[[\s\S]*?\]\]>/g;

/** A real DOCTYPE or ENTITY declaration; the same words inside CDATA are a member's text, not markup. */
export function hasDtd(text: string): boolean {
  if (!FORBIDDEN_MARKUP.test(text)) return false;
  return FORBIDDEN_MARKUP.test(text.replace(CDATA_SECTION, ''));
}

/** Refuses any DTD or entity declaration before a parser sees the text (XXE, billion laughs). */
export function assertNoDtd(text: string): void {
  if (hasDtd(text)) throw rejectBadRequest('dtd_forbidden', 'XML with a DOCTYPE or ENTITY declaration is refused');
}

// A flat `<xml>` of leaf elements with CDATA or plain text: every callback except card selections.
const FLAT_DOCUMENT = /^\s*<xml>(?:\s*<([A-Za-z_][\w.-]*)>(?:<!\[CDATA\[(?:[^\]]|\](?!\]>))*\]\]>|[^<>]*)<\/\1>)*\s*<\/xml>\s*$/;
const FLAT_FIELD = /<([A-Za-z_][\w.-]*)>(?:<!\[CDATA\[((?:[^\]]|\](?!\]>))*)\]\]>|([^<>]*))<\/\1>/g;

/**
 * The common flat shape read by two patterns, a quarter of the gateway's CPU cheaper than the
 * general parser. Repeated tags, or anything the patterns do not match, go to the full parser.
 */
function parseFlat(text: string): XmlObject | undefined {
  if (!FLAT_DOCUMENT.test(text)) return undefined;
  const fields: XmlObject = {};
  const inner = text.slice(text.indexOf('<xml>') + '<xml>'.length, text.lastIndexOf('</xml>'));
  for (const match of inner.matchAll(FLAT_FIELD)) {
    const [, tag = '', cdataText, plainText] = match;
    if (tag in fields) return undefined;
    fields[tag] = cdataText ?? decodePredefinedEntities((plainText ?? '').trim());
  }
  return fields;
}

/** Parses a callback document and returns the children of its `<xml>` root. */
export function parseCallbackXml(text: string): XmlObject {
  assertNoDtd(text);
  const flat = parseFlat(text);
  if (flat) return flat;
  const parsed = flattenText(parseGeneral(text));
  const root = isXmlObject(parsed) ? parsed.xml : undefined;
  if (!isXmlObject(root)) throw rejectBadRequest('not_xml', 'XML root element must be <xml>');
  return root;
}

/** The general parser; its own refusals (nesting deeper than a callback ever goes) are bad XML, not a crash. */
function parseGeneral(text: string): unknown {
  try {
    if (XMLValidator.validate(text) !== true) throw rejectBadRequest('not_xml', 'body is not well-formed XML');
    return parser.parse(text) as unknown;
  } catch (error) {
    if (error instanceof CallbackRejected) throw error;
    throw rejectBadRequest('not_xml', `callback XML could not be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Folds `{#text, #cdata}` leaves back into plain strings. */
function flattenText(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(flattenText);
  if (!isXmlObject(node)) return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((key) => key === TEXT_KEY || key === CDATA_KEY)) {
    return [node[TEXT_KEY], node[CDATA_KEY]].flat().filter((part) => typeof part === 'string').join('');
  }
  return Object.fromEntries(keys.map((key) => [key, flattenText(node[key])]));
}

export function isXmlObject(node: unknown): node is XmlObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** The text of a leaf child, or undefined when absent or not a leaf. */
export function xmlText(node: XmlObject, tag: string): string | undefined {
  const value = node[tag];
  return typeof value === 'string' ? value : undefined;
}

export type XmlValue = string | number | XmlValue[] | { [tag: string]: XmlValue };

/**
 * Builds `<xml>…</xml>` the way WeChat Work writes callbacks: strings in CDATA, numbers bare,
 * arrays as repeated elements.
 */
export function buildCallbackXml(fields: Record<string, XmlValue | undefined>): string {
  return `<xml>${renderChildren(fields)}</xml>`;
}

function renderChildren(fields: Record<string, XmlValue | undefined>): string {
  return Object.entries(fields)
    .map(([tag, value]) => (value === undefined ? '' : renderElement(tag, value)))
    .join('');
}

function renderElement(tag: string, value: XmlValue): string {
  if (Array.isArray(value)) return value.map((item) => renderElement(tag, item)).join('');
  if (typeof value === 'number') return `<${tag}>${value}</${tag}>`;
  if (typeof value === 'string') return `<${tag}>${cdata(value)}</${tag}>`;
  return `<${tag}>${renderChildren(value)}</${tag}>`;
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
