/**
 * Kubernetes resource quantities ("500m", "1.5Gi", "1e3", "129M"), following
 * the grammar of k8s.io/apimachinery/pkg/api/resource:
 *
 *   quantity ::= [+-] number suffix
 *   number   ::= digits | digits "." digits | digits "." | "." digits
 *   suffix   ::= Ki|Mi|Gi|Ti|Pi|Ei | m|""|k|M|G|T|P|E | (e|E) [+-] digits
 *
 * Values come back as JavaScript numbers in base units (cores, bytes), which
 * is exact enough for pricing; Kubernetes itself rounds to milli-units.
 */

export class QuantityParseError extends Error {
  constructor(readonly input: unknown) {
    const shown = JSON.stringify(input);
    super(
      `Invalid Kubernetes quantity ${shown}: expected a number with an optional suffix, such as 500m, 1.5Gi, 2 or 1e3`,
    );
    this.name = 'QuantityParseError';
  }
}

const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// Powers of ten; kept as exponents so "500m" becomes Number("500e-3"),
// which avoids the rounding error of 500 * 0.001.
const DECIMAL_EXPONENTS: Record<string, number> = {
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const QUANTITY =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(m|k|M|G|T|P|E))?$/;

/** Parses a quantity to a number in base units; throws QuantityParseError. */
export function parseQuantity(input: string | number): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input)) return input;
    throw new QuantityParseError(input);
  }
  if (typeof input !== 'string') throw new QuantityParseError(input);
  const match = QUANTITY.exec(input);
  if (!match) throw new QuantityParseError(input);
  const [, mantissa, binary, exponent, decimal] = match;
  const value = binary
    ? Number(mantissa) * BINARY_SUFFIXES[binary]
    : Number(`${mantissa}e${exponent ?? DECIMAL_EXPONENTS[decimal ?? '']}`);
  if (!Number.isFinite(value)) throw new QuantityParseError(input);
  return value;
}

/** CPU in cores: "500m" -> 0.5, "2" -> 2. */
export function parseCpu(input: string | number): number {
  return parseQuantity(input);
}

/** Memory or storage in bytes: "1Gi" -> 1073741824, "129M" -> 129000000. */
export function parseBytes(input: string | number): number {
  return parseQuantity(input);
}

export const BYTES_PER_GIB = 2 ** 30;

/** undefined when absent; throws QuantityParseError when present but invalid. */
export function optionalQuantity(input: unknown): number | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return undefined;
  return parseQuantity(input);
}

/** "0.5 cores" style text for messages. */
export function formatCores(cores: number): string {
  if (cores < 1) return `${Math.round(cores * 1000)}m`;
  const shown = Number(cores.toFixed(3));
  return `${shown} ${shown === 1 ? 'core' : 'cores'}`;
}

/** "1.5 GiB" / "512 MiB" style text for messages. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(2))} ${units[unit]}`;
}
