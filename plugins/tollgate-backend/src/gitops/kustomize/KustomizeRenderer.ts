import { InputError } from '@backstage/errors';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { kubernetesObjects, parseYamlDocuments } from '../manifests';
import { sortObjects } from '../ordering';
import { redactUrl } from '../redact';
import { resolveInRepo } from '../validation';
import { GeneratorFiles, runGenerators } from './generators';
import { kustomizeHash } from './hash';
import {
  findKustomizationFile,
  Kustomization,
  parseKustomization,
} from './kustomization';
import { fixNameReferences } from './nameReferences';
import {
  applyPatches,
  applyPatchesJson6902,
  applyPatchesStrategicMerge,
  PatchFileReader,
} from './patches';
import {
  describe,
  KResource,
  KustomizeFileSystem,
  newResource,
  rename,
  sameId,
} from './resources';
import {
  addAnnotations,
  addLabels,
  addNamePrefixSuffix,
  setImages,
  setNamespace,
  setReplicas,
} from './transformers';

/** What rendering a kustomization produced. */
export interface KustomizeOutput {
  objects: K8sObject[];
  /** Every file read, repository-relative, sorted. */
  files: string[];
  /** Fields and inputs that were ignored. */
  warnings: string[];
}

const REMOTE_RESOURCE =
  /^([a-z][a-z0-9+.-]*:\/\/|[a-z]+::|git@)|\?ref=|\/\/.*\?/i;

/**
 * Renders a kustomization the way `kustomize build` does, for the features
 * listed in src/gitops/README.md: per kustomization, resources, then
 * components, then generators, then transformers; the hash suffixes and
 * name references are settled once, at the top
 * (kustomize api/internal/target/kusttarget.go, makeCustomizedResMap).
 */
export class KustomizeRenderer {
  private readonly filesRead = new Set<string>();
  private readonly warnings: string[] = [];

  private constructor(private readonly files: KustomizeFileSystem) {}

  /** Renders the kustomization in `folder` (which must contain one). */
  static async render(
    files: KustomizeFileSystem,
    folder: string,
  ): Promise<KustomizeOutput> {
    return new KustomizeRenderer(files).renderRoot(folder);
  }

  private async renderRoot(folder: string): Promise<KustomizeOutput> {
    const { resources, kustomization } = await this.build(folder, [], []);
    for (const resource of resources.filter(r => r.hashSuffix)) {
      rename(
        resource,
        `${resource.object.metadata.name}-${kustomizeHash(resource.object)}`,
      );
    }
    fixNameReferences(resources);
    const objects = resources.map(resource => resource.object);
    return {
      objects:
        kustomization.sortOptions?.order === 'fifo'
          ? objects
          : sortObjects(objects),
      files: [...this.filesRead].sort(),
      warnings: this.warnings,
    };
  }

  private async build(
    folder: string,
    inherited: KResource[],
    stack: string[],
  ): Promise<{ resources: KResource[]; kustomization: Kustomization }> {
    if (stack.includes(folder)) {
      const cycle = [...stack.slice(stack.indexOf(folder)), folder];
      throw new InputError(
        `kustomization cycle: ${cycle.map(f => f || '.').join(' -> ')}`,
      );
    }
    const kustomization = await this.loadKustomization(folder);
    const path = [...stack, folder];
    let resources = [...inherited];
    for (const entry of [...kustomization.resources, ...kustomization.bases]) {
      const loaded = await this.loadResourceEntry(kustomization, entry, path);
      addResources(resources, loaded, kustomization.file);
    }
    for (const component of kustomization.components) {
      const componentFolder = resolveInRepo(
        folder,
        component,
        kustomization.file,
      );
      resources = (await this.build(componentFolder, resources, path))
        .resources;
    }
    this.warnings.push(
      ...(await runGenerators(
        resources,
        kustomization,
        this.generatorFiles(kustomization),
      )),
    );
    resources = await this.transform(resources, kustomization);
    return { resources, kustomization };
  }

