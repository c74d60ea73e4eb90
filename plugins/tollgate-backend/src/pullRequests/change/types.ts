import type { DiffResult, K8sObject } from '@tollgate/plugin-tollgate-common';
import type { GitOpsTarget } from '../types';

/** Files of the GitOps repository at the base commit. */
export interface RepoFiles {
  /** A file's text; undefined when there is no such file. */
  read(path: string): Promise<string | undefined>;
  /** Repository-relative paths of the files under a folder, recursively. */
  listFiles(folder: string): Promise<string[]>;
}

/** How a Helm values file maps the workload's fields. */
export interface HelmValuesOptions {
  /** Values file, relative to the environment's folder. Default `values.yaml`. */
  valuesFile: string;
  /** Default `image.repository`. */
  imageRepositoryPath: string;
  /** Default `image.tag`. */
  imageTagPath: string;
  /** Default `replicaCount`. */
  replicasPath: string;
  /** Container resources. Default `resources`. */
  resourcesPath: string;
}

export interface ChangeRequest {
  /** The stored preview's diff: `before` is the target now, `after` the source. */
  diff: DiffResult;
  target: GitOpsTarget;
  /** The repository at the target's base branch. */
  files: RepoFiles;
  helm?: Partial<HelmValuesOptions>;
  /**
   * The source environment's objects as written in Git, when it has a
   * GitOps folder: plain env values (never collected from clusters) are
   * taken from here. Values from Secrets are never written.
   */
  sourceObjects?: K8sObject[];
}

/** One file the change writes: `before` is null for a new file. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string;
}

export interface PromotionChange {
  /** Sorted by path; empty when the target already equals the source. */
  files: FileChange[];
  /** What Tollgate did not write and a person must do, in plain words. */
  manualSteps: string[];
}
