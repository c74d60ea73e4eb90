import { ConflictError, NotFoundError } from '@backstage/errors';
import type { PromotionState } from '@tollgate/plugin-tollgate-common';
import type { TollgateStores } from '../stores/TollgateStores';
import type { AuditService, RequestContext } from './AuditService';

/** Which states each state may move to. */
const NEXT_STATES: Record<PromotionState, readonly PromotionState[]> = {
  previewed: ['approved', 'rejected', 'superseded'],
  approved: ['pr_open', 'merged', 'pr_closed', 'rejected', 'superseded'],
  pr_open: ['merged', 'pr_closed', 'superseded'],
  // A closed pull request can be reopened.
  pr_closed: ['pr_open', 'merged'],
  merged: [],
  rejected: [],
  superseded: [],
};

/** The event stored and the audit action written for each state entered. */
const ENTERED: Record<
  Exclude<PromotionState, 'previewed'>,
  { event: string; action: string }
> = {
  approved: { event: 'approved', action: 'promotion.approve' },
  rejected: { event: 'rejected', action: 'promotion.reject' },
  superseded: { event: 'superseded', action: 'promotion.superseded' },
  pr_open: { event: 'pr_opened', action: 'promotion.pr_opened' },
  merged: { event: 'merged', action: 'promotion.merged' },
  pr_closed: { event: 'pr_closed', action: 'promotion.pr_closed' },
};

export function canMove(from: PromotionState, to: PromotionState): boolean {
  return NEXT_STATES[from].includes(to);
}

/**
 * Moves promotions between states: each move locks the promotion, checks
 * that the move is allowed, stores the new state and a `promotion_events`
 * row, and appends the audit entry, all in the caller's transaction.
 */
export class PromotionTransitions {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: () => Date,
  ) {}

  /** The promotion's state, locked until the transaction ends. */
  async lock(stores: TollgateStores, id: string): Promise<PromotionState> {
    const state = await stores.promotionFlow.lockState(id);
    if (!state) throw new NotFoundError(`No promotion with id '${id}'`);
    return state;
  }

  /**
   * Locks several promotions, in id order, before any of them moves: a
   * move also takes the audit log's append lock, and taking promotion locks
   * after it could deadlock with a concurrent approval.
   */
  async lockAll(stores: TollgateStores, ids: readonly string[]) {
    for (const id of [...ids].sort()) await this.lock(stores, id);
  }

  /** @returns the state the promotion left */
  async move(
    stores: TollgateStores,
    id: string,
    to: Exclude<PromotionState, 'previewed'>,
    context: RequestContext,
    details: Record<string, unknown> = {},
  ): Promise<PromotionState> {
    const from = await this.lock(stores, id);
    if (!canMove(from, to)) {
      throw new ConflictError(
        `Promotion ${id} is ${from} and cannot become ${to}`,
      );
    }
    await stores.promotionFlow.setState(id, to);
    await this.record(stores, id, context, {
      ...ENTERED[to],
      from,
      to,
      details,
    });
    return from;
  }

  /** Stores and audits an event that changes no state (a pull request updated or failed). */
  async note(
    stores: TollgateStores,
    id: string,
    context: RequestContext,
    event: { event: string; action: string; details: Record<string, unknown> },
  ): Promise<void> {
    const state = await this.lock(stores, id);
    await this.record(stores, id, context, { ...event, from: state, to: null });
  }

  private async record(
    stores: TollgateStores,
    id: string,
    context: RequestContext,
    event: {
      event: string;
      action: string;
      from: PromotionState;
      to: PromotionState | null;
      details: Record<string, unknown>;
    },
  ): Promise<void> {
    await stores.promotionFlow.insertEvent(
      {
        promotionId: id,
        event: event.event,
        fromState: event.from,
        toState: event.to,
        actor: context.actor,
        requestId: context.requestId,
        details: event.details,
      },
      this.clock(),
    );
    await this.audit.record(stores, context, {
      action: event.action,
      targetType: 'promotion',
      targetId: id,
      details: {
        ...event.details,
        from: event.from,
        ...(event.to ? { to: event.to } : {}),
      },
    });
  }
}
