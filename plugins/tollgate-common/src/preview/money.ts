/** Whole cents, rounding half away from zero (only for presentation). */
export function toCents(amount: number): number {
  return Math.sign(amount) * Math.round(Math.abs(amount) * 100 + 1e-9);
}

function formatCents(cents: number): string {
  const whole = Math.floor(Math.abs(cents) / 100);
  const fraction = String(Math.abs(cents) % 100).padStart(2, '0');
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}$${grouped}.${fraction}`;
}

/** `$1,234.56`, `-$5.00`. */
export function formatUsd(amount: number): string {
  return formatCents(toCents(amount));
}

/**
 * Infracost-style: `+$12.40 ($40.10 -> $52.50)`. The delta shown is the
 * difference of the rounded amounts, so the text always adds up.
 */
export function formatCostDelta(baseline: number, projected: number): string {
  const deltaCents = toCents(projected) - toCents(baseline);
  const sign = deltaCents > 0 ? '+' : '';
  const [from, to] = [formatUsd(baseline), formatUsd(projected)];
  return `${sign}${formatCents(deltaCents)} (${from} -> ${to})`;
}
