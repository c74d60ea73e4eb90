import { formatUsd } from '@tollgate/plugin-tollgate-common';
import type { PromotionSide } from '@tollgate/plugin-tollgate-common';

/** `+$12.40`, `-$3.00`, `$0.00`: the sign is always written out. */
export function formatSignedUsd(amount: number): string {
  const text = formatUsd(amount);
  if (text === '$0.00' || text === '-$0.00') return '$0.00';
  return amount > 0 ? `+${text}` : text;
}

export function formatPercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined) return '';
  const rounded = Math.round(percent * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

/** `staging (demo-staging/shop)` or `git main:apps/x`. */
export function describeSide(side: PromotionSide): string {
  if (side.type === 'cluster') {
    const where = `${side.cluster_name}/${side.namespace}`;
    return side.environment ? `${side.environment} (${where})` : where;
  }
  const where = `git ${side.ref}:${side.path}`;
  return side.environment ? `${side.environment} (${where})` : where;
}

export function sideEnvironment(side: PromotionSide): string {
  return side.environment ?? describeSide(side);
}

export function formatTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Values of a changed field, short and printable. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
