import { InputError, NotFoundError } from '@backstage/errors';
import {
  describeWorkloadSelector,
  inferNamespace,
  selectWorkloadObjects,
  type WorkloadSelector,
} from '@tollgate/plugin-tollgate-common';
import { redactUrl } from '../gitops';
import type { GitManifestSource } from '../gitops/types';
import { hashObject, objectsFingerprint } from './fingerprints';
import type { GitLocation, LoadedSide, SideRole } from './SideLocator';

/** Reads a side from the GitOps repository at a ref. */
export class GitSideReader {
  constructor(private readonly source?: GitManifestSource) {}

  async read(
    location: GitLocation,
    selector: WorkloadSelector,
    options: { role: SideRole; allowEmpty?: boolean },
  ): Promise<LoadedSide> {
    if (!this.source) {
      throw new InputError(
        `The ${options.role} reads Git, but no Git manifest reader is configured in this backend`,
      );
    }
    const { repo, ref, path } = location;
    const manifests = await this.source.read({ repo, ref, path });
    const objects = selectWorkloadObjects(manifests.objects, selector);
    // Clone URLs may carry a token; it is never stored or shown.
    const shownRepo = redactUrl(repo);
    if (objects.length === 0 && !options.allowEmpty) {
      throw new NotFoundError(
        `No Deployment, StatefulSet or DaemonSet with ${describeWorkloadSelector(
          selector,
        )} in ${shownRepo} at ${ref}, folder ${path} (the ${options.role})`,
      );
    }
    return {
      objects,
      namespace: inferNamespace(objects),
      record: {
        type: 'git',
        environment: location.environment,
        repo: shownRepo,
        ref,
        path,
        commit: manifests.commit,
        layout: manifests.layout,
        warnings: manifests.warnings ?? [],
        object_count: objects.length,
        objects_fingerprint: objectsFingerprint(objects.map(hashObject)),
      },
    };
  }
}
