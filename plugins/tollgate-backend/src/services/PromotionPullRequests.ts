import { ServiceUnavailableError } from '@backstage/errors';
import type {
  PromotionPullRequest,
  PromotionState,
} from '@tollgate/plugin-tollgate-common';
import { redactMessage } from '../gitops/redact';
import type {
  PromotionStateSink,
  PullRequestOpener,
  PullRequestRecord,
  PullRequestState,
} from '../pullRequests/types';
import type { TollgateStores } from '../stores/TollgateStores';
import type { RequestContext } from './AuditService';
import type { PromotionTransitions } from './PromotionTransitions';

const STATE_OF: Record<PullRequestState, 'pr_open' | 'merged' | 'pr_closed'> = {
  open: 'pr_open',
  merged: 'merged',
  closed: 'pr_closed',
};

/**
 * The pull-request end of the promotion flow: asks the opener for the pull
 * request of an approved promotion, and follows what the pull-request
 * service reports (pr_open, merged with its commit, pr_closed).
 */
export class PromotionPullRequests implements PromotionStateSink {
  constructor(
    private readonly stores: TollgateStores,
    private readonly transitions: PromotionTransitions,
    private readonly clock: () => Date,
    private readonly opener?: PullRequestOpener,
  ) {}

  /**
   * Opens the pull request of a just-approved promotion. On failure the
   * promotion stays approved, the failure is stored and audited, and the
   * caller gets a 503 that says so.
   */
  async open(promotionId: string, context: RequestContext): Promise<void> {
    let record: PullRequestRecord;
    try {
      if (!this.opener) {
        throw new Error(
          'no pull request service is configured in this backend',
        );
      }
      record = await this.opener.openForPromotion(promotionId, context);
    } catch (error) {
      const message = redactMessage((error as Error).message);
      await this.recordFailure(promotionId, context, message);
      throw new ServiceUnavailableError(
        `Promotion ${promotionId} is approved (the approval is kept), but its pull request could not be opened: ${message}`,
      );
    }
    await this.pullRequestChanged(record, context);
  }

  /** Idempotent: a report of the state the promotion is already in changes nothing. */
  async pullRequestChanged(
    record: PullRequestRecord,
    context: RequestContext,
  ): Promise<void> {
    const id = record.promotionId;
    await this.stores.transaction(async stores => {
      const takenOver = await this.takenOver(stores, record);
      await this.transitions.lockAll(stores, [id, ...takenOver]);
      const state = await this.transitions.lock(stores, id);
      const previous = await stores.promotionFlow.getPullRequest(id);
      await stores.promotionFlow.savePullRequest(
        id,
        toApiRecord(record),
        this.clock(),
      );
      const to = STATE_OF[record.state];
      const details = pullRequestDetails(record);
      if (state !== to) {
        await this.transitions.move(stores, id, to, context, details);
        if (to === 'pr_open') {
          await this.supersede(stores, takenOver, record, context);
        }
      } else if (previous && previous.headSha !== record.headSha) {
        await this.transitions.note(stores, id, context, {
          event: 'pr_updated',
          action: 'promotion.pr_updated',
          details,
        });
      }
    });
  }

  /** The stored pull request and, for an approved promotion, why it has none. */
  async of(
    promotionId: string,
    state: PromotionState,
  ): Promise<{
    pullRequest?: PromotionPullRequest;
    pullRequestError?: { message: string; at: string };
  }> {
    const pullRequest = await this.stores.promotionFlow.getPullRequest(
      promotionId,
    );
    if (pullRequest) return { pullRequest };
    if (state !== 'approved') return {};
    const last = (await this.stores.promotionFlow.listEvents(promotionId)).at(
      -1,
    );
    if (last?.event !== 'pr_failed') return {};
    return {
      pullRequestError: {
        message: String(last.details.error),
        at: last.occurredAt,
      },
    };
  }

  private async recordFailure(
    promotionId: string,
    context: RequestContext,
    message: string,
  ): Promise<void> {
    await this.stores.transaction(stores =>
      this.transitions.note(stores, promotionId, context, {
        event: 'pr_failed',
        action: 'promotion.pr_failed',
        details: { error: message },
      }),
    );
  }

  /**
   * The pull request of a workload and environment is updated, not
   * duplicated: older promotions whose pull request a newer one took over.
   */
  private async takenOver(
    stores: TollgateStores,
    record: PullRequestRecord,
  ): Promise<string[]> {
    const holders = await stores.promotionFlow.promotionsWithPullRequest(
      record.id,
      ['pr_open'],
    );
    return holders.filter(id => id !== record.promotionId);
  }

  private async supersede(
    stores: TollgateStores,
    ids: string[],
    record: PullRequestRecord,
    context: RequestContext,
  ): Promise<void> {
    for (const id of ids) {
      await this.transitions.move(stores, id, 'superseded', context, {
        supersededBy: record.promotionId,
        pullRequestId: record.id,
      });
    }
  }
}

function toApiRecord(record: PullRequestRecord): PromotionPullRequest {
  const { promotionId: _, ...rest } = record;
  return rest;
}

function pullRequestDetails(record: PullRequestRecord) {
  return {
    pullRequestId: record.id,
    provider: record.provider,
    url: record.url,
    ...(record.number !== undefined ? { number: record.number } : {}),
    headSha: record.headSha,
    ...(record.mergeCommitSha ? { mergeCommitSha: record.mergeCommitSha } : {}),
  };
}
