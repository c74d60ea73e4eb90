import { NotFoundError } from '@backstage/errors';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import type {
  GitManifestRequest,
  GitManifests,
  GitManifestSource,
} from '../../gitops/types';

/** A folder at a ref: its objects and the commit the ref resolves to. */
export interface MemoryFolder {
  repo: string;
  ref: string;
  path: string;
  commit: string;
  objects: K8sObject[];
}

/** A GitManifestSource over folders held in memory; remembers every request. */
export class MemoryGitManifests implements GitManifestSource {
  readonly requests: GitManifestRequest[] = [];

  constructor(private readonly folders: MemoryFolder[]) {}

  async read(request: GitManifestRequest): Promise<GitManifests> {
    this.requests.push(request);
    const folder = this.folders.find(
      f =>
        f.repo === request.repo &&
        f.ref === request.ref &&
        f.path === request.path,
    );
    if (!folder) {
      throw new NotFoundError(
        `Path ${request.path} does not exist at ${request.ref} in ${request.repo}`,
      );
    }
    return {
      objects: structuredClone(folder.objects),
      commit: folder.commit,
      layout: 'plain',
      files: [`${folder.path}/manifests.yaml`],
    };
  }
}
