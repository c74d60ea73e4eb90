import { NotFoundError } from '@backstage/errors';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import type { TreeEntry } from './CommitTree';
import {
  GitRepositoryCache,
  GitRepositoryCacheOptions,
  ResolvedCommit,
} from './GitRepositoryCache';
import { findKustomizationFile } from './kustomize/kustomization';
import { KustomizeRenderer } from './kustomize/KustomizeRenderer';
import {
  kubernetesObjects,
  MANIFEST_EXTENSIONS,
  parseYamlDocuments,
} from './manifests';
import { sortObjects } from './ordering';
import { treeFileSystem } from './treeFileSystem';
import type {
  GitManifestRequest,
  GitManifests,
  GitManifestSource,
} from './types';
import { normalizeRepoPath } from './validation';

/**
 * Reads the Kubernetes manifests of one side of a promotion preview from a
 * GitOps repository at a ref: a kustomization is rendered, any other folder
 * is read as plain YAML/JSON manifests (recursively), a single file as is.
 */
export class GitManifestReader implements GitManifestSource {
  constructor(private readonly repositories: GitRepositoryCache) {}

  static create(options: GitRepositoryCacheOptions): GitManifestReader {
    return new GitManifestReader(new GitRepositoryCache(options));
  }

  async read(request: GitManifestRequest): Promise<GitManifests> {
    const path = normalizeRepoPath(request.path);
    const resolved = await this.repositories.resolve(request.repo, request.ref);
    const entry = await resolved.tree.stat(path);
    if (!entry || entry.type === 'commit') {
      throw new NotFoundError(
        `Path ${JSON.stringify(path || '.')} does not exist at ${
          request.ref
        } (${resolved.commit}) in ${resolved.displayUrl}`,
      );
    }
    if (entry.type === 'blob') {
      return this.readPlain(resolved, [entry]);
    }
    const files = treeFileSystem(resolved.tree);
    if (await findKustomizationFile(files, path)) {
      const output = await KustomizeRenderer.render(files, path);
      return { ...output, commit: resolved.commit, layout: 'kustomize' };
    }
    const manifests = (await resolved.tree.listFilesRecursive(path)).filter(
      file => MANIFEST_EXTENSIONS.test(file.path),
    );
    return this.readPlain(resolved, manifests);
  }

  private async readPlain(
    resolved: ResolvedCommit,
    entries: TreeEntry[],
  ): Promise<GitManifests> {
    const contents = await resolved.tree.readMany(entries);
    const objects: K8sObject[] = [];
    const files: string[] = [];
    for (const entry of [...entries].sort(byPath)) {
      const text = contents.get(entry.path)?.toString('utf8') ?? '';
      const found = kubernetesObjects(parseYamlDocuments(text, entry.path));
      if (found.length === 0) continue;
      objects.push(...found);
      files.push(entry.path);
    }
    return {
      objects: sortObjects(objects),
      commit: resolved.commit,
      layout: 'plain',
      files,
      warnings: [],
    };
  }
}

function byPath(a: TreeEntry, b: TreeEntry): number {
  if (a.path === b.path) return 0;
  return a.path < b.path ? -1 : 1;
}
