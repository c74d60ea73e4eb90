import { randomUUID } from 'node:crypto';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  K8sObject,
  PromotionPreview,
} from '@tollgate/plugin-tollgate-common';
import type { GitManifestSource } from '../gitops/types';
import { redactUrl } from '../gitops/redact';
import type { AuditService, RequestContext } from '../services/AuditService';
import type { TollgateStores } from '../stores/TollgateStores';
import type { PermissionFilter } from '../permissions/resources';
import { buildPromotionChange, type PromotionChange } from './change';
import { WorkTree, type CommitAuthor } from './git/WorkTree';
import type { PromotionTarget } from './GitOpsTargets';
import { previewLink } from './previewLink';
import { pullRequestBody } from './providers/body';
import {
  branchName,
  pullRequestLabels,
  pullRequestTitle,
  type PromotionNaming,
} from './providers/conventions';
import type { ProviderRegistry } from './providers/ProviderRegistry';
import type {
  PullRequestContent,
  PullRequestProvider,
  PullRequestStatus,
} from './providers/types';
import type { StoredPullRequest } from './PullRequestStore';
import type {
  PromotionStateSink,
  PullRequestOpener,
  PullRequestRecord,
  PullRequestState,
} from './types';

export interface PullRequestServiceOptions {
  stores: TollgateStores;
  audit: AuditService;
  promotions: { get(id: string): Promise<PromotionPreview> };
  targets: {
    forPromotion(promotion: PromotionPreview): Promise<PromotionTarget>;
  };
  providers: ProviderRegistry;
  /** Reads the source environment's folder for values clusters never report. */
  manifests?: GitManifestSource;
  /** The portal's base URL, for the link back to the preview. */
  appBaseUrl: string;
  author: CommitAuthor;
  /** Where throw-away clones go; the OS temp folder by default. */
  workRoot?: string;
  clock?: () => Date;
}

/** `GET /v1/promotions/:id/change`: the files a promotion's pull request changes. */
export interface PromotionChangeView {
  promotionId: string;
  repo: string;
  baseBranch: string;
  /** The base commit the change was computed on. */
  baseCommit: string;
  headBranch: string;
  title: string;
  body: string;
  labels: string[];
  /** Repository-relative files with their new content; `previous` is null for a new file. */
  files: { path: string; content: string; previous: string | null }[];
  manualSteps: string[];
}

interface Plan {
  promotion: PromotionPreview;
  location: PromotionTarget;
  provider: PullRequestProvider;
  naming: PromotionNaming;
  content: Pick<PullRequestContent, 'baseBranch' | 'headBranch'>;
}

/** A state change a webhook reported. */
export interface ReportedChange {
  provider: string;
  /** Repository as the host names it, e.g. `github.com/acme/gitops`. */
  repo: string;
  number: number;
  status: PullRequestStatus;
}

/**
 * Opens the pull request of an approved promotion, or updates the open one
 * of the same workload and environment: the change is computed again on
 * the base branch as it is now and force-pushed to the same branch. Tracks
 * pull request state (poll and webhooks) and tells the promotion flow.
 */
export class PullRequestService implements PullRequestOpener {
  private sink?: PromotionStateSink;
  private readonly inFlight = new Map<string, Promise<PullRequestRecord>>();
  private readonly clock: () => Date;

