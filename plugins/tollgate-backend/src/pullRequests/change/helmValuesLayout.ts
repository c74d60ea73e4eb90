import { posix } from 'node:path';
import type { ObjectDiff } from '@tollgate/plugin-tollgate-common';
import type { EditableFiles } from './editableFiles';
import {
  applyFieldEdit,
  fieldEditsOf,
  imageContainer,
  isReplicasEdit,
  objectLabel,
  type EditContext,
  type FieldEdit,
} from './edits';
import { parseFieldPath, type PathSegment } from './fieldPath';
import { splitImage } from './kustomizeLayout';
import type { HelmValuesOptions } from './types';
import { YamlTree } from './yamlTree';
import { InputError } from '@backstage/errors';

export const DEFAULT_HELM_VALUES: HelmValuesOptions = {
  valuesFile: 'values.yaml',
  imageRepositoryPath: 'image.repository',
  imageTagPath: 'image.tag',
  replicasPath: 'replicaCount',
  resourcesPath: 'resources',
};

/**
 * A Helm values file: the image tag (and repository), the replica count and
 * container resources map to configured values paths; other changes are
 * listed as manual steps, since the chart decides how values become fields.
 */
export async function applyHelmValuesLayout(
  files: EditableFiles,
  folder: string,
  objects: ObjectDiff[],
  options: HelmValuesOptions,
  context: EditContext,
): Promise<void> {
  const path = posix.join(folder, options.valuesFile);
  const file = await files.open(path);
  if (!file) {
    throw new InputError(`The Helm values file ${path} does not exist`);
  }
  const values = new YamlTree(file.documents[0]);
  for (const edit of fieldEditsOf(objects)) {
    const mapped = valuesEdits(edit, options);
    if (mapped.length === 0) {
      context.manualSteps.push(
        `Change ${edit.change.path} of ${objectLabel(
          edit.object,
        )} in the chart's values by hand: no values path is configured for it`,
      );
    }
    for (const valuesEdit of mapped) {
      applyFieldEdit(values, valuesEdit, path, context);
    }
  }
  for (const diff of objects.filter(object => object.status === 'added')) {
    context.manualSteps.push(
      `Add ${objectLabel(
        diff,
      )} through the chart: Tollgate does not add objects to a Helm values file`,
    );
  }
}

/** The values-file edits one manifest field edit stands for. */
function valuesEdits(edit: FieldEdit, options: HelmValuesOptions): FieldEdit[] {
  const at = (path: string, rest: PathSegment[] = []) => [
    ...parseFieldPath(path),
    ...rest,
  ];
  if (imageContainer(edit)) {
    const before = splitImage(edit.change.before as string);
    const after = splitImage(edit.change.after as string);
    const edits: FieldEdit[] = [
      retarget(edit, at(options.imageTagPath), before.tag, after.tag),
    ];
    if (before.name !== after.name) {
      edits.push(
        retarget(
          edit,
          at(options.imageRepositoryPath),
          before.name,
          after.name,
        ),
      );
    }
    return edits;
  }
  if (isReplicasEdit(edit)) {
    return [
      retarget(
        edit,
        at(options.replicasPath),
        edit.change.before,
        edit.change.after,
      ),
    ];
  }
  const resources = edit.path.findIndex(segment => segment === 'resources');
  const inContainer =
    resources > 0 && typeof edit.path[resources - 1] === 'object';
  if (inContainer) {
    const rest = edit.path.slice(resources + 1);
    return [{ ...edit, path: at(options.resourcesPath, rest) }];
  }
  return [];
}

function retarget(
  edit: FieldEdit,
  path: PathSegment[],
  before: unknown,
  after: unknown,
): FieldEdit {
  return { ...edit, path, change: { ...edit.change, before, after } };
}
