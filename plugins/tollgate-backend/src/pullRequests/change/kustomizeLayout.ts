import { posix } from 'node:path';
import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  stringify,
  type Document,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { K8sObject, ObjectDiff } from '@tollgate/plugin-tollgate-common';
import type { EditableFiles, YamlFile } from './editableFiles';
import {
  addedObject,
  applyFieldEdit,
  fieldEditsOf,
  imageContainer,
  isReplicasEdit,
  objectLabel,
  sameValue,
  type EditContext,
  type FieldEdit,
} from './edits';
import { toJsonPointer } from './fieldPath';
import { documentKey, newObjectFileName } from './manifestIndex';
import { YamlTree } from './yamlTree';

const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** An overlay's kustomization file, when the folder has one. */
export async function findKustomization(
  files: EditableFiles,
  folder: string,
): Promise<YamlFile | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const file = await files.open(posix.join(folder, name));
    if (file) return file;
  }
  return undefined;
}

type Context = EditContext & { sourceObjects?: K8sObject[] };

/** A JSON 6902 operation list, in a file or inline in the kustomization. */
interface OperationPatch {
  target: { kind?: string; name?: string };
  operations: YamlTree;
  file: string;
}

/** A strategic-merge patch document for one object. */
interface MergePatch {
  key: string;
  tree: YamlTree;
  file: string;
}

interface OverlayPatches {
  merge: MergePatch[];
  operations: OperationPatch[];
  /** Write inline patches' edited text back into the kustomization. */
  commits: (() => void)[];
}

/**
 * A kustomize overlay: image tags in `images:`, counts in `replicas:`, other
 * fields in the overlay's patch for the object (an existing JSON 6902
 * operation on that exact field, else the strategic-merge patch, else a new
 * patch file), added objects as new files listed in `resources:`.
 */
export async function applyKustomizeLayout(
  files: EditableFiles,
  folder: string,
  objects: ObjectDiff[],
  context: Context,
): Promise<void> {
  const kustomizationFile = (await findKustomization(files, folder))!;
  const kustomization = kustomizationFile.documents[0];
  const patches = await readPatches(files, folder, kustomizationFile);
  for (const edit of fieldEditsOf(objects)) {
    const container = imageContainer(edit);
    if (container) {
      setImage(kustomization, edit, kustomizationFile.path, context);
    } else if (isReplicasEdit(edit)) {
      setReplicas(kustomization, edit, kustomizationFile.path, context);
    } else {
      await setPatchedField(
        files,
        folder,
        kustomization,
        patches,
        edit,
        context,
      );
    }
  }
  for (const commit of patches.commits) commit();
  for (const diff of objects.filter(object => object.status === 'added')) {
    await addResource(files, folder, kustomization, diff, context);
  }
}

/** Splits an image as written: name (registry/repository), tag, digest. */
export function splitImage(image: string) {
  const [withoutDigest, digest] = image.split('@', 2);
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
    digest,
  };
}

function setImage(
  kustomization: Document,
  edit: FieldEdit,
  file: string,
  context: Context,
): void {
  const before = splitImage(edit.change.before as string);
  const after = splitImage(edit.change.after as string);
  const images = sequence(kustomization, 'images');
  let entry = images.items.find(
    item =>
      isMap(item) &&
      [item.get('newName'), item.get('name')].includes(before.name),
  ) as YAMLMap | undefined;
  if (entry) {
    const current = {
      tag: entry.get('newTag') as string | undefined,
      digest: entry.get('digest') as string | undefined,
    };
    const expected = { tag: before.tag, digest: before.digest };
    const known = current.tag !== undefined || current.digest !== undefined;
    if (
      known &&
      !sameValue(current, expected) &&
      !sameValue(current, { tag: after.tag, digest: after.digest })
    ) {
      context.conflicts.add(
        file,
        `image ${before.name} is ${
          current.tag ?? current.digest
        }, the preview expected ${before.tag ?? before.digest}`,
      );
      return;
    }
  } else {
    entry = kustomization.createNode({ name: before.name }) as YAMLMap;
    images.items.push(entry);
  }
  if (after.name !== before.name) entry.set('newName', after.name);
  setOrDelete(entry, 'newTag', after.tag);
  setOrDelete(entry, 'digest', after.digest);
}

function setReplicas(
  kustomization: Document,
  edit: FieldEdit,
  file: string,
  context: Context,
): void {
  const replicas = sequence(kustomization, 'replicas');
  const existing = replicas.items.find(
    item => isMap(item) && item.get('name') === edit.object.name,
  ) as YAMLMap | undefined;
  if (!existing) {
    replicas.items.push(
      kustomization.createNode({
        name: edit.object.name,
        count: edit.change.after,
      }),
    );
    return;
  }
  const current = existing.get('count');
  if (
    !sameValue(current, edit.change.before) &&
    !sameValue(current, edit.change.after)
  ) {
    context.conflicts.add(
      file,
      `replicas of ${edit.object.name} are ${current}, the preview expected ${edit.change.before}`,
    );
    return;
  }
  existing.set('count', edit.change.after);
}

async function setPatchedField(
  files: EditableFiles,
  folder: string,
  kustomization: Document,
  patches: OverlayPatches,
  edit: FieldEdit,
  context: Context,
): Promise<void> {
  if (setByOperation(patches.operations, edit, context)) return;
  const key = objectLabel(edit.object);
  let patch = patches.merge.find(candidate => candidate.key === key);
  if (!patch) {
    patch = await createMergePatch(files, folder, kustomization, edit.object);
    patches.merge.push(patch);
  }
  applyFieldEdit(patch.tree, edit, patch.file, context);
}

