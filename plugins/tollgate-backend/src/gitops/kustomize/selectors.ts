import { InputError } from '@backstage/errors';
import {
  matchesLabels,
  parseLabelSelector,
} from '@tollgate/plugin-tollgate-common';
import { isRecord } from '../json';
import type { ResourceSelector } from './kustomization';
import { apiGroup, apiVersionOnly, hadName, KResource } from './resources';

/*
 * Patch targets, per the kustomize `patches` docs: group, version, kind,
 * name and namespace are anchored regular expressions; labelSelector and
 * annotationSelector use the Kubernetes selector syntax. A name matches the
 * current name or any earlier one, so an overlay can patch a base object by
 * the name the base gave it.
 */
export function selectResources(
  resources: KResource[],
  selector: ResourceSelector,
  source: string,
): KResource[] {
  const matchers = {
    group: anchored(selector.group, source),
    version: anchored(selector.version, source),
    kind: anchored(selector.kind, source),
    name: anchored(selector.name, source),
    namespace: anchored(selector.namespace, source),
  };
  const labels = requirements(selector.labelSelector, source);
  const annotations = requirements(selector.annotationSelector, source);
  return resources.filter(resource => {
    const { apiVersion, kind, metadata } = resource.object;
    return (
      matchers.group(apiGroup(apiVersion)) &&
      matchers.version(apiVersionOnly(apiVersion)) &&
      matchers.kind(kind) &&
      resource.names.some(matchers.name) &&
      matchers.namespace(metadata.namespace ?? '') &&
      matchesLabels(labels, stringMap(metadata.labels)) &&
      matchesLabels(annotations, stringMap(metadata.annotations))
    );
  });
}

/** The resource a patch names by its own kind, name and (optional) namespace. */
export function resourcesNamedBy(
  resources: KResource[],
  patch: { apiVersion?: unknown; kind?: unknown; metadata?: unknown },
): KResource[] {
  const metadata = isRecord(patch.metadata) ? patch.metadata : {};
  const group =
    typeof patch.apiVersion === 'string'
      ? apiGroup(patch.apiVersion)
      : undefined;
  return resources.filter(resource => {
    const object = resource.object;
    return (
      object.kind === patch.kind &&
      (group === undefined || apiGroup(object.apiVersion) === group) &&
      typeof metadata.name === 'string' &&
      hadName(resource, metadata.name) &&
      (metadata.namespace === undefined ||
        metadata.namespace === object.metadata.namespace)
    );
  });
}

function anchored(
  pattern: string | undefined,
  source: string,
): (value: string) => boolean {
  if (pattern === undefined) return () => true;
  try {
    const regex = new RegExp(`^(?:${pattern})$`);
    return value => regex.test(value);
  } catch {
    throw new InputError(
      `${source}: invalid target pattern ${JSON.stringify(pattern)}`,
    );
  }
}

function requirements(selector: string | undefined, source: string) {
  if (!selector) return [];
  try {
    return parseLabelSelector(selector);
  } catch (error) {
    throw new InputError(`${source}: ${(error as Error).message}`);
  }
}

function stringMap(value: unknown): Record<string, string> | undefined {
  return isRecord(value) ? (value as Record<string, string>) : undefined;
}
