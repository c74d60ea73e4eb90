import type { Knex } from 'knex';
import {
  toPromotionCost,
  type CostResult,
  type DiffResult,
  type ObjectDiff,
  type PreviewResult,
  type PreviewSummary,
  type PromotionCost,
  type PromotionListItem,
  type PromotionSide,
  type PromotionState,
  type PromotionWorkload,
  type RiskFinding,
  type RiskLevel,
  type Severity,
} from '@tollgate/plugin-tollgate-common';
import type { PermissionFilter } from '../permissions/resources';
import { applyPermissionFilter } from './permissionFilter';
import { toIsoString } from './timestamps';

/** What the preview service stores for a new promotion. */
export interface NewPromotion {
  id: string;
  entityRef: string | null;
  workload: PromotionWorkload;
  source: PromotionSide;
  target: PromotionSide;
  inputsFingerprint: string;
  createdBy: string;
  preview: PreviewResult;
}

export interface PromotionFilter {
  entityRef?: string;
  /** Source or target environment. */
  environment?: string;
  riskLevel?: RiskLevel;
  createdBy?: string;
  state?: PromotionState;
}

export interface Page {
  limit: number;
  offset: number;
}

type Timestamp = Date | string | number;
type PromotionRow = {
  id: string;
  entity_ref: string | null;
  workload_name: string;
  workload_label_selector: string | null;
  source_environment: string | null;
  target_environment: string | null;
  source: string;
  target: string;
  state: string;
  risk_level: string;
  risk_score: number | string;
  cost_baseline: number | string;
  cost_projected: number | string;
  cost_delta: number | string;
  currency: string;
  summary: string;
  inputs_fingerprint: string;
  created_by: string;
  created_at: Timestamp;
};
type DiffRow = {
  promotion_id: string;
  position: number;
  kind: string;
  name: string;
  namespace: string | null;
  status: string;
  object_diff: string;
};
type CostRow = {
  promotion_id: string;
  currency: string;
  baseline: number | string;
  projected: number | string;
  delta: number | string;
  delta_percent: number | string | null;
  hours_per_month: number | string;
  discount_percent: number | string;
  details: string;
};
type RiskRow = {
  promotion_id: string;
  position: number;
  rule_id: string;
  severity: string;
  object: string;
  path: string;
  message: string;
  fix: string;
};

const CHUNK = 200;

/**
 * SQL for `workload_promotions` and what hangs off it: `workload_diffs`,
 * `promotion_costs` and `promotion_risks`. Speaks the API's shapes.
 */
export class PromotionStore {
  constructor(private readonly db: Knex) {}

  /** Writes the promotion and its diff, cost and findings; use in a transaction. */
  async insert(promotion: NewPromotion, now: Date): Promise<void> {
    const { preview } = promotion;
    await this.db<PromotionRow>('workload_promotions').insert(
      toPromotionRow(promotion, now),
    );
    await this.insertChunked(
      'workload_diffs',
      preview.diff.objects.map((diff, position) =>
        toDiffRow(promotion.id, diff, position),
      ),
    );
    await this.db<CostRow>('promotion_costs').insert(
      toCostRow(promotion.id, preview),
    );
    await this.insertChunked(
      'promotion_risks',
      preview.risk.findings.map((finding, position) =>
        toRiskRow(promotion.id, finding, position),
      ),
    );
  }

  async get(id: string): Promise<PromotionListItem | undefined> {
    const row = await this.db<PromotionRow>('workload_promotions')
      .where({ id })
      .first();
    return row && fromPromotionRow(row);
  }

  /** Newest first, with the number of promotions the filter matches. */
  async list(
    filter: PromotionFilter,
    page: Page,
    allowed?: PermissionFilter,
  ): Promise<{ items: PromotionListItem[]; total: number }> {
    const filtered = () =>
      applyPermissionFilter(
        applyFilter(this.db('workload_promotions'), filter),
        allowed,
        { targetEnvironment: 'target_environment' },
      );
    const [{ n }] = await filtered().count({ n: '*' });
    const rows: PromotionRow[] = await filtered()
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(page.limit)
      .offset(page.offset);
    return { items: rows.map(fromPromotionRow), total: Number(n) };
  }

  async getDiff(id: string): Promise<DiffResult | undefined> {
    const promotion = await this.get(id);
    if (!promotion) return undefined;
    const rows = await this.db<DiffRow>('workload_diffs')
      .where({ promotion_id: id })
      .orderBy('position');
    return {
      summary: promotion.summary.objects,
      objects: rows.map(row => JSON.parse(row.object_diff) as ObjectDiff),
    };
  }

  async getCost(id: string): Promise<PromotionCost | undefined> {
    const row = await this.db<CostRow>('promotion_costs')
      .where({ promotion_id: id })
      .first();
    return row && fromCostRow(row);
  }

