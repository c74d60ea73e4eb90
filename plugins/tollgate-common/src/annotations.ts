import { parseLabelSelector } from './labelSelector';

/**
 * Catalog annotations that tie a Component to its Kubernetes workload, its
 * environments and its GitOps folders. A complete example:
 *
 * ```yaml
 * metadata:
 *   annotations:
 *     backstage.io/kubernetes-id: checkout-api
 *     tollgate.io/environments: staging=demo-staging/shop, production=demo-production/shop
 *     tollgate.io/gitops-repo: https://github.com/acme/gitops
 *     tollgate.io/gitops-path: apps/checkout-api/overlays/{env}
 *     tollgate.io/gitops-branch: main
 * ```
 */

/**
 * The workload's name, as Backstage's Kubernetes plugin reads it: objects
 * labelled `app.kubernetes.io/name=<id>` or `backstage.io/kubernetes-id=<id>`,
 * or named `<id>`.
 */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** A label selector for the workload; when present it wins over the id. */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/**
 * Environments in promotion order, each `<environment>=<cluster>/<namespace>`,
 * comma-separated: `staging=demo-staging/shop, production=demo-production/shop`.
 */
export const ENVIRONMENTS_ANNOTATION = 'tollgate.io/environments';
/** The GitOps repository: a clone URL or a local path. */
export const GITOPS_REPO_ANNOTATION = 'tollgate.io/gitops-repo';
/** Folder of each environment in the GitOps repository; `{env}` is replaced. */
export const GITOPS_PATH_ANNOTATION = 'tollgate.io/gitops-path';
/** Branch of the GitOps repository; `main` when absent. */
export const GITOPS_BRANCH_ANNOTATION = 'tollgate.io/gitops-branch';

export const DEFAULT_GITOPS_BRANCH = 'main';
export const ENVIRONMENT_PLACEHOLDER = '{env}';

/** Labels that name a workload after its `backstage.io/kubernetes-id`. */
export const WORKLOAD_ID_LABELS = [
  'app.kubernetes.io/name',
  'backstage.io/kubernetes-id',
] as const;

/** How to find the workload among Kubernetes objects. */
export interface WorkloadSelector {
  /** The workload's name: the kubernetes-id, else the entity's name. */
  name: string;
  /** When set, objects are selected by these labels instead of by name. */
  labelSelector?: string;
}

/** Where one environment of the workload runs. */
export interface WorkloadEnvironment {
  name: string;
  /** Name (or id) of the cluster registered with Tollgate. */
  cluster: string;
  namespace: string;
}

export interface GitOpsLocation {
  repo: string;
  /** Folder with `{env}` for the environment's name. */
  pathTemplate: string;
  branch: string;
}

/** What the annotations say, validated. */
export interface TollgateAnnotations {
  workload: WorkloadSelector;
  /** In promotion order; empty when the annotation is absent. */
  environments: WorkloadEnvironment[];
  gitops?: GitOpsLocation;
}

/**
 * Thrown when annotations are missing or malformed; each problem names the
 * annotation and what to write. Named `InputError` so Backstage answers 400.
 */
export class TollgateAnnotationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'InputError';
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENVIRONMENT_ENTRY = /^([^=\s]+)\s*=\s*([^/\s]+)\/(\S+)$/;
const ENVIRONMENTS_EXAMPLE = `${ENVIRONMENTS_ANNOTATION}: staging=my-staging-cluster/my-namespace, production=my-production-cluster/my-namespace`;

