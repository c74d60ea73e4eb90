/** A number as written in text: its value and how many decimals it shows. */
export interface WrittenNumber {
  text: string;
  value: number;
  decimals: number;
}

/**
 * Numbers as people write them: `1234.5`, `$1,234.50`, `-$5.00`, `+22.49`,
 * `50%`. Digits that continue a word or a version (`m5`, `v1`, `2.4.0`'s
 * last part) are not numbers. Signs are dropped: an answer may say
 * "falls by $5.00" for a delta of -$5.00.
 */
const NUMBER = /(?<![\w.])\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/g;

export function extractNumbers(text: string): WrittenNumber[] {
  return [...text.matchAll(NUMBER)].map(match => {
    const [written, whole, fraction = ''] = match;
    return {
      text: written,
      value: Number(`${whole.replace(/,/g, '')}${fraction}`),
      decimals: Math.max(fraction.length - 1, 0),
    };
  });
}

export interface NumbersCheckResult {
  passed: boolean;
  /** Numbers in the answer that no fact supports, as written. */
  unsupported: string[];
}

/**
 * Every number in the answer must be one of the facts, as written or
 * rounded to the decimals the answer shows (`$45` for `$44.99`, `50%` for
 * `50.0%`). Anything else is an invented number.
 */
export function checkNumbers(
  answer: string,
  facts: readonly number[],
): NumbersCheckResult {
  const unsupported = extractNumbers(answer)
    .filter(written => !facts.some(fact => matches(fact, written)))
    .map(written => written.text);
  return {
    passed: unsupported.length === 0,
    unsupported: [...new Set(unsupported)],
  };
}

function matches(fact: number, written: WrittenNumber): boolean {
  const factor = 10 ** written.decimals;
  const rounded = Math.round(Math.abs(fact) * factor + 1e-9) / factor;
  return Math.abs(rounded - written.value) < 1e-9;
}
