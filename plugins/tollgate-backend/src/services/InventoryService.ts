import { InputError, NotFoundError } from '@backstage/errors';
import {
  matchesLabels,
  parseLabelSelector,
  type ClusterObject,
  type ClusterSnapshot,
  type HelmRelease,
  type LabelRequirement,
} from '@tollgate/plugin-tollgate-common';
import type { TollgateStores } from '../stores/TollgateStores';

export interface ObjectFilter {
  kind?: string;
  namespace?: string;
  labelSelector?: string;
}

const RELEASE_NAME = 'meta.helm.sh/release-name';
const RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace';
const CHART_LABEL = 'helm.sh/chart';
const APP_VERSION_LABEL = 'app.kubernetes.io/version';

/** Reads what a cluster's agent reported: objects, snapshots, Helm releases. */
export class InventoryService {
  constructor(private readonly stores: TollgateStores) {}

  async listObjects(
    clusterId: string,
    filter: ObjectFilter,
  ): Promise<ClusterObject[]> {
    await this.requireCluster(clusterId);
    const selector = filter.labelSelector
      ? parseSelector(filter.labelSelector)
      : [];
    const objects = await this.stores.objects.list(clusterId, {
      kind: filter.kind,
      namespace: filter.namespace,
    });
    return objects.filter(o =>
      matchesLabels(selector, o.object.metadata.labels),
    );
  }

  async listSnapshots(clusterId: string): Promise<ClusterSnapshot[]> {
    await this.requireCluster(clusterId);
    return this.stores.objects.listSnapshots(clusterId);
  }

  async listHelmReleases(clusterId: string): Promise<HelmRelease[]> {
    await this.requireCluster(clusterId);
    const releases = new Map<string, HelmRelease>();
    for (const { object, kind } of await this.stores.objects.list(clusterId)) {
      const name = object.metadata.annotations?.[RELEASE_NAME];
      if (!name) continue;
      const namespace =
        object.metadata.annotations?.[RELEASE_NAMESPACE] ??
        object.metadata.namespace ??
        '';
      const key = `${namespace}/${name}`;
      const release = releases.get(key) ?? {
        name,
        namespace,
        chart: null,
        appVersion: null,
        objectCount: 0,
        kinds: [],
      };
      release.chart ??= object.metadata.labels?.[CHART_LABEL] ?? null;
      release.appVersion ??=
        object.metadata.labels?.[APP_VERSION_LABEL] ?? null;
      release.objectCount += 1;
      if (!release.kinds.includes(kind)) release.kinds.push(kind);
      releases.set(key, release);
    }
    return [...releases.values()]
      .map(r => ({ ...r, kinds: r.kinds.sort() }))
      .sort((a, b) =>
        `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
      );
  }

  private async requireCluster(clusterId: string) {
    if (!(await this.stores.clusters.get(clusterId))) {
      throw new NotFoundError(`No cluster with id '${clusterId}'`);
    }
  }
}

function parseSelector(selector: string): LabelRequirement[] {
  try {
    return parseLabelSelector(selector);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}
