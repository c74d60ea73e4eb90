import { InputError } from '@backstage/errors';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { isRecord } from '../json';
import { isK8sObject, parseYamlDocuments } from '../manifests';
import { applyJsonPatch, parseJsonPatch } from './jsonPatch';
import type { Kustomization, ResourceSelector } from './kustomization';
import { apiGroup, describe, KResource } from './resources';
import { resourcesNamedBy, selectResources } from './selectors';
import { strategicMerge } from './strategicMerge';

/*
 * `patchesStrategicMerge`, `patches` and `patchesJson6902`, per the
 * kustomization reference (kubectl.docs.kubernetes.io, "patches",
 * "patchesStrategicMerge", "patchesJson6902"): a patch is a file or inline
 * text; a list is a JSON 6902 patch, a map is a strategic merge patch;
 * without a target, a strategic merge patch applies to the object it names.
 */

/** Reads a file relative to the kustomization folder; undefined when missing. */
export type PatchFileReader = (
  relativePath: string,
) => Promise<{ path: string; text: string } | undefined>;

interface LoadedPatch {
  source: string;
  documents: unknown[];
}

const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'extensions',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'admissionregistration.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'certificates.k8s.io',
]);

export async function applyPatchesStrategicMerge(
  resources: KResource[],
  kustomization: Kustomization,
  readFile: PatchFileReader,
): Promise<KResource[]> {
  let result = resources;
  for (const entry of kustomization.patchesStrategicMerge) {
    const loaded = await loadStrategicMergeEntry(
      entry,
      kustomization,
      readFile,
    );
    for (const patch of patchMaps(loaded)) {
      result = applyToNamedResource(result, patch, loaded.source);
    }
  }
  return result;
}

export async function applyPatches(
  resources: KResource[],
  kustomization: Kustomization,
  readFile: PatchFileReader,
): Promise<KResource[]> {
  let result = resources;
  for (const [index, entry] of kustomization.patches.entries()) {
    const loaded = await loadPatch(entry, index, kustomization, readFile);
    if (isJsonPatch(loaded)) {
      if (!entry.target) {
        throw new InputError(
          `${loaded.source}: a JSON 6902 patch needs a target`,
        );
      }
      applyJsonPatchTo(
        selectResources(result, entry.target, loaded.source),
        loaded,
      );
      continue;
    }
    for (const patch of patchMaps(loaded)) {
      result = entry.target
        ? applyToSelected(result, entry.target, patch, loaded.source)
        : applyToNamedResource(result, patch, loaded.source);
    }
  }
  return result;
}

export async function applyPatchesJson6902(
  resources: KResource[],
  kustomization: Kustomization,
  readFile: PatchFileReader,
): Promise<void> {
  for (const [index, entry] of kustomization.patchesJson6902.entries()) {
    const loaded = await loadPatch(entry, index, kustomization, readFile);
    const targets = selectResources(
      resources,
      exactly(entry.target),
      loaded.source,
    );
    if (targets.length === 0) {
      throw new InputError(
        `${loaded.source}: no resource matches target ${JSON.stringify(
          entry.target,
        )}`,
      );
    }
    applyJsonPatchTo(targets, loaded);
  }
}

async function loadStrategicMergeEntry(
  entry: string,
  kustomization: Kustomization,
  readFile: PatchFileReader,
): Promise<LoadedPatch> {
  const file = await readFile(entry);
  if (file) {
    return {
      source: file.path,
      documents: parseYamlDocuments(file.text, file.path),
    };
  }
  if (!entry.includes('\n') && !entry.includes(': ')) {
    throw new InputError(
      `${kustomization.file}: patch file ${JSON.stringify(
        entry,
      )} does not exist`,
    );
  }
  const source = `${kustomization.file} (inline patchesStrategicMerge)`;
  return { source, documents: parseYamlDocuments(entry, source) };
}