/** True when the entity names a workload Tollgate can find. */
export function hasTollgateAnnotations(
  annotations: Record<string, string> | undefined,
): boolean {
  return Boolean(
    annotations?.[KUBERNETES_ID_ANNOTATION]?.trim() ||
      annotations?.[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim(),
  );
}

/**
 * Reads and validates an entity's Tollgate annotations. Throws a
 * {@link TollgateAnnotationError} that says which annotation to add or fix.
 */
export function parseTollgateAnnotations(
  entityName: string,
  annotations: Record<string, string> | undefined = {},
): TollgateAnnotations {
  const problems: string[] = [];
  const workload = parseWorkloadSelector(entityName, annotations, problems);
  const environments = parseEnvironments(
    annotations[ENVIRONMENTS_ANNOTATION],
    problems,
  );
  const gitops = parseGitOps(annotations, problems);
  if (problems.length > 0) throw new TollgateAnnotationError(problems);
  return { workload, environments, ...(gitops ? { gitops } : {}) };
}

/** The environment's entry, or an error that lists the declared ones. */
export function findEnvironment(
  annotations: TollgateAnnotations,
  name: string,
): WorkloadEnvironment {
  if (annotations.environments.length === 0) {
    throw new TollgateAnnotationError([
      `Environment '${name}' is not declared: add the ${ENVIRONMENTS_ANNOTATION} annotation, e.g. ${ENVIRONMENTS_EXAMPLE}`,
    ]);
  }
  const found = annotations.environments.find(e => e.name === name);
  if (!found) {
    const declared = annotations.environments.map(e => e.name).join(', ');
    throw new TollgateAnnotationError([
      `Environment '${name}' is not declared in ${ENVIRONMENTS_ANNOTATION}; declared: ${declared}`,
    ]);
  }
  return found;
}

/** The GitOps folder of an environment: `{env}` replaced by its name. */
export function gitOpsPathFor(gitops: GitOpsLocation, environment: string) {
  return gitops.pathTemplate.split(ENVIRONMENT_PLACEHOLDER).join(environment);
}

function parseWorkloadSelector(
  entityName: string,
  annotations: Record<string, string>,
  problems: string[],
): WorkloadSelector {
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  if (!id && !selector) {
    problems.push(
      `Add the ${KUBERNETES_ID_ANNOTATION} annotation (the workload's name, e.g. ${KUBERNETES_ID_ANNOTATION}: ${entityName}) or ${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`,
    );
  }
  if (selector) {
    try {
      parseLabelSelector(selector);
    } catch (error) {
      problems.push(
        `${KUBERNETES_LABEL_SELECTOR_ANNOTATION}: ${(error as Error).message}`,
      );
    }
  }
  return {
    name: id || entityName,
    ...(selector ? { labelSelector: selector } : {}),
  };
}

function parseEnvironments(
  value: string | undefined,
  problems: string[],
): WorkloadEnvironment[] {
  if (value === undefined) return [];
  const entries = value
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) {
    problems.push(
      `${ENVIRONMENTS_ANNOTATION} is empty; e.g. ${ENVIRONMENTS_EXAMPLE}`,
    );
  }
  const environments: WorkloadEnvironment[] = [];
  for (const entry of entries) {
    const environment = parseEnvironmentEntry(entry, problems);
    if (!environment) continue;
    if (environments.some(e => e.name === environment.name)) {
      problems.push(
        `${ENVIRONMENTS_ANNOTATION} declares environment '${environment.name}' twice`,
      );
      continue;
    }
    environments.push(environment);
  }
  return environments;
}

function parseEnvironmentEntry(
  entry: string,
  problems: string[],
): WorkloadEnvironment | undefined {
  const match = ENVIRONMENT_ENTRY.exec(entry);
  if (!match) {
    problems.push(
      `${ENVIRONMENTS_ANNOTATION}: '${entry}' must look like <environment>=<cluster>/<namespace>, e.g. staging=my-staging-cluster/my-namespace`,
    );
    return undefined;
  }
  const [, name, cluster, namespace] = match;
  const invalid = [
    ['environment', name],
    ['namespace', namespace],
  ].filter(([, text]) => !DNS_LABEL.test(text) || text.length > 63);
  for (const [what, text] of invalid) {
    problems.push(
      `${ENVIRONMENTS_ANNOTATION}: ${what} '${text}' in '${entry}' must be a DNS label (lowercase letters, digits and hyphens)`,
    );
  }
  return invalid.length > 0 ? undefined : { name, cluster, namespace };
}

function parseGitOps(
  annotations: Record<string, string>,
  problems: string[],
): GitOpsLocation | undefined {
  const repo = annotations[GITOPS_REPO_ANNOTATION]?.trim();
  const pathTemplate = annotations[GITOPS_PATH_ANNOTATION]?.trim();
  const branch =
    annotations[GITOPS_BRANCH_ANNOTATION]?.trim() || DEFAULT_GITOPS_BRANCH;
  if (!repo && !pathTemplate) return undefined;
  if (!repo) {
    problems.push(
      `${GITOPS_PATH_ANNOTATION} is set without ${GITOPS_REPO_ANNOTATION}: add the repository's clone URL or path`,
    );
    return undefined;
  }
  if (!pathTemplate) {
    problems.push(
      `${GITOPS_REPO_ANNOTATION} is set without ${GITOPS_PATH_ANNOTATION}: add the folder of each environment, e.g. apps/my-service/overlays/${ENVIRONMENT_PLACEHOLDER}`,
    );
    return undefined;
  }
  if (pathTemplate.split('/').includes('..') || pathTemplate.startsWith('/')) {
    problems.push(
      `${GITOPS_PATH_ANNOTATION} must be a relative folder inside the repository without '..'`,
    );
    return undefined;
  }
  return { repo, pathTemplate, branch };
}
