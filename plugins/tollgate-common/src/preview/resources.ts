import { ContainerEntry, containersOf, isLongRunning } from './kinds';
import { JsonRecord, K8sObject, numberAt, stringAt, valueAt } from './objects';
import { optionalQuantity } from './quantity';

export const GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * A container's resources in base units. A request left out while a limit
 * is set defaults to the limit (as the API server does), so `cpuRequest`
 * and `memoryRequest` are the effective requests.
 */
export interface ContainerResources {
  cpuRequest?: number;
  memoryRequest?: number;
  cpuLimit?: number;
  memoryLimit?: number;
  gpus: number;
  /** Fields whose quantity could not be parsed (left out of the numbers). */
  invalid: string[];
}

function quantityAt(
  spec: JsonRecord,
  invalid: string[],
  ...path: string[]
): number | undefined {
  try {
    return optionalQuantity(valueAt(spec, ...path));
  } catch {
    invalid.push(path.join('.'));
    return undefined;
  }
}

export function containerResources(spec: JsonRecord): ContainerResources {
  const invalid: string[] = [];
  const cpuLimit = quantityAt(spec, invalid, 'resources', 'limits', 'cpu');
  const memoryLimit = quantityAt(
    spec,
    invalid,
    'resources',
    'limits',
    'memory',
  );
  const gpuLimit = quantityAt(
    spec,
    invalid,
    'resources',
    'limits',
    GPU_RESOURCE,
  );
  const gpuRequest = quantityAt(
    spec,
    invalid,
    'resources',
    'requests',
    GPU_RESOURCE,
  );
  return {
    cpuRequest:
      quantityAt(spec, invalid, 'resources', 'requests', 'cpu') ?? cpuLimit,
    memoryRequest:
      quantityAt(spec, invalid, 'resources', 'requests', 'memory') ??
      memoryLimit,
    cpuLimit,
    memoryLimit,
    gpus: gpuLimit ?? gpuRequest ?? 0,
    invalid,
  };
}

/** Requests one pod needs to be scheduled, in cores and bytes. */
export interface PodRequests {
  cpuCores: number;
  memoryBytes: number;
  gpus: number;
}

/**
 * The scheduler's view of a pod: long-running containers add up; a plain
 * init container runs alone, so the pod needs at least the largest one.
 */
export function podRequests(podSpec: JsonRecord | undefined): PodRequests {
  const running = { cpuCores: 0, memoryBytes: 0, gpus: 0 };
  const largestInit = { cpuCores: 0, memoryBytes: 0, gpus: 0 };
  for (const container of containersOf(podSpec)) {
    const {
      cpuRequest = 0,
      memoryRequest = 0,
      gpus,
    } = containerResources(container.spec);
    if (isLongRunning(container)) {
      running.cpuCores += cpuRequest;
      running.memoryBytes += memoryRequest;
      running.gpus += gpus;
    } else {
      largestInit.cpuCores = Math.max(largestInit.cpuCores, cpuRequest);
      largestInit.memoryBytes = Math.max(
        largestInit.memoryBytes,
        memoryRequest,
      );
      largestInit.gpus = Math.max(largestInit.gpus, gpus);
    }
  }
  return {
    cpuCores: Math.max(running.cpuCores, largestInit.cpuCores),
    memoryBytes: Math.max(running.memoryBytes, largestInit.memoryBytes),
    gpus: Math.max(running.gpus, largestInit.gpus),
  };
}

export function longRunningContainers(
  podSpec: JsonRecord | undefined,
): ContainerEntry[] {
  return containersOf(podSpec).filter(isLongRunning);
}

/** The HorizontalPodAutoscaler among `objects` that scales `workload`. */
export function hpaFor(
  workload: K8sObject,
  objects: readonly K8sObject[],
): K8sObject | undefined {
  return objects.find(
    object =>
      object.kind === 'HorizontalPodAutoscaler' &&
      stringAt(object, 'spec', 'scaleTargetRef', 'kind') === workload.kind &&
      stringAt(object, 'spec', 'scaleTargetRef', 'name') ===
        workload.metadata.name,
  );
}

export interface ReplicaRange {
  min: number;
  max: number;
}

export function hpaRange(hpa: K8sObject): ReplicaRange {
  const min = numberAt(hpa, 'spec', 'minReplicas') ?? 1;
  const max = numberAt(hpa, 'spec', 'maxReplicas') ?? min;
  return { min, max: Math.max(min, max) };
}

/** `spec.replicas`, or 1 (the API server's default) when absent. */
export function specReplicas(workload: K8sObject): number {
  return numberAt(workload, 'spec', 'replicas') ?? 1;
}

/**
 * Replicas a workload runs at. With an HPA, the current count (or, for a
 * new workload, its own spec) clamped into the HPA's range, since the HPA
 * will move it there.
 */
export function expectedReplicas(
  workload: K8sObject,
  hpa: K8sObject | undefined,
  currentReplicas?: number,
): number {
  if (!hpa) return specReplicas(workload);
  const { min, max } = hpaRange(hpa);
  const start =
    currentReplicas ?? numberAt(workload, 'spec', 'replicas') ?? min;
  return Math.min(max, Math.max(min, start));
}