  async getRisks(id: string): Promise<RiskFinding[]> {
    const rows = await this.db<RiskRow>('promotion_risks')
      .where({ promotion_id: id })
      .orderBy('position');
    return rows.map(fromRiskRow);
  }

  private async insertChunked(table: string, rows: object[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.db(table).insert(rows.slice(i, i + CHUNK));
    }
  }
}

function applyFilter(query: Knex.QueryBuilder, filter: PromotionFilter) {
  if (filter.entityRef) query.where('entity_ref', filter.entityRef);
  if (filter.environment) {
    const environment = filter.environment;
    query.where(q =>
      q
        .where('source_environment', environment)
        .orWhere('target_environment', environment),
    );
  }
  if (filter.riskLevel) query.where('risk_level', filter.riskLevel);
  if (filter.createdBy) query.where('created_by', filter.createdBy);
  if (filter.state) query.where('state', filter.state);
  return query;
}

function toPromotionRow(promotion: NewPromotion, now: Date): PromotionRow {
  const { summary } = promotion.preview;
  return {
    id: promotion.id,
    entity_ref: promotion.entityRef,
    workload_name: promotion.workload.name,
    workload_label_selector: promotion.workload.label_selector,
    source_environment: promotion.source.environment,
    target_environment: promotion.target.environment,
    source: JSON.stringify(promotion.source),
    target: JSON.stringify(promotion.target),
    state: 'previewed',
    risk_level: summary.riskLevel,
    risk_score: summary.riskScore,
    cost_baseline: summary.baselineMonthly,
    cost_projected: summary.projectedMonthly,
    cost_delta: summary.deltaMonthly,
    currency: summary.currency,
    summary: JSON.stringify(summary),
    inputs_fingerprint: promotion.inputsFingerprint,
    created_by: promotion.createdBy,
    created_at: now,
  };
}

function fromPromotionRow(row: PromotionRow): PromotionListItem {
  return {
    promotion_id: row.id,
    entity_ref: row.entity_ref,
    workload: {
      name: row.workload_name,
      label_selector: row.workload_label_selector,
    },
    state: row.state as PromotionState,
    source: JSON.parse(row.source) as PromotionSide,
    target: JSON.parse(row.target) as PromotionSide,
    risk_level: row.risk_level as RiskLevel,
    risk_score: Number(row.risk_score),
    estimated_cost: {
      baseline: Number(row.cost_baseline),
      projected: Number(row.cost_projected),
      delta: Number(row.cost_delta),
      currency: row.currency as 'USD',
    },
    summary: JSON.parse(row.summary) as PreviewSummary,
    inputs_fingerprint: row.inputs_fingerprint,
    created_at: toIsoString(row.created_at),
    created_by: row.created_by,
  };
}

function toDiffRow(
  promotionId: string,
  diff: ObjectDiff,
  position: number,
): DiffRow {
  return {
    promotion_id: promotionId,
    position,
    kind: diff.kind,
    name: diff.name,
    namespace: diff.namespace ?? null,
    status: diff.status,
    object_diff: JSON.stringify(diff),
  };
}

function toCostRow(promotionId: string, preview: PreviewResult): CostRow {
  const { cost } = preview;
  return {
    promotion_id: promotionId,
    currency: cost.currency,
    baseline: cost.baseline,
    projected: cost.projected,
    delta: cost.delta,
    delta_percent: cost.deltaPercent,
    hours_per_month: cost.hoursPerMonth,
    discount_percent: cost.discountPercent,
    details: JSON.stringify(costDetails(cost)),
  };
}

/** What the cost columns do not hold. */
type CostDetails = Pick<
  CostResult,
  'text' | 'lines' | 'hpaBand' | 'nodeRates' | 'warnings'
>;

function costDetails(cost: CostResult): CostDetails {
  const { text, lines, hpaBand, nodeRates, warnings } = cost;
  return { text, lines, hpaBand, nodeRates, warnings };
}

function fromCostRow(row: CostRow): PromotionCost {
  const details = JSON.parse(row.details) as CostDetails;
  return toPromotionCost({
    ...details,
    currency: row.currency as 'USD',
    baseline: Number(row.baseline),
    projected: Number(row.projected),
    delta: Number(row.delta),
    deltaPercent: row.delta_percent === null ? null : Number(row.delta_percent),
    hoursPerMonth: Number(row.hours_per_month),
    discountPercent: Number(row.discount_percent),
  });
}

function toRiskRow(
  promotionId: string,
  finding: RiskFinding,
  position: number,
): RiskRow {
  return {
    promotion_id: promotionId,
    position,
    rule_id: finding.ruleId,
    severity: finding.severity,
    object: finding.object,
    path: finding.path,
    message: finding.message,
    fix: finding.fix,
  };
}

function fromRiskRow(row: RiskRow): RiskFinding {
  return {
    ruleId: row.rule_id,
    severity: row.severity as Severity,
    message: row.message,
    object: row.object,
    path: row.path,
    fix: row.fix,
  };
}
