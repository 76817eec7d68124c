/**
 * A small JSON Schema (2020-12) checker for the keywords the OpenAPI document uses, so tests can
 * hold real answers against the document itself rather than against the code that generated it.
 * Unknown keywords fail loudly, so the checker cannot silently accept what it does not understand.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'oneOf', '$ref',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'pattern', 'format', 'description', 'default', 'example', 'examples', 'title', 'propertyNames', 'contentMediaType',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

export function checkSchema(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) return [`${path}: schema uses keywords the checker does not know: ${unknown.join(', ')}`];
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], root);
    if (!target) return [`${path}: $ref ${schema.$ref} does not resolve`];
    return checkSchema(value, target as Schema, root, path);
  }
  const errors: string[] = [];
  const actual = typeOf(value);
  if (typeof schema.type === 'string' && !typeMatches(schema.type, actual)) return [`${path}: expected ${schema.type}, got ${actual}`];
  if (Array.isArray(schema.type) && !schema.type.some((t) => typeMatches(String(t), actual))) return [`${path}: expected ${schema.type.join('|')}, got ${actual}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && schema.const !== value) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const passing = options.filter((option) => checkSchema(value, option as Schema, root, path).length === 0).length;
      if (passing === 0 || (key === 'oneOf' && passing > 1)) errors.push(`${path}: matches ${passing} of the ${key} options`);
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below minimum ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above maximum ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items && typeof schema.items === 'object') value.forEach((item, i) => errors.push(...checkSchema(item, schema.items as Schema, root, `${path}[${i}]`)));
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${path}: missing required ${key}`);
    for (const [key, item] of Object.entries(object)) {
      const propertySchema = properties[key];
      if (propertySchema) errors.push(...checkSchema(item, propertySchema, root, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: ${key} is not in the documented schema`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') errors.push(...checkSchema(item, schema.additionalProperties as Schema, root, `${path}.${key}`));
    }
  }
  return errors;
}
