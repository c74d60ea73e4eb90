/** One step of a field path: a key, an array index, or a named list item. */
export type PathSegment = string | number | { name: string };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*/;

/**
 * Parses a field path as the preview engine formats it
 * (`spec.template.spec.containers[name=api].image`,
 * `metadata.labels["app.kubernetes.io/name"]`, `spec.rules[0].host`)
 * back into its segments.
 */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = path;
  while (rest.length > 0) {
    if (rest.startsWith('.')) rest = rest.slice(1);
    if (rest.startsWith('[')) {
      const [segment, length] = bracketSegment(rest, path);
      segments.push(segment);
      rest = rest.slice(length);
      continue;
    }
    const key = PLAIN_KEY.exec(rest);
    if (!key) throw new Error(`Cannot parse field path ${path}`);
    segments.push(key[0]);
    rest = rest.slice(key[0].length);
  }
  return segments;
}

function bracketSegment(text: string, path: string): [PathSegment, number] {
  if (text.startsWith('["')) {
    const end = closingQuote(text);
    return [JSON.parse(text.slice(1, end + 1)) as string, end + 2];
  }
  const end = text.indexOf(']');
  if (end < 0) throw new Error(`Cannot parse field path ${path}`);
  const inner = text.slice(1, end);
  if (/^\d+$/.test(inner)) return [Number(inner), end + 1];
  if (inner.startsWith('name=')) return [{ name: inner.slice(5) }, end + 1];
  throw new Error(`Cannot parse field path ${path}`);
}

/** Index of the quote that closes the JSON string starting at text[1]. */
function closingQuote(text: string): number {
  for (let i = 2; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  throw new Error(`Unterminated key in field path ${text}`);
}

/** An RFC 6901 pointer for paths without named items; undefined otherwise. */
export function toJsonPointer(segments: PathSegment[]): string | undefined {
  if (segments.some(segment => typeof segment === 'object')) return undefined;
  return segments
    .map(
      segment => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`,
    )
    .join('');
}