  private async transform(
    input: KResource[],
    kustomization: Kustomization,
  ): Promise<KResource[]> {
    const readPatch = this.patchReader(kustomization);
    let resources = await applyPatchesStrategicMerge(
      input,
      kustomization,
      readPatch,
    );
    resources = await applyPatches(resources, kustomization, readPatch);
    if (kustomization.namespace)
      setNamespace(resources, kustomization.namespace);
    addNamePrefixSuffix(
      resources,
      kustomization.namePrefix ?? '',
      kustomization.nameSuffix ?? '',
    );
    this.warnings.push(...addLabels(resources, kustomization));
    addAnnotations(resources, kustomization.commonAnnotations);
    await applyPatchesJson6902(resources, kustomization, readPatch);
    setReplicas(resources, kustomization);
    setImages(resources, kustomization);
    return resources;
  }

  private async loadKustomization(folder: string): Promise<Kustomization> {
    const file = await findKustomizationFile(this.files, folder);
    if (!file) {
      throw new InputError(
        `${folder || '.'}: no kustomization.yaml in this folder`,
      );
    }
    const kustomization = parseKustomization(
      await this.readText(file),
      file,
      folder,
    );
    for (const field of kustomization.ignoredFields) {
      this.warnings.push(
        `${file}: kustomize field "${field}" is not supported by Tollgate and was ignored`,
      );
    }
    return kustomization;
  }

  private async loadResourceEntry(
    kustomization: Kustomization,
    entry: string,
    stack: string[],
  ): Promise<KResource[]> {
    if (REMOTE_RESOURCE.test(entry)) throw remoteResource(kustomization, entry);
    const path = resolveInRepo(kustomization.folder, entry, kustomization.file);
    const kind = await this.files.kind(path);
    if (kind === 'folder') return (await this.build(path, [], stack)).resources;
    if (kind === 'file') return this.loadResourceFile(path);
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)+\//i.test(entry)) {
      throw remoteResource(kustomization, entry);
    }
    throw new InputError(
      `${kustomization.file}: resource ${JSON.stringify(entry)} does not exist`,
    );
  }

  private async loadResourceFile(path: string): Promise<KResource[]> {
    const documents = parseYamlDocuments(await this.readText(path), path);
    return kubernetesObjects(documents).map(object => newResource(object));
  }

  private patchReader(kustomization: Kustomization): PatchFileReader {
    return async relative => {
      const path = resolveInRepo(
        kustomization.folder,
        relative,
        kustomization.file,
      );
      if ((await this.files.kind(path)) !== 'file') return undefined;
      return { path, text: await this.readText(path) };
    };
  }

  private generatorFiles(kustomization: Kustomization): GeneratorFiles {
    const resolve = (relative: string) =>
      resolveInRepo(kustomization.folder, relative, kustomization.file);
    return {
      read: async relative => {
        const path = resolve(relative);
        if ((await this.files.kind(path)) !== 'file') {
          throw new InputError(
            `${kustomization.file}: generator file ${JSON.stringify(
              relative,
            )} does not exist`,
          );
        }
        return { path, bytes: await this.readBytes(path) };
      },
      listFolder: async relative => {
        const path = resolve(relative);
        if ((await this.files.kind(path)) !== 'folder') return undefined;
        return (await this.files.listFiles(path)).sort();
      },
    };
  }

  private async readText(path: string): Promise<string> {
    return (await this.readBytes(path)).toString('utf8');
  }

  private async readBytes(path: string): Promise<Buffer> {
    this.filesRead.add(path);
    return this.files.readBytes(path);
  }
}

function addResources(
  target: KResource[],
  added: KResource[],
  file: string,
): void {
  for (const resource of added) {
    if (target.some(existing => sameId(existing, resource))) {
      throw new InputError(
        `${file}: ${describe(resource.object)} is defined more than once`,
      );
    }
    target.push(resource);
  }
}

function remoteResource(
  kustomization: Kustomization,
  entry: string,
): InputError {
  return new InputError(
    `${
      kustomization.file
    }: remote kustomize resources are not supported: ${redactUrl(entry)}`,
  );
}
