import { ContainerEntry, podSpecPath } from './kinds';

/** One step of a field path: a key, an array index, or a named array item. */
export type PathSegment = string | number | { name: string };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Renders a field path the way people read manifests:
 * `spec.template.spec.containers[name=api].image`,
 * `metadata.labels["app.kubernetes.io/name"]`, `spec.rules[0].host`.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let result = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      result += `[${segment}]`;
    } else if (typeof segment === 'object') {
      result += `[name=${segment.name}]`;
    } else if (PLAIN_KEY.test(segment)) {
      result += result ? `.${segment}` : segment;
    } else {
      result += `[${JSON.stringify(segment)}]`;
    }
  }
  return result;
}

/** Path of a container, e.g. `spec.template.spec.containers[name=api]`. */
export function containerPath(
  kind: string,
  container: Pick<ContainerEntry, 'name' | 'list'>,
  ...rest: PathSegment[]
): string {
  const podSpec = podSpecPath(kind) ?? ['spec'];
  return formatPath([
    ...podSpec,
    container.list,
    { name: container.name },
    ...rest,
  ]);
}

/** Path of a field of the pod spec, e.g. `spec.template.spec.hostNetwork`. */
export function podSpecFieldPath(kind: string, ...rest: PathSegment[]): string {
  return formatPath([...(podSpecPath(kind) ?? ['spec']), ...rest]);
}