/** Edits the value of a JSON 6902 add/replace on exactly this field, if there is one. */
function setByOperation(
  patches: OperationPatch[],
  edit: FieldEdit,
  context: Context,
): boolean {
  const pointer = toJsonPointer(edit.path);
  if (!pointer || edit.change.type === 'removed') return false;
  for (const patch of patches) {
    if (!targets(patch.target, edit.object)) continue;
    const operations = (patch.operations.get([]) ?? []) as {
      op?: string;
      path?: string;
    }[];
    const index = operations.findIndex(
      operation =>
        ['add', 'replace'].includes(operation.op ?? '') &&
        operation.path === pointer,
    );
    if (index < 0) continue;
    applyFieldEdit(
      patch.operations,
      { ...edit, path: [index, 'value'] },
      patch.file,
      context,
    );
    return true;
  }
  return false;
}

function targets(
  target: OperationPatch['target'],
  object: Pick<ObjectDiff, 'kind' | 'name'>,
): boolean {
  return (
    (!target.kind || target.kind === object.kind) &&
    (!target.name || target.name === object.name)
  );
}

async function createMergePatch(
  files: EditableFiles,
  folder: string,
  kustomization: Document,
  object: ObjectDiff,
): Promise<MergePatch> {
  const name = `promotion-${newObjectFileName(object.kind, object.name)}`;
  const text = stringify({
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name: object.name },
  });
  const file = await files.create(posix.join(folder, name), text);
  sequence(kustomization, 'patches').items.push(
    kustomization.createNode({ path: name }),
  );
  return {
    key: objectLabel(object),
    tree: new YamlTree(file.documents[0]),
    file: file.path,
  };
}

async function addResource(
  files: EditableFiles,
  folder: string,
  kustomization: Document,
  diff: ObjectDiff,
  context: Context,
): Promise<void> {
  const object = addedObject(diff, context.sourceObjects, context.manualSteps);
  if (!object) return;
  // The overlay's `namespace:` places it; a copied namespace would fight that.
  delete object.metadata.namespace;
  const name = newObjectFileName(diff.kind, diff.name);
  await files.create(
    posix.join(folder, name),
    stringify(object, { lineWidth: 0 }),
  );
  sequence(kustomization, 'resources').items.push(
    kustomization.createNode(name),
  );
}

/** The overlay's strategic-merge patches and JSON 6902 operation lists. */
async function readPatches(
  files: EditableFiles,
  folder: string,
  kustomizationFile: YamlFile,
): Promise<OverlayPatches> {
  const kustomization = kustomizationFile.documents[0];
  const patches: OverlayPatches = { merge: [], operations: [], commits: [] };
  const entries = [
    ...itemsOf(kustomization.get('patches', true)),
    ...itemsOf(kustomization.get('patchesStrategicMerge', true)),
  ];
  for (const entry of entries) {
    const source = await patchSource(
      files,
      folder,
      entry,
      kustomizationFile.path,
    );
    if (!source) continue;
    const target = isMap(entry) ? targetOf(entry) : {};
    if (source.commit) patches.commits.push(source.commit);
    for (const document of source.documents) {
      const tree = new YamlTree(document);
      if (isSeq(document.contents)) {
        patches.operations.push({
          target,
          operations: tree,
          file: source.file,
        });
        continue;
      }
      const key = documentKey(document);
      if (key) patches.merge.push({ key, tree, file: source.file });
    }
  }
  return patches;
}

interface PatchSource {
  documents: Document[];
  file: string;
  commit?: () => void;
}

/** A patch entry's documents: from its file, or parsed from its inline text. */
async function patchSource(
  files: EditableFiles,
  folder: string,
  entry: unknown,
  kustomizationPath: string,
): Promise<PatchSource | undefined> {
  const path = isMap(entry) ? entry.get('path') : scalarText(entry);
  const inline = isMap(entry) ? entry.get('patch', true) : undefined;
  if (typeof path === 'string' && !path.includes('\n')) {
    const file = await files.open(posix.join(folder, path));
    return file && { documents: file.documents, file: file.path };
  }
  // An inline patch: `patch:` of an entry, or a string in patchesStrategicMerge.
  const scalar = [inline, entry].find(node => isScalar(node));
  if (!isScalar(scalar) || typeof scalar.value !== 'string') return undefined;
  const document = parseDocument(scalar.value);
  const original = document.toString();
  return {
    documents: [document],
    file: kustomizationPath,
    commit: () => {
      const text = document.toString({ lineWidth: 0 });
      if (text !== original) scalar.value = text.replace(/\n$/, '');
    },
  };
}

function targetOf(entry: YAMLMap): OperationPatch['target'] {
  const target = entry.get('target');
  if (!isMap(target)) return {};
  return {
    kind: target.get('kind') as string | undefined,
    name: target.get('name') as string | undefined,
  };
}

function itemsOf(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string'
    ? node.value
    : undefined;
}

/** The kustomization's list under a key, created when absent. */
function sequence(kustomization: Document, key: string): YAMLSeq {
  const existing = kustomization.get(key, true);
  if (isSeq(existing)) return existing;
  const created = kustomization.createNode([]) as YAMLSeq;
  kustomization.set(key, created);
  return created;
}

function setOrDelete(map: YAMLMap, key: string, value: string | undefined) {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}