async function loadPatch(
  entry: { path?: string; patch?: string },
  index: number,
  kustomization: Kustomization,
  readFile: PatchFileReader,
): Promise<LoadedPatch> {
  if (entry.path !== undefined) {
    const file = await readFile(entry.path);
    if (!file) {
      throw new InputError(
        `${kustomization.file}: patch file ${JSON.stringify(
          entry.path,
        )} does not exist`,
      );
    }
    return {
      source: file.path,
      documents: parseYamlDocuments(file.text, file.path),
    };
  }
  if (entry.patch === undefined) {
    throw new InputError(
      `${kustomization.file}: patch ${index + 1} has neither path nor patch`,
    );
  }
  const source = `${kustomization.file} (inline patch ${index + 1})`;
  return { source, documents: parseYamlDocuments(entry.patch, source) };
}

function isJsonPatch(loaded: LoadedPatch): boolean {
  return loaded.documents.length === 1 && Array.isArray(loaded.documents[0]);
}

function patchMaps(loaded: LoadedPatch): Record<string, unknown>[] {
  return loaded.documents.map(document => {
    if (!isRecord(document)) {
      throw new InputError(
        `${loaded.source}: a patch must be a YAML map or a JSON 6902 list`,
      );
    }
    return document;
  });
}

function applyToNamedResource(
  resources: KResource[],
  patch: Record<string, unknown>,
  source: string,
): KResource[] {
  const targets = resourcesNamedBy(resources, patch);
  const named = `${String(patch.kind)} ${String(
    (patch.metadata as { name?: unknown } | undefined)?.name,
  )}`;
  if (targets.length === 0) {
    throw new InputError(
      `${source}: no resource matches the patch for ${named}`,
    );
  }
  if (targets.length > 1) {
    throw new InputError(
      `${source}: the patch for ${named} matches ${targets.length} resources; add metadata.namespace`,
    );
  }
  return patchAll(resources, targets, patch);
}

function applyToSelected(
  resources: KResource[],
  selector: ResourceSelector,
  patch: Record<string, unknown>,
  source: string,
): KResource[] {
  return patchAll(
    resources,
    selectResources(resources, selector, source),
    patch,
  );
}

/** Applies a strategic merge patch to each target; drops the ones it deletes. */
function patchAll(
  resources: KResource[],
  targets: KResource[],
  patch: Record<string, unknown>,
): KResource[] {
  const deleted = new Set(targets.filter(target => !mergeInto(target, patch)));
  return resources.filter(resource => !deleted.has(resource));
}

/** False when the patch deletes the object. */
function mergeInto(
  resource: KResource,
  patch: Record<string, unknown>,
): boolean {
  const { name, namespace } = resource.object.metadata;
  const merged = strategicMerge(
    resource.object,
    withoutIdentity(patch),
    BUILT_IN_GROUPS.has(apiGroup(resource.object.apiVersion)),
  );
  if (!merged) return false;
  const object = merged as K8sObject;
  object.metadata = { ...object.metadata, name };
  if (namespace === undefined) delete object.metadata.namespace;
  else object.metadata.namespace = namespace;
  resource.object = object;
  return true;
}

/** The patch without what identifies its target; the target keeps its own. */
function withoutIdentity(
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const { apiVersion: _v, kind: _k, metadata, ...rest } = patch;
  if (!isRecord(metadata)) return rest;
  const { name: _n, namespace: _ns, ...otherMetadata } = metadata;
  return Object.keys(otherMetadata).length > 0
    ? { ...rest, metadata: otherMetadata }
    : rest;
}

function applyJsonPatchTo(targets: KResource[], loaded: LoadedPatch): void {
  const operations = parseJsonPatch(loaded.documents[0], loaded.source);
  for (const resource of targets) {
    const patched: unknown = applyJsonPatch(
      resource.object,
      operations,
      loaded.source,
    );
    if (!isK8sObject(patched)) {
      throw new InputError(
        `${loaded.source}: patching ${describe(
          resource.object,
        )} left no apiVersion, kind or metadata.name`,
      );
    }
    resource.object = patched;
    if (!resource.names.includes(patched.metadata.name)) {
      resource.names.push(patched.metadata.name);
    }
  }
}

/** patchesJson6902 targets name exact values, not patterns. */
function exactly(target: ResourceSelector): ResourceSelector {
  const escape = (value?: string) =>
    value?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    group: escape(target.group),
    version: escape(target.version),
    kind: escape(target.kind),
    name: escape(target.name),
    namespace: escape(target.namespace),
  };
}
