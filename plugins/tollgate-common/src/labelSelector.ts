/**
 * Kubernetes label selectors in their string form, as `kubectl -l` and the
 * `backstage.io/kubernetes-label-selector` annotation write them:
 * `app=web,tier!=db,env in (staging,prod),release notin (canary),team,!legacy`.
 */
export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' };

export type Labels = Record<string, string> | undefined;

const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Parses a selector; throws an Error naming the bad term. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTerms(selector).map(parseTerm);
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Labels,
): boolean {
  return requirements.every(req => {
    const value = labels?.[req.key];
    switch (req.op) {
      case 'exists':
        return value !== undefined;
      case 'doesnotexist':
        return value === undefined;
      case 'in':
        return value !== undefined && req.values.includes(value);
      case 'notin':
        return value === undefined || !req.values.includes(value);
      default:
        return false;
    }
  });
}

// Commas inside `in (...)` do not separate terms.
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(t => t.length > 0);
}

function parseTerm(term: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const values = set[3].split(',').map(v => v.trim());
    values.forEach(v => checkValue(v, term));
    return {
      key: checkKey(set[1], term),
      op: set[2] as 'in' | 'notin',
      values,
    };
  }
  const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (equality) {
    const [, key, op, value] = equality;
    checkValue(value, term);
    return {
      key: checkKey(key, term),
      op: op === '!=' ? 'notin' : 'in',
      values: [value],
    };
  }
  if (term.startsWith('!'))
    return { key: checkKey(term.slice(1).trim(), term), op: 'doesnotexist' };
  return { key: checkKey(term, term), op: 'exists' };
}

function checkKey(key: string, term: string): string {
  if (!KEY.test(key) || key.length > 317) {
    throw new Error(
      `Invalid label selector term '${term}': '${key}' is not a valid label key`,
    );
  }
  return key;
}

function checkValue(value: string, term: string): void {
  if (!VALUE.test(value) || value.length > 63) {
    throw new Error(
      `Invalid label selector term '${term}': '${value}' is not a valid label value`,
    );
  }
}
