import type {
  CostLine,
  PromotionListItem,
} from '@tollgate/plugin-tollgate-common';
import type { PromotionDetails } from '../../api';
import { sideEnvironment } from '../promotion/format';

export interface EnvironmentCost {
  environment: string;
  /** What the environment costs as it runs, from the latest preview into it. */
  monthly: number;
  /** What it would cost after that preview's promotion. */
  projected: number;
  previewedAt: string;
  promotionId: string;
}

/** The latest preview into each environment, in the order given. */
export function latestPerEnvironment(
  items: PromotionListItem[],
  order: string[],
): EnvironmentCost[] {
  const latest = new Map<string, PromotionListItem>();
  for (const item of items) {
    const env = sideEnvironment(item.target);
    const seen = latest.get(env);
    if (!seen || seen.created_at < item.created_at) latest.set(env, item);
  }
  const rank = (env: string) => {
    const index = order.indexOf(env);
    return index < 0 ? order.length : index;
  };
  return [...latest.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([environment, item]) => ({
      environment,
      monthly: item.estimated_cost.baseline,
      projected: item.estimated_cost.projected,
      previewedAt: item.created_at,
      promotionId: item.promotion_id,
    }));
}

export interface TrendPoint {
  time: number;
  label: string;
  [environment: string]: number | string;
}

/** One point per preview: the target environment's monthly cost then. */
export function costTrend(items: PromotionListItem[]): {
  points: TrendPoint[];
  environments: string[];
} {
  const sorted = [...items].sort((a, b) =>
    a.created_at.localeCompare(b.created_at),
  );
  const environments = [
    ...new Set(sorted.map(item => sideEnvironment(item.target))),
  ];
  const points = sorted.map(item => ({
    time: new Date(item.created_at).getTime(),
    label: new Date(item.created_at).toLocaleDateString(),
    [sideEnvironment(item.target)]:
      Math.round(item.estimated_cost.baseline * 100) / 100,
  }));
  return { points, environments };
}

export interface ResourceCost {
  resource: string;
  monthly: number;
  objects: number;
}

/** The target's cost as it runs now, summed per resource. */
export function costByResource(promotion: PromotionDetails): ResourceCost[] {
  const totals = new Map<string, ResourceCost>();
  for (const line of promotion.estimated_cost.lines as CostLine[]) {
    const entry = totals.get(line.resource) ?? {
      resource: line.resource,
      monthly: 0,
      objects: 0,
    };
    entry.monthly += line.baseline;
    if (line.baseline > 0) entry.objects += 1;
    totals.set(line.resource, entry);
  }
  return [...totals.values()].sort((a, b) => b.monthly - a.monthly);
}
