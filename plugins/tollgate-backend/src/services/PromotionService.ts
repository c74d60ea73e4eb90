import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  computePreview,
  type PreviewOptions,
  type PreviewResult,
  type PromotionCost,
  type PromotionExplanation,
  type PromotionList,
  type PromotionListItem,
  type PromotionListQuery,
  type PromotionPreview,
  type PromotionPreviewRequest,
  type PromotionRisk,
  type DiffResult,
} from '@tollgate/plugin-tollgate-common';
import {
  buildFacts,
  identifiersOf,
  type ExplanationService,
} from '../explainer';
import type { GitManifestSource } from '../gitops/types';
import type { PermissionFilter } from '../permissions/resources';
import type { NewPromotion } from '../stores/PromotionStore';
import type { TollgateStores } from '../stores/TollgateStores';
import type { AuditService, RequestContext } from './AuditService';
import { ClusterSideReader } from './ClusterSideReader';
import { valueFingerprint } from './fingerprints';
import { GitSideReader } from './GitSideReader';
import {
  normalizeEntityRef,
  PromotionSubjects,
  type EntityCatalog,
} from './PromotionSubjects';
import {
  SideLocator,
  type LoadedContext,
  type LoadedSide,
  type PromotionSubject,
  type SideLocation,
  type SideRole,
} from './SideLocator';

export interface PromotionServiceOptions {
  stores: TollgateStores;
  audit: AuditService;
  catalog: EntityCatalog;
  explainer: ExplanationService;
  /** Engine options from configuration (ignore rules, prices, risk rules). */
  previewOptions: PreviewOptions;
  /** Reads Git sides; without it, Git sides are refused. */
  git?: GitManifestSource;
  /** Repositories a request may name besides the entity's own. */
  allowedGitRepos?: string[];
  /** What a relative `tollgate.io/gitops-repo` path is relative to (tollgate.gitops.localRoot). */
  gitOpsLocalRoot?: string;
  clock?: () => Date;
}

/** Who asks: for the audit log and for the catalog. */
export interface Caller {
  context: RequestContext;
  credentials: BackstageCredentials;
}

type RequestOptions = NonNullable<PromotionPreviewRequest['options']>;

/**
 * Previews promotions: loads both sides, runs the engine, explains the
 * result and stores it all in one audited transaction. Also reads stored
 * promotions back.
 */
export class PromotionService {
  private readonly stores: TollgateStores;
  private readonly subjects: PromotionSubjects;
  private readonly locator: SideLocator;
  private readonly clusterReader: ClusterSideReader;
  private readonly gitReader: GitSideReader;
  private readonly clock: () => Date;

  constructor(private readonly options: PromotionServiceOptions) {
    this.stores = options.stores;
    this.subjects = new PromotionSubjects(options.catalog);
    this.locator = new SideLocator(
      options.stores,
      options.allowedGitRepos ?? [],
      options.gitOpsLocalRoot,
    );
    this.clusterReader = new ClusterSideReader(options.stores);
    this.gitReader = new GitSideReader(options.git);
    this.clock = options.clock ?? (() => new Date());
  }

  async preview(
    request: PromotionPreviewRequest,
    caller: Caller,
  ): Promise<PromotionPreview> {
    const subject = await this.subjects.resolve(request, caller.credentials);
    const [sourceLocation, targetLocation] = await Promise.all([
      this.locator.locate(request.source, subject, 'source'),
      this.locator.locate(request.target, subject, 'target'),
    ]);
    const allowNewTarget = request.options?.allowNewTarget ?? false;
    const [source, target] = await Promise.all([
      this.readSide(sourceLocation, subject, 'source', false),
      this.readSide(targetLocation, subject, 'target', allowNewTarget),
    ]);
    const result = computePreview({
      source: {
        objects: source.side.objects,
        namespace: source.side.namespace,
      },
      target: {
        objects: target.side.objects,
        namespace: target.side.namespace,
      },
      context: target.context?.context,
      options: this.engineOptions(request.options),
    });
    const promotion: NewPromotion = {
      id: randomUUID(),
      entityRef: subject.entityRef,
      workload: {
        name: subject.selector.name,
        label_selector: subject.selector.labelSelector ?? null,
      },
      source: source.side.record,
      target: target.side.record,
      inputsFingerprint: valueFingerprint({
        source: source.side.record.objects_fingerprint,
        target: target.side.record.objects_fingerprint,
        context: target.context?.fingerprint ?? null,
        options: request.options ?? null,
      }),
      createdBy: caller.context.actor,
      preview: result,
    };
    await this.explainAndStore(
      promotion,
      result,
      [source.side, target.side],
      caller,
    );
    return this.get(promotion.id);
  }

