/**
 * A validator for the part of JSON Schema draft-07 that
 * charts/tollgate-agent/values.schema.json uses: type, properties,
 * required, additionalProperties (boolean or schema), items, enum, pattern,
 * minLength, maxLength, minimum, maximum, minItems, uniqueItems, plus the
 * annotations $schema, $id, title, description, default and examples.
 * Any other keyword throws, so the schema cannot quietly outgrow this checker.
 */

type Schema = Record<string, any>;

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'default',
  'examples',
]);
const ASSERTIONS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'uniqueItems',
]);

/** Errors as `path: message`; empty when `value` is valid. */
export function validate(schema: Schema, value: unknown, path = '$'): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) {
      throw new Error(
        `${path}: schema keyword "${keyword}" is not supported by this validator`,
      );
    }
  }
  if (schema.type !== undefined && !matchesType(schema.type, value)) {
    return [
      `${path}: expected ${[schema.type].flat().join(' or ')}, got ${describe(
        value,
      )}`,
    ];
  }
  return [
    ...checkEnum(schema, value, path),
    ...checkString(schema, value, path),
    ...checkNumber(schema, value, path),
    ...checkArray(schema, value, path),
    ...checkObject(schema, value, path),
  ];
}

function matchesType(type: string | string[], value: unknown): boolean {
  return [type].flat().some(name => {
    switch (name) {
      case 'object':
        return (
          typeof value === 'object' && value !== null && !Array.isArray(value)
        );
      case 'array':
        return Array.isArray(value);
      case 'integer':
        return Number.isInteger(value);
      case 'null':
        return value === null;
      default:
        return typeof value === name;
    }
  });
}

function checkEnum(schema: Schema, value: unknown, path: string): string[] {
  if (
    !schema.enum ||
    schema.enum.some(
      (option: unknown) => JSON.stringify(option) === JSON.stringify(value),
    )
  )
    return [];
  return [`${path}: must be one of ${JSON.stringify(schema.enum)}`];
}

function checkString(schema: Schema, value: unknown, path: string): string[] {
  if (typeof value !== 'string') return [];
  const errors: string[] = [];
  if (
    schema.pattern !== undefined &&
    !new RegExp(schema.pattern, 'u').test(value)
  ) {
    errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (schema.minLength !== undefined && value.length < schema.minLength)
    errors.push(`${path}: shorter than ${schema.minLength}`);
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    errors.push(`${path}: longer than ${schema.maxLength}`);
  return errors;
}

function checkNumber(schema: Schema, value: unknown, path: string): string[] {
  if (typeof value !== 'number') return [];
  const errors: string[] = [];
  if (schema.minimum !== undefined && value < schema.minimum)
    errors.push(`${path}: below ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum)
    errors.push(`${path}: above ${schema.maximum}`);
  return errors;
}

function checkArray(schema: Schema, value: unknown, path: string): string[] {
  if (!Array.isArray(value)) return [];
  const errors: string[] = [];
  if (schema.minItems !== undefined && value.length < schema.minItems)
    errors.push(`${path}: fewer than ${schema.minItems} items`);
  if (
    schema.uniqueItems &&
    new Set(value.map(item => JSON.stringify(item))).size !== value.length
  ) {
    errors.push(`${path}: items are not unique`);
  }
  if (schema.items)
    value.forEach((item, index) =>
      errors.push(...validate(schema.items, item, `${path}[${index}]`)),
    );
  return errors;
}

function checkObject(schema: Schema, value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [];
  const record = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of schema.required ?? []) {
    if (!(key in record)) errors.push(`${path}: missing ${key}`);
  }
  const properties: Schema = schema.properties ?? {};
  for (const [key, child] of Object.entries(record)) {
    if (properties[key])
      errors.push(...validate(properties[key], child, `${path}.${key}`));
    else if (schema.additionalProperties === false)
      errors.push(`${path}: unknown property ${key}`);
    else if (typeof schema.additionalProperties === 'object') {
      errors.push(
        ...validate(schema.additionalProperties, child, `${path}.${key}`),
      );
    }
  }
  return errors;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
