/**
 * Kubernetes manifests from a GitOps repository at a ref: plain folders and
 * kustomize overlays, for one side of a promotion preview.
 */
export type {
  GitManifestRequest,
  GitManifests,
  GitManifestSource,
} from './types';
export { GitManifestReader } from './GitManifestReader';
export {
  GitRepositoryCache,
  type GitRepositoryCacheOptions,
  type ResolvedCommit,
} from './GitRepositoryCache';
export { CommitTree, type TreeEntry } from './CommitTree';
export {
  KustomizeRenderer,
  type KustomizeOutput,
} from './kustomize/KustomizeRenderer';
export type { KustomizeFileSystem } from './kustomize/resources';
export { redactUrl } from './redact';
export { resolveGitOpsRepo } from './validation';
