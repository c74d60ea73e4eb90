import { InputError } from '@backstage/errors';
import { isRecord } from '../json';
import { z } from 'zod';
import { parseYamlDocuments } from '../manifests';
import type { KustomizeFileSystem } from './resources';

/*
 * The kustomization fields Tollgate renders, as documented in the
 * kustomization reference on kubectl.docs.kubernetes.io
 * (/references/kustomize/kustomization/). The file is read with the YAML
 * failsafe schema so that every scalar stays the string written (kustomize
 * decodes into typed Go structs: `newTag: 1.10` is the tag "1.10", not 1.1).
 */

const KUSTOMIZATION_FILE_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'components',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'sortOptions',
]);

const emptyToUndefined = (value: unknown) =>
  value === '' || value === null ? undefined : value;

const text = z.string();
const optionalText = z.preprocess(emptyToUndefined, z.string().optional());
const flag = z.preprocess(
  emptyToUndefined,
  z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform(value => value === true || value === 'true')
    .optional(),
);
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(emptyToUndefined, z.array(item).default([]));
const stringMap = z.preprocess(
  emptyToUndefined,
  z.record(z.string(), z.string()).default({}),
);

const selectorSchema = z.object({
  group: optionalText,
  version: optionalText,
  kind: optionalText,
  name: optionalText,
  namespace: optionalText,
  labelSelector: optionalText,
  annotationSelector: optionalText,
});

const generatorOptionsSchema = z.object({
  labels: stringMap,
  annotations: stringMap,
  disableNameSuffixHash: flag,
  immutable: flag,
});

const generatorSchema = z.object({
  name: text,
  namespace: optionalText,
  behavior: z.preprocess(
    emptyToUndefined,
    z.enum(['create', 'merge', 'replace']).default('create'),
  ),
  literals: list(text),
  files: list(text),
  envs: list(text),
  env: optionalText,
  type: optionalText,
  options: z.preprocess(emptyToUndefined, generatorOptionsSchema.optional()),
});

const kustomizationSchema = z.object({
  kind: optionalText,
  resources: list(text),
  bases: list(text),
  components: list(text),
  namespace: optionalText,
  namePrefix: optionalText,
  nameSuffix: optionalText,
  commonLabels: stringMap,
  labels: list(
    z.object({
      pairs: stringMap,
      includeSelectors: flag,
      includeTemplates: flag,
      fields: z.unknown().optional(),
    }),
  ),
  commonAnnotations: stringMap,
  images: list(
    z.object({
      name: text,
      newName: optionalText,
      newTag: optionalText,
      digest: optionalText,
    }),
  ),
  replicas: list(
    z.object({
      name: text,
      count: z
        .string()
        .regex(/^\d+$/, 'must be a whole number')
        .transform(Number),
    }),
  ),
  patches: list(
    z.object({
      path: optionalText,
      patch: optionalText,
      target: z.preprocess(emptyToUndefined, selectorSchema.optional()),
    }),
  ),
  patchesStrategicMerge: list(text),
  patchesJson6902: list(
    z.object({
      path: optionalText,
      patch: optionalText,
      target: selectorSchema,
    }),
  ),
  configMapGenerator: list(generatorSchema),
  secretGenerator: list(generatorSchema),
  generatorOptions: z.preprocess(
    emptyToUndefined,
    generatorOptionsSchema.optional(),
  ),
  sortOptions: z.preprocess(
    emptyToUndefined,
    z.object({ order: z.enum(['legacy', 'fifo']).optional() }).optional(),
  ),
});

export type KustomizationFields = z.infer<typeof kustomizationSchema>;
export type GeneratorArgs = z.infer<typeof generatorSchema>;
export type GeneratorOptions = z.infer<typeof generatorOptionsSchema>;
export type ResourceSelector = z.infer<typeof selectorSchema>;

/** A parsed kustomization file and where it lives. */
export interface Kustomization extends KustomizationFields {
  /** Repository-relative path of the kustomization file. */
  file: string;
  /** The folder holding it; relative paths in it resolve from here. */
  folder: string;
  /** Fields present in the file that Tollgate does not render. */
  ignoredFields: string[];
}

/** The kustomization file in a folder, if there is one. */
export async function findKustomizationFile(
  files: KustomizeFileSystem,
  folder: string,
): Promise<string | undefined> {
  const names = await files.listFiles(folder);
  const found = KUSTOMIZATION_FILE_NAMES.filter(name => names.includes(name));
  if (found.length > 1) {
    throw new InputError(
      `${folder || '.'}: found more than one kustomization file (${found.join(
        ', ',
      )}); keep one`,
    );
  }
  return found.length === 1 ? joinPath(folder, found[0]) : undefined;
}

/** Parses a kustomization file; an InputError names the file and the bad field. */
export function parseKustomization(
  content: string,
  file: string,
  folder: string,
): Kustomization {
  const documents = parseYamlDocuments(content, file, 'failsafe');
  const raw = documents.length === 0 ? {} : documents[0];
  if (!isRecord(raw) || documents.length > 1) {
    throw new InputError(`${file}: a kustomization must be a single YAML map`);
  }
  const parsed = kustomizationSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    throw new InputError(`${file}: invalid field ${field}: ${issue.message}`);
  }
  const ignoredFields = Object.keys(raw).filter(
    key => !SUPPORTED_FIELDS.has(key),
  );
  return { ...parsed.data, file, folder, ignoredFields };
}

export function joinPath(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}
