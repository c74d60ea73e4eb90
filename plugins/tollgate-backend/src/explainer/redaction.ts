import type { Identifiers } from './facts';

const CATEGORIES: Array<[keyof Identifiers, string]> = [
  ['images', 'IMAGE'],
  ['repos', 'REPO'],
  ['clusters', 'CLUSTER'],
  ['namespaces', 'NAMESPACE'],
  ['names', 'NAME'],
];

/** A placeholder: category and letters only, so it holds no number. */
const PLACEHOLDER = /\b(IMAGE|REPO|CLUSTER|NAMESPACE|NAME)_([A-Z]{1,3})\b/g;

// A match must not sit inside a word; hyphens do separate, so the name in a
// derived value such as `checkout-api-2.4.0` is replaced as well.
const BEFORE = '(?<![A-Za-z0-9_])';
const AFTER = '(?![A-Za-z0-9_])';

/**
 * Swaps real identifiers (names, namespaces, images, clusters, repositories)
 * for placeholders such as `NAME_A` before text goes to an LLM, and back in
 * the answer. Longer identifiers are replaced first, so an image that
 * contains a workload's name becomes one placeholder.
 */
export class Redactor {
  private readonly byValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, string>();
  private readonly pattern: RegExp | undefined;

  constructor(identifiers: Identifiers) {
    for (const [category, prefix] of CATEGORIES) {
      let index = 0;
      for (const value of identifiers[category]) {
        if (this.byValue.has(value)) continue;
        const placeholder = `${prefix}_${letters(index++)}`;
        this.byValue.set(value, placeholder);
        this.byPlaceholder.set(placeholder, value);
      }
    }
    const values = [...this.byValue.keys()].sort((a, b) => b.length - a.length);
    this.pattern = values.length
      ? new RegExp(`${BEFORE}(?:${values.map(escape).join('|')})${AFTER}`, 'g')
      : undefined;
  }

  redact(text: string): string {
    if (!this.pattern) return text;
    return text.replace(this.pattern, value => this.byValue.get(value)!);
  }

  /** Placeholders back to identifiers; unknown ones are left as they are. */
  restore(text: string): string {
    return text.replace(
      PLACEHOLDER,
      placeholder => this.byPlaceholder.get(placeholder) ?? placeholder,
    );
  }

  /** Placeholders in the text that stand for nothing (an invented identifier). */
  unknownPlaceholders(text: string): string[] {
    const found = text.match(PLACEHOLDER) ?? [];
    return [...new Set(found.filter(p => !this.byPlaceholder.has(p)))];
  }

  /** The text with every placeholder removed, for the numbers check. */
  static withoutPlaceholders(text: string): string {
    return text.replace(PLACEHOLDER, ' ');
  }
}

/** 0 -> A, 25 -> Z, 26 -> AA, ... */
function letters(index: number): string {
  let n = index;
  let result = '';
  do {
    result = String.fromCharCode(65 + (n % 26)) + result;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return result;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
