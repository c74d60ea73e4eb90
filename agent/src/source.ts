import type { ProjectedObject } from './protocol.ts';

/** Where a source reports what changed after its listing. */
export interface ChangeSink {
  upsert(object: ProjectedObject): void;
  remove(object: ProjectedObject): void;
  /** The source lost track of changes (410 Gone, files changed): a fresh snapshot is needed. */
  resyncNeeded(reason: string): void;
  /** A problem worth reporting (log, metric, heartbeat) that the source recovers from. */
  problem(context: string, error: unknown): void;
}

/** Cluster state: the Kubernetes API, or files for demos. */
export interface StateSource {
  /**
   * Every object, in pages, for a full snapshot. Once a resource is listed,
   * its later changes go to `sink` until {@link stop}.
   */
  list(sink: ChangeSink, signal: AbortSignal): AsyncIterable<ProjectedObject[]>;
  /** Stops following changes. */
  stop(): Promise<void>;
  kubernetesVersion(): Promise<string | undefined>;
}
