import type { ProjectedObject } from './agentProtocol';

/** An object an agent reported, with when it was seen. */
export interface ClusterObject {
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  uid: string | null;
  resourceVersion: string | null;
  object: ProjectedObject;
  /** SHA-256 of the object's canonical JSON. */
  hash: string;
  firstSeenAt: string;
  lastSeenAt: string;
  deletedAt: string | null;
}

/** A full snapshot pushed by an agent. */
export interface ClusterSnapshot {
  id: string;
  clusterId: string;
  status: 'receiving' | 'complete' | 'superseded';
  objectCount: number;
  rejectedCount: number;
  startedAt: string;
  completedAt: string | null;
}

/** A Helm release as seen from the labels and annotations Helm puts on objects. */
export interface HelmRelease {
  name: string;
  namespace: string;
  /** `helm.sh/chart` label, such as `ingress-nginx-4.11.3`. */
  chart: string | null;
  appVersion: string | null;
  objectCount: number;
  kinds: string[];
}
