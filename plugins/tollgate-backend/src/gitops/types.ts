import type { K8sObject } from '@tollgate/plugin-tollgate-common';

/** Where one side of a preview lives in a GitOps repository. */
export interface GitManifestRequest {
  /** Clone URL (https://, ssh, file://) or a local path to a repository. */
  repo: string;
  /** Branch, tag or commit SHA. */
  ref: string;
  /** Folder inside the repository: plain YAML, a kustomize overlay, or rendered Helm output. */
  path: string;
}

/** The manifests found at a Git ref, rendered when the folder is a kustomization. */
export interface GitManifests {
  objects: K8sObject[];
  /** The commit SHA the ref resolved to, so a preview can tell when its input moved. */
  commit: string;
  /** How the folder was read. */
  layout: 'plain' | 'kustomize';
  /** Repository-relative files that contributed objects, sorted. */
  files: string[];
  /**
   * Input that was read but not rendered (kustomize fields Tollgate does not
   * support, env-file lines without a value), so a preview can say so.
   */
  warnings?: string[];
}

/** Reads Kubernetes manifests from a Git repository at a ref. */
export interface GitManifestSource {
  read(request: GitManifestRequest): Promise<GitManifests>;
}