  constructor(private readonly options: PullRequestServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Who hears about state changes: the promotion flow. */
  connect(sink: PromotionStateSink): void {
    this.sink = sink;
  }

  async openForPromotion(
    promotionId: string,
    context: RequestContext,
  ): Promise<PullRequestRecord> {
    const plan = await this.plan(promotionId);
    // One at a time per workload and environment, so two approvals at once
    // update one pull request instead of opening two.
    const key = `${plan.naming.subject}\u0000${plan.naming.targetEnvironment}`;
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const opening = previous
      .catch(() => undefined)
      .then(() => this.openOrUpdate(plan, context));
    this.inFlight.set(key, opening);
    try {
      return await opening;
    } finally {
      if (this.inFlight.get(key) === opening) this.inFlight.delete(key);
    }
  }

  private async openOrUpdate(
    plan: Plan,
    context: RequestContext,
  ): Promise<PullRequestRecord> {
    const promotionId = plan.promotion.promotion_id;
    const existing = await this.openPullRequestOf(plan.naming, context);
    return this.onBase(plan, async (workTree, change) => {
      const content = this.contentOf(plan, change);
      const { provider, location } = plan;
      const headSha = await workTree.commit(
        change.files,
        provider.bodyInCommitMessage
          ? `${content.title}\n\n${content.body}`
          : commitMessage(plan.naming, plan.promotion),
        this.options.author,
      );
      await workTree.forcePush(plan.content.headBranch);
      const repo = location.target.repo;
      const hosted = existing
        ? await provider.update(repo, existing, content)
        : await provider.create(repo, content);
      const now = this.clock().toISOString();
      const record: StoredPullRequest = {
        id: existing?.id ?? randomUUID(),
        promotionId,
        subject: plan.naming.subject,
        environment: plan.naming.targetEnvironment,
        provider: provider.name,
        repo: redactUrl(repo),
        baseBranch: content.baseBranch,
        headBranch: content.headBranch,
        ...(hosted.number !== undefined ? { number: hosted.number } : {}),
        url: hosted.url,
        state: 'open',
        headSha,
        files: change.files.map(file => file.path),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.save(record, existing ? 'update' : 'open', context);
      return publicRecord(record);
    });
  }

  /**
   * The change a pull request would carry, computed on the base branch as
   * it is now, without pushing anything: for Scaffolder templates that
   * publish it with Backstage's own actions.
   */
  async describeChange(promotionId: string): Promise<PromotionChangeView> {
    const plan = await this.plan(promotionId);
    return this.onBase(plan, async (_workTree, change, baseCommit) => {
      const content = this.contentOf(plan, change);
      return {
        promotionId,
        repo: redactUrl(plan.location.target.repo),
        baseBranch: content.baseBranch,
        baseCommit,
        headBranch: content.headBranch,
        title: content.title,
        body: content.body,
        labels: content.labels,
        files: change.files.map(file => ({
          path: file.path,
          content: file.after,
          previous: file.before,
        })),
        manualSteps: change.manualSteps,
      };
    });
  }

  /** What a promotion's pull request is: target, provider and naming. */
  private async plan(promotionId: string): Promise<Plan> {
    const promotion = await this.options.promotions.get(promotionId);
    const location = await this.options.targets.forPromotion(promotion);
    const { target } = location;
    const provider = this.options.providers.for(target.repo, location.provider);
    const naming = namingOf(promotion);
    return {
      promotion,
      location,
      provider,
      naming,
      content: { baseBranch: target.branch, headBranch: branchName(naming) },
    };
  }

  /** Runs work on a fresh clone of the base branch with the change computed there. */
  private async onBase<T>(
    plan: Plan,
    work: (
      workTree: WorkTree,
      change: PromotionChange,
      baseCommit: string,
    ) => Promise<T>,
  ): Promise<T> {
    const workTree = await WorkTree.create(
      await plan.provider.remote(plan.location.target.repo),
      this.options.workRoot,
    );
    try {
      const baseCommit = await workTree.checkoutBranch(
        plan.location.target.branch,
      );
      const change = await this.changeFor(
        plan.promotion,
        plan.location,
        workTree,
      );
      return await work(workTree, change, baseCommit);
    } finally {
      await workTree.dispose();
    }
  }

  private contentOf(plan: Plan, change: PromotionChange): PullRequestContent {
    const { promotion, naming } = plan;
    return {
      ...plan.content,
      title: pullRequestTitle(naming),
      body: pullRequestBody({
        preview: promotion,
        files: change.files,
        manualSteps: change.manualSteps,
        previewUrl: previewLink(
          this.options.appBaseUrl,
          promotion.promotion_id,
          promotion.entity_ref,
        ),
      }),
      labels: pullRequestLabels(naming),
    };
  }

  async forPromotion(promotionId: string): Promise<PullRequestRecord> {
    const record = await this.options.stores.pullRequests.findByPromotion(
      promotionId,
    );
    if (!record) {
      throw new NotFoundError(`Promotion ${promotionId} has no pull request`);
    }
    return publicRecord(record);
  }

  async list(
    query: { state?: PullRequestState; limit: number; offset: number },
    allowed?: PermissionFilter,
  ) {
    const page = await this.options.stores.pullRequests.list(query, allowed);
    return {
      ...page,
      items: page.items.map(publicRecord),
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** Asks each open pull request's host for its state; returns how many changed. */
  async poll(context: RequestContext): Promise<number> {
    let changed = 0;
    const { items } = await this.options.stores.pullRequests.list({
      state: 'open',
      limit: 1000,
      offset: 0,
    });
    for (const record of items) {
      if (await this.refresh(record, context)) changed += 1;
    }
    return changed;
  }

  /** Applies a state a webhook reported; unknown pull requests are ignored. */
  async report(
    change: ReportedChange,
    context: RequestContext,
  ): Promise<number> {
    const records = await this.options.stores.pullRequests.findByNumber(
      change.provider,
      change.number,
      change.repo,
    );
    for (const record of records) {
      await this.applyStatus(record, change.status, context);
    }
    return records.length;
  }

  /** The record after asking its host, or undefined when nothing changed. */
  private async refresh(
    record: StoredPullRequest,
    context: RequestContext,
  ): Promise<StoredPullRequest | undefined> {
    const provider = this.providerOf(record);
    const status = await provider.status(record.repo, record);
    return this.applyStatus(record, status, context);
  }

  private async applyStatus(
    record: StoredPullRequest,
    status: PullRequestStatus,
    context: RequestContext,
  ): Promise<StoredPullRequest | undefined> {
    if (status.state === record.state) return undefined;
    const updated: StoredPullRequest = {
      ...record,
      state: status.state,
      ...(status.mergeCommitSha
        ? { mergeCommitSha: status.mergeCommitSha }
        : {}),
      updatedAt: this.clock().toISOString(),
    };
    await this.save(
      updated,
      status.state === 'open' ? 'reopen' : status.state,
      context,
    );
    await this.sink?.pullRequestChanged(publicRecord(updated), context);
    return updated;
  }

  /** The open pull request of the workload and environment, checked with its host. */
  private async openPullRequestOf(
    naming: PromotionNaming,
    context: RequestContext,
  ): Promise<StoredPullRequest | undefined> {
    const stored = await this.options.stores.pullRequests.findOpen(
      naming.subject,
      naming.targetEnvironment,
    );
    if (!stored) return undefined;
    const changed = await this.refresh(stored, context);
    return changed ? undefined : stored;
  }

  private async changeFor(
    promotion: PromotionPreview,
    location: PromotionTarget,
    workTree: WorkTree,
  ): Promise<PromotionChange> {
    const change = await buildPromotionChange({
      diff: promotion.diff,
      target: location.target,
      files: workTree.files(),
      helm: location.helm,
      sourceObjects: await this.sourceObjects(location),
    });
    if (change.files.length === 0) {
      throw new InputError(
        `Nothing to promote: ${location.target.path} on ${location.target.branch} already says what the preview's source runs`,
      );
    }
    return change;
  }

  /** The source environment's objects in Git, if it has a folder there. */
  private async sourceObjects(
    location: PromotionTarget,
  ): Promise<K8sObject[] | undefined> {
    const { manifests } = this.options;
    if (!manifests || !location.sourcePath) return undefined;
    try {
      const { repo, branch } = location.target;
      const read = await manifests.read({
        repo,
        ref: branch,
        path: location.sourcePath,
      });
      return read.objects;
    } catch {
      // Without the source's folder, redacted values become manual steps.
      return undefined;
    }
  }

  private providerOf(record: StoredPullRequest): PullRequestProvider {
    const provider = this.options.providers.get(record.provider);
    if (!provider) {
      throw new InputError(
        `Pull request provider '${record.provider}' is not configured`,
      );
    }
    return provider;
  }

  private async save(
    record: StoredPullRequest,
    event: 'open' | 'update' | 'reopen' | 'merged' | 'closed',
    context: RequestContext,
  ): Promise<void> {
    await this.options.stores.transaction(async stores => {
      if (event === 'open') await stores.pullRequests.insert(record);
      else await stores.pullRequests.update(record);
      await this.options.audit.record(stores, context, {
        action: `pull_request.${event}`,
        targetType: 'pull_request',
        targetId: record.id,
        details: auditDetails(record),
      });
    });
  }
}

function namingOf(promotion: PromotionPreview): PromotionNaming {
  return {
    subject: promotion.entity_ref ?? promotion.workload.name,
    workload: promotion.workload.name,
    sourceEnvironment: promotion.source.environment,
    targetEnvironment: promotion.target.environment!,
    riskLevel: promotion.risk_level,
  };
}

function commitMessage(naming: PromotionNaming, promotion: PromotionPreview) {
  return `${pullRequestTitle(naming)}\n\nTollgate promotion ${
    promotion.promotion_id
  }\nCost: ${promotion.estimated_cost.text}\nRisk: ${promotion.risk_level}\n`;
}

function publicRecord(record: StoredPullRequest): PullRequestRecord {
  const { subject: _subject, environment: _environment, ...rest } = record;
  return rest;
}

function auditDetails(record: StoredPullRequest) {
  return {
    promotionId: record.promotionId,
    provider: record.provider,
    repo: record.repo,
    baseBranch: record.baseBranch,
    headBranch: record.headBranch,
    ...(record.number !== undefined ? { number: record.number } : {}),
    url: record.url,
    state: record.state,
    headSha: record.headSha,
    ...(record.mergeCommitSha ? { mergeCommitSha: record.mergeCommitSha } : {}),
    files: record.files,
  };
}
