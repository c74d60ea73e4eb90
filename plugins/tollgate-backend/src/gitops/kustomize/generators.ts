import { posix } from 'node:path';
import { InputError } from '@backstage/errors';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { isRecord } from '../json';
import type {
  GeneratorArgs,
  GeneratorOptions,
  Kustomization,
} from './kustomization';
import { describe, KResource, newResource, sameId } from './resources';

/*
 * configMapGenerator and secretGenerator, per the kustomization reference
 * (kubectl.docs.kubernetes.io: "configMapGenerator", "secretGenerator",
 * "generatorOptions", and the kv source rules in kustomize api/kv/kv.go):
 * - literals are KEY=VALUE, quotes around the value removed;
 * - files are [KEY=]PATH, the key defaulting to the file name;
 * - envs are files of KEY=VALUE lines, blank lines and # comments skipped;
 * - ConfigMap values that are not UTF-8 go to binaryData (base64);
 *   Secret values are always base64 in data, type defaults to Opaque;
 * - behavior create (default) adds, merge / replace change an object of
 *   the same name from a base;
 * - the name gets a content hash suffix unless disableNameSuffixHash.
 */

export type GeneratorKind = 'ConfigMap' | 'Secret';

/** Reads a file relative to the kustomization folder; an InputError when missing. */
export interface GeneratorFiles {
  read(relativePath: string): Promise<{ path: string; bytes: Buffer }>;
  /** Files directly inside a folder, when the path is a folder. */
  listFolder(relativePath: string): Promise<string[] | undefined>;
}

const KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Generated objects added to (or merged into) the resources; returns notes for skipped input. */
export async function runGenerators(
  resources: KResource[],
  kustomization: Kustomization,
  files: GeneratorFiles,
): Promise<string[]> {
  const notes: string[] = [];
  const generators: Array<[GeneratorKind, GeneratorArgs]> = [
    ...kustomization.configMapGenerator.map(
      args => ['ConfigMap', args] as [GeneratorKind, GeneratorArgs],
    ),
    ...kustomization.secretGenerator.map(
      args => ['Secret', args] as [GeneratorKind, GeneratorArgs],
    ),
  ];
  for (const [kind, args] of generators) {
    const options = mergeOptions(args.options, kustomization.generatorOptions);
    const values = await collectValues(args, kustomization.file, files, notes);
    const object = buildObject(kind, args, options, values);
    addGenerated(resources, object, args, options, kustomization.file);
  }
  return notes;
}

/**
 * A generator's own labels and annotations win over generatorOptions; a
 * global `true` flag cannot be switched off locally (configMapGenerator docs).
 */
function mergeOptions(
  local: GeneratorOptions | undefined,
  global: GeneratorOptions | undefined,
): GeneratorOptions {
  return {
    labels: { ...global?.labels, ...local?.labels },
    annotations: { ...global?.annotations, ...local?.annotations },
    disableNameSuffixHash:
      Boolean(global?.disableNameSuffixHash) ||
      Boolean(local?.disableNameSuffixHash),
    immutable: Boolean(global?.immutable) || Boolean(local?.immutable),
  };
}

async function collectValues(
  args: GeneratorArgs,
  file: string,
  files: GeneratorFiles,
  notes: string[],
): Promise<Map<string, Buffer>> {
  const values = new Map<string, Buffer>();
  const add = (key: string, value: Buffer) => {
    if (!KEY_PATTERN.test(key) || key.length > 253) {
      throw new InputError(
        `${file}: generator ${args.name}: invalid key ${JSON.stringify(key)}`,
      );
    }
    if (values.has(key)) {
      throw new InputError(
        `${file}: generator ${args.name}: key ${JSON.stringify(
          key,
        )} is set twice`,
      );
    }
    values.set(key, value);
  };
  for (const literal of args.literals) {
    const [key, value] = splitLiteral(literal, file, args.name);
    add(key, Buffer.from(removeQuotes(value), 'utf8'));
  }
  for (const source of args.files) {
    for (const [key, bytes] of await readFileSource(source, files))
      add(key, bytes);
  }
  for (const envFile of [...args.envs, ...(args.env ? [args.env] : [])]) {
    const { path, bytes } = await files.read(envFile);
    for (const [key, value] of parseEnvFile(
      bytes.toString('utf8'),
      path,
      notes,
    )) {
      add(key, Buffer.from(value, 'utf8'));
    }
  }
  return values;
}

function splitLiteral(
  literal: string,
  file: string,
  name: string,
): [string, string] {
  const equals = literal.indexOf('=');
  if (equals <= 0) {
    throw new InputError(
      `${file}: generator ${name}: literal ${JSON.stringify(
        literal,
      )} is not KEY=VALUE`,
    );
  }
  return [literal.slice(0, equals), literal.slice(equals + 1)];
}

function removeQuotes(value: string): string {
  const quoted =
    value.length >= 2 &&
    (value[0] === '"' || value[0] === "'") &&
    value[value.length - 1] === value[0];
  return quoted ? value.slice(1, -1) : value;
}