  /** `allowed`: the conditions of the caller's permission, when it has some. */
  async list(
    query: PromotionListQuery,
    allowed?: PermissionFilter,
  ): Promise<PromotionList> {
    const { limit, offset, ...filter } = query;
    const page = await this.stores.promotions.list(
      {
        ...filter,
        ...(filter.entityRef
          ? { entityRef: normalizeEntityRef(filter.entityRef) }
          : {}),
      },
      { limit, offset },
      allowed,
    );
    return { ...page, limit, offset };
  }

  async get(id: string): Promise<PromotionPreview> {
    const promotion = await this.require(id);
    const { estimated_cost: _, ...rest } = promotion;
    return {
      ...rest,
      diff: await this.getDiff(id),
      estimated_cost: await this.getCost(id),
      risks: await this.stores.promotions.getRisks(id),
      explanation: await this.getExplanation(id),
    };
  }

  async getDiff(id: string): Promise<DiffResult> {
    return found(id, await this.stores.promotions.getDiff(id));
  }

  async getCost(id: string): Promise<PromotionCost> {
    return found(id, await this.stores.promotions.getCost(id));
  }

  async getRisk(id: string): Promise<PromotionRisk> {
    const promotion = await this.require(id);
    return {
      risk_level: promotion.risk_level,
      risk_score: promotion.risk_score,
      risks: await this.stores.promotions.getRisks(id),
    };
  }

  async getExplanation(id: string): Promise<PromotionExplanation> {
    return found(id, await this.stores.explanations.latestFor(id));
  }

  /** The promotion without its parts: what permission conditions look at. */
  getListItem(id: string): Promise<PromotionListItem> {
    return this.require(id);
  }

  private async require(id: string) {
    return found(id, await this.stores.promotions.get(id));
  }

  private async readSide(
    location: SideLocation,
    subject: PromotionSubject,
    role: SideRole,
    allowEmpty: boolean,
  ): Promise<{ side: LoadedSide; context?: LoadedContext }> {
    const withContext = role === 'target';
    if (location.type === 'cluster') {
      return this.clusterReader.read(location, subject.selector, {
        role,
        withContext,
        allowEmpty,
      });
    }
    const side = await this.gitReader.read(location, subject.selector, {
      role,
      allowEmpty,
    });
    const runsOn = location.runsOn;
    if (!runsOn) return { side };
    const namespaced = {
      ...side,
      namespace: side.namespace ?? runsOn.namespace,
    };
    if (!withContext) return { side: namespaced };
    const context = await this.clusterReader.readContext(
      runsOn.cluster,
      runsOn.namespace,
      subject.selector,
    );
    return { side: namespaced, context };
  }

  /** Configured options, with the request's diff options on top. */
  private engineOptions(request: RequestOptions = {}): PreviewOptions {
    const configured = this.options.previewOptions;
    return {
      ...configured,
      ignore: [...(configured.ignore ?? []), ...(request.ignore ?? [])],
      keepDefaults: request.keepDefaults ?? configured.keepDefaults,
      renameThreshold: request.renameThreshold ?? configured.renameThreshold,
    };
  }

  /** Explains, then writes the promotion, its explanation and audit entry at once. */
  private async explainAndStore(
    promotion: NewPromotion,
    result: PreviewResult,
    sides: LoadedSide[],
    caller: Caller,
  ): Promise<void> {
    const factsInput = {
      workload: promotion.workload.name,
      source: promotion.source,
      target: promotion.target,
      result,
      objects: sides.flatMap(side => side.objects),
    };
    const explanation = await this.options.explainer.explain({
      facts: buildFacts(factsInput),
      identifiers: identifiersOf(factsInput),
    });
    await this.stores.transaction(async stores => {
      const now = this.clock();
      await stores.promotions.insert(promotion, now);
      await stores.explanations.insert(promotion.id, explanation, now);
      await this.options.audit.record(stores, caller.context, {
        action: 'promotion.preview',
        targetType: 'promotion',
        targetId: promotion.id,
        details: auditDetails(promotion, explanation.generator),
      });
    });
  }
}

function auditDetails(promotion: NewPromotion, explainedBy: string) {
  const { summary } = promotion.preview;
  return {
    entityRef: promotion.entityRef,
    workload: promotion.workload.name,
    source: promotion.source,
    target: promotion.target,
    riskLevel: summary.riskLevel,
    costDelta: summary.deltaMonthly,
    inputsFingerprint: promotion.inputsFingerprint,
    explainedBy,
  };
}

function found<T>(id: string, value: T | undefined): T {
  if (value === undefined) {
    throw new NotFoundError(`No promotion with id '${id}'`);
  }
  return value;
}
