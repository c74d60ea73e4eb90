import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ENVIRONMENTS_ANNOTATION,
  findEnvironment,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_ANNOTATION,
  gitOpsPathFor,
  type Cluster,
  type K8sObject,
  type PreviewContext,
  type PromotionSide,
  type PromotionSideRequest,
  type TollgateAnnotations,
  type WorkloadSelector,
} from '@tollgate/plugin-tollgate-common';
import { resolveGitOpsRepo } from '../gitops';
import type { TollgateStores } from '../stores/TollgateStores';

export type SideRole = 'source' | 'target';

/** What is promoted: a catalog entity's workload, or a bare workload. */
export interface PromotionSubject {
  entityRef: string | null;
  selector: WorkloadSelector;
  /** Present when the subject is a catalog entity. */
  annotations?: TollgateAnnotations;
}

export interface ClusterLocation {
  type: 'cluster';
  environment: string | null;
  cluster: Cluster;
  namespace: string;
}

export interface GitLocation {
  type: 'git';
  environment: string | null;
  repo: string;
  ref: string;
  path: string;
  /** Where the environment runs, when known: the target's context comes from there. */
  runsOn?: { cluster: Cluster; namespace: string };
}

export type SideLocation = ClusterLocation | GitLocation;

/** One side of a preview: the workload's objects and where they came from. */
export interface LoadedSide {
  objects: K8sObject[];
  namespace?: string;
  record: PromotionSide;
}

/** The target's surroundings for cost and risk, and a fingerprint of them. */
export interface LoadedContext {
  context: PreviewContext;
  fingerprint: string;
}

/** Turns a side of a preview request into a cluster namespace or a Git folder. */
export class SideLocator {
  /**
   * @param allowedRepos - repositories a request may name in `git.repo`
   * besides the entity's own `tollgate.io/gitops-repo`; the backend reads
   * any location it is given (local paths included), so requests may not
   * pick arbitrary ones.
   * @param localRoot - what a relative repository path (the demo's) is relative to
   */
  constructor(
    private readonly stores: TollgateStores,
    private readonly allowedRepos: readonly string[] = [],
    private readonly localRoot?: string,
  ) {}

  async locate(
    side: PromotionSideRequest,
    subject: PromotionSubject,
    role: SideRole,
  ): Promise<SideLocation> {
    if (side.git) return this.locateGit(side.git, subject, role);
    if (side.environment)
      return this.locateEnvironment(side.environment, subject, role);
    return {
      type: 'cluster',
      environment: null,
      cluster: await this.clusterNamed(side.cluster!),
      namespace: side.namespace!,
    };
  }

  private async locateEnvironment(
    name: string,
    subject: PromotionSubject,
    role: SideRole,
  ): Promise<ClusterLocation> {
    const annotations = requireAnnotations(
      subject,
      role,
      `environment '${name}'`,
    );
    const environment = findEnvironment(annotations, name);
    const cluster = await this.findCluster(environment.cluster);
    if (!cluster) {
      throw new NotFoundError(
        `Environment '${name}' runs on cluster '${environment.cluster}' (${ENVIRONMENTS_ANNOTATION}), which is not registered with Tollgate`,
      );
    }
    return {
      type: 'cluster',
      environment: name,
      cluster,
      namespace: environment.namespace,
    };
  }

  private async locateGit(
    git: NonNullable<PromotionSideRequest['git']>,
    subject: PromotionSubject,
    role: SideRole,
  ): Promise<GitLocation> {
    const gitops = subject.annotations?.gitops;
    const entity = subject.entityRef ?? 'the workload';
    const repo = git.repo ?? gitops?.repo;
    if (
      git.repo &&
      git.repo !== gitops?.repo &&
      !this.allowedRepos.includes(git.repo)
    ) {
      throw new NotAllowedError(
        `The ${role}'s repository is neither ${entity}'s ${GITOPS_REPO_ANNOTATION} nor listed in tollgate.gitops.allowedRepos`,
      );
    }
    if (!repo) {
      throw new InputError(
        `The ${role}'s Git side needs a repository: add the ${GITOPS_REPO_ANNOTATION} annotation to ${entity}, or give ${role}.git.repo`,
      );
    }
    const environment = git.environment ?? null;
    let path = git.path;
    if (!path) {
      if (!gitops) {
        throw new InputError(
          `The ${role}'s Git side needs a folder: add the ${GITOPS_PATH_ANNOTATION} annotation to ${entity}, or give ${role}.git.path`,
        );
      }
      path = gitOpsPathFor(gitops, environment!);
    }
    return {
      type: 'git',
      environment,
      repo: resolveGitOpsRepo(repo, this.localRoot),
      ref: git.ref,
      path,
      ...(environment
        ? await this.whereEnvironmentRuns(environment, subject)
        : {}),
    };
  }

  /** The cluster of a declared environment, if it is registered. */
  private async whereEnvironmentRuns(
    name: string,
    subject: PromotionSubject,
  ): Promise<Pick<GitLocation, 'runsOn'>> {
    const annotations = subject.annotations;
    if (!annotations || annotations.environments.length === 0) return {};
    const environment = findEnvironment(annotations, name);
    const cluster = await this.findCluster(environment.cluster);
    return cluster
      ? { runsOn: { cluster, namespace: environment.namespace } }
      : {};
  }

  private async clusterNamed(nameOrId: string): Promise<Cluster> {
    const cluster = await this.findCluster(nameOrId);
    if (!cluster) {
      throw new NotFoundError(`No cluster named or with id '${nameOrId}'`);
    }
    return cluster;
  }

  private async findCluster(nameOrId: string): Promise<Cluster | undefined> {
    return (
      (await this.stores.clusters.getByName(nameOrId)) ??
      (await this.stores.clusters.get(nameOrId))
    );
  }
}

function requireAnnotations(
  subject: PromotionSubject,
  role: SideRole,
  what: string,
): TollgateAnnotations {
  if (!subject.annotations) {
    throw new InputError(
      `The ${role} names ${what}, which needs an entityRef whose ${ENVIRONMENTS_ANNOTATION} annotation declares it; without an entity give a cluster and namespace or a Git path`,
    );
  }
  return subject.annotations;
}