async function readFileSource(
  source: string,
  files: GeneratorFiles,
): Promise<Array<[string, Buffer]>> {
  const equals = source.indexOf('=');
  const key = equals > 0 ? source.slice(0, equals) : undefined;
  const path = equals > 0 ? source.slice(equals + 1) : source;
  const folderFiles =
    key === undefined ? await files.listFolder(path) : undefined;
  if (folderFiles) {
    return Promise.all(
      folderFiles.map(async name => {
        const { bytes } = await files.read(posix.join(path, name));
        return [name, bytes] as [string, Buffer];
      }),
    );
  }
  const { bytes } = await files.read(path);
  return [[key ?? posix.basename(path), bytes]];
}

function parseEnvFile(
  text: string,
  path: string,
  notes: string[],
): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((rawLine, index) => {
      const line = rawLine.replace(/\r$/, '').trimStart();
      if (line === '' || line.startsWith('#')) return;
      const equals = line.indexOf('=');
      if (equals < 0) {
        notes.push(
          `${path}:${
            index + 1
          }: "${line}" takes its value from the environment in kustomize; Tollgate skipped it`,
        );
        return;
      }
      entries.push([line.slice(0, equals), line.slice(equals + 1)]);
    });
  return entries;
}

function buildObject(
  kind: GeneratorKind,
  args: GeneratorArgs,
  options: GeneratorOptions,
  values: Map<string, Buffer>,
): K8sObject {
  const metadata: K8sObject['metadata'] = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  if (Object.keys(options.labels).length > 0)
    metadata.labels = { ...options.labels };
  if (Object.keys(options.annotations).length > 0) {
    metadata.annotations = { ...options.annotations };
  }
  const object: K8sObject = { apiVersion: 'v1', kind, metadata };
  if (kind === 'Secret') object.type = args.type ?? 'Opaque';
  Object.assign(
    object,
    kind === 'Secret' ? secretData(values) : configMapData(values),
  );
  if (options.immutable) object.immutable = true;
  return object;
}

function configMapData(values: Map<string, Buffer>): Record<string, unknown> {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const key of [...values.keys()].sort()) {
    const bytes = values.get(key)!;
    const text = decodeUtf8(bytes);
    if (text === undefined) binaryData[key] = bytes.toString('base64');
    else data[key] = text;
  }
  return {
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

function secretData(values: Map<string, Buffer>): Record<string, unknown> {
  if (values.size === 0) return {};
  const data: Record<string, string> = {};
  for (const key of [...values.keys()].sort()) {
    data[key] = values.get(key)!.toString('base64');
  }
  return { data };
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function addGenerated(
  resources: KResource[],
  object: K8sObject,
  args: GeneratorArgs,
  options: GeneratorOptions,
  file: string,
): void {
  const hashSuffix = !options.disableNameSuffixHash;
  if (args.behavior === 'create') {
    const generated = newResource(object, hashSuffix);
    if (resources.some(resource => sameId(resource, generated))) {
      throw new InputError(
        `${file}: ${describe(
          object,
        )} already exists; use behavior merge or replace`,
      );
    }
    resources.push(generated);
    return;
  }
  const existing = resources.filter(
    resource =>
      resource.object.kind === object.kind &&
      resource.names.includes(args.name) &&
      (args.namespace === undefined ||
        resource.object.metadata.namespace === args.namespace),
  );
  if (existing.length !== 1) {
    throw new InputError(
      `${file}: ${object.kind} generator ${args.name} has behavior ${
        args.behavior
      } but ${existing.length === 0 ? 'no' : 'more than one'} ${
        object.kind
      } of that name exists to ${args.behavior}`,
    );
  }
  const [target] = existing;
  target.object =
    args.behavior === 'merge'
      ? mergeGenerated(target.object, object)
      : replaceGenerated(target.object, object);
  if (options.disableNameSuffixHash) target.hashSuffix = false;
}

function mergeGenerated(base: K8sObject, overlay: K8sObject): K8sObject {
  const merged: K8sObject = {
    ...base,
    metadata: {
      ...base.metadata,
      labels: { ...base.metadata.labels, ...overlay.metadata.labels },
      annotations: {
        ...base.metadata.annotations,
        ...overlay.metadata.annotations,
      },
    },
  };
  for (const field of ['data', 'binaryData'] as const) {
    const combined = { ...asMap(base[field]), ...asMap(overlay[field]) };
    if (Object.keys(combined).length > 0) merged[field] = combined;
  }
  return dropEmptyMetadataMaps(merged);
}

function replaceGenerated(base: K8sObject, overlay: K8sObject): K8sObject {
  const { data: _data, binaryData: _binary, ...kept } = base;
  const replaced: K8sObject = {
    ...kept,
    ...(overlay.type ? { type: overlay.type } : {}),
    metadata: {
      ...base.metadata,
      labels: { ...base.metadata.labels, ...overlay.metadata.labels },
      annotations: {
        ...base.metadata.annotations,
        ...overlay.metadata.annotations,
      },
    },
  };
  if (overlay.data) replaced.data = overlay.data;
  if (overlay.binaryData) replaced.binaryData = overlay.binaryData;
  return dropEmptyMetadataMaps(replaced);
}

function dropEmptyMetadataMaps(object: K8sObject): K8sObject {
  for (const field of ['labels', 'annotations'] as const) {
    if (Object.keys(object.metadata[field] ?? {}).length === 0) {
      delete object.metadata[field];
    }
  }
  return object;
}

function asMap(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
