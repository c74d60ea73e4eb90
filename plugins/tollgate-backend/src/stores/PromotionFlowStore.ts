import type { Knex } from 'knex';
import type {
  PromotionApprovalEntry,
  PromotionDecision,
  PromotionPullRequest,
  PromotionSide,
  PromotionState,
} from '@tollgate/plugin-tollgate-common';
import { toIsoString } from './timestamps';

/** A stored state change (or, with `toState` null, a noted event). */
export interface PromotionEvent {
  event: string;
  fromState: PromotionState | null;
  toState: PromotionState | null;
  actor: string;
  requestId: string;
  details: Record<string, unknown>;
  occurredAt: string;
}

export type NewPromotionEvent = Omit<PromotionEvent, 'occurredAt'> & {
  promotionId: string;
};

export interface NewApproval {
  promotionId: string;
  actor: string;
  decision: PromotionDecision;
  comment: string | null;
  requestId: string;
}

/** A promotion as its siblings are compared: what it promotes, and where to. */
export interface PromotionSibling {
  id: string;
  state: PromotionState;
  target: PromotionSide;
  createdAt: string;
}

type Timestamp = Date | string | number;
type ApprovalRow = {
  actor: string;
  decision: string;
  comment: string | null;
  created_at: Timestamp;
};
type EventRow = {
  event: string;
  from_state: string | null;
  to_state: string | null;
  actor: string;
  request_id: string;
  details: string;
  occurred_at: Timestamp;
};

/**
 * SQL of the promotion state machine: `workload_promotions.state`,
 * `promotion_approvals`, `promotion_events` and `promotion_pull_requests`.
 */
export class PromotionFlowStore {
  constructor(private readonly db: Knex) {}

  /**
   * The promotion's state, locking its row until the transaction ends
   * (PostgreSQL; SQLite serializes writers anyway), so concurrent approvals
   * are counted one after the other.
   */
  async lockState(promotionId: string): Promise<PromotionState | undefined> {
    const row = await this.db('workload_promotions')
      .select('state')
      .where({ id: promotionId })
      .forUpdate()
      .first();
    return row?.state;
  }

  async setState(promotionId: string, state: PromotionState): Promise<void> {
    await this.db('workload_promotions')
      .where({ id: promotionId })
      .update({ state });
  }

  async insertApproval(approval: NewApproval, now: Date): Promise<void> {
    await this.db('promotion_approvals').insert({
      promotion_id: approval.promotionId,
      actor: approval.actor,
      decision: approval.decision,
      comment: approval.comment,
      request_id: approval.requestId,
      created_at: now,
    });
  }

  /** Oldest first. */
  async listApprovals(promotionId: string): Promise<PromotionApprovalEntry[]> {
    const rows: ApprovalRow[] = await this.db('promotion_approvals')
      .select('actor', 'decision', 'comment', 'created_at')
      .where({ promotion_id: promotionId })
      .orderBy('id');
    return rows.map(row => ({
      actor: row.actor,
      decision: row.decision as PromotionDecision,
      comment: row.comment,
      at: toIsoString(row.created_at),
    }));
  }

  async insertEvent(event: NewPromotionEvent, now: Date): Promise<void> {
    await this.db('promotion_events').insert({
      promotion_id: event.promotionId,
      event: event.event,
      from_state: event.fromState,
      to_state: event.toState,
      actor: event.actor,
      request_id: event.requestId,
      details: JSON.stringify(event.details),
      occurred_at: now,
    });
  }

  /** Oldest first. */
  async listEvents(promotionId: string): Promise<PromotionEvent[]> {
    const rows: EventRow[] = await this.db('promotion_events')
      .where({ promotion_id: promotionId })
      .orderBy('id');
    return rows.map(row => ({
      event: row.event,
      fromState: row.from_state as PromotionState | null,
      toState: row.to_state as PromotionState | null,
      actor: row.actor,
      requestId: row.request_id,
      details: JSON.parse(row.details),
      occurredAt: toIsoString(row.occurred_at),
    }));
  }

  async savePullRequest(
    promotionId: string,
    record: PromotionPullRequest,
    now: Date,
  ): Promise<void> {
    const row = {
      promotion_id: promotionId,
      pull_request_id: record.id,
      state: record.state,
      record: JSON.stringify(record),
      updated_at: now,
    };
    await this.db('promotion_pull_requests')
      .insert(row)
      .onConflict('promotion_id')
      .merge();
  }

  async getPullRequest(
    promotionId: string,
  ): Promise<PromotionPullRequest | undefined> {
    const row = await this.db('promotion_pull_requests')
      .select('record')
      .where({ promotion_id: promotionId })
      .first();
    return row && JSON.parse(row.record);
  }

  /** Other promotions whose current pull request is the given one, in the given states. */
  async promotionsWithPullRequest(
    pullRequestId: string,
    states: readonly PromotionState[],
  ): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db('promotion_pull_requests')
      .join(
        'workload_promotions',
        'workload_promotions.id',
        'promotion_pull_requests.promotion_id',
      )
      .select('workload_promotions.id as id')
      .where('promotion_pull_requests.pull_request_id', pullRequestId)
      .whereIn('workload_promotions.state', [...states]);
    return rows.map(row => row.id);
  }

  /**
   * Other promotions of the same workload (entity, or bare workload name)
   * into the same target environment, in the given states.
   */
  async listSiblings(
    promotion: {
      id: string;
      entityRef: string | null;
      workloadName: string;
      targetEnvironment: string | null;
    },
    states: readonly PromotionState[],
  ): Promise<PromotionSibling[]> {
    const query = this.db('workload_promotions')
      .select('id', 'state', 'target', 'created_at')
      .where('workload_name', promotion.workloadName)
      .whereIn('state', [...states])
      .whereNot('id', promotion.id);
    whereNullable(query, 'entity_ref', promotion.entityRef);
    whereNullable(query, 'target_environment', promotion.targetEnvironment);
    const rows = await query.orderBy('created_at');
    return rows.map(row => ({
      id: row.id,
      state: row.state,
      target: JSON.parse(row.target),
      createdAt: toIsoString(row.created_at),
    }));
  }
}

function whereNullable(
  query: Knex.QueryBuilder,
  column: string,
  value: string | null,
) {
  if (value === null) query.whereNull(column);
  else query.where(column, value);
}
