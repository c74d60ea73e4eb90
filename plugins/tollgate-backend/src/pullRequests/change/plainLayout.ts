import { stringify } from 'yaml';
import type { ObjectDiff } from '@tollgate/plugin-tollgate-common';
import type { EditableFiles } from './editableFiles';
import {
  addedObject,
  applyFieldEdit,
  fieldEditsOf,
  objectLabel,
  type EditContext,
} from './edits';
import { indexManifests, newObjectFileName } from './manifestIndex';
import { YamlTree } from './yamlTree';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';

/**
 * Plain manifests: each changed field is set in the document that holds
 * the object; an added object gets a file of its own in the folder.
 */
export async function applyPlainLayout(
  files: EditableFiles,
  folder: string,
  objects: ObjectDiff[],
  context: EditContext & { sourceObjects?: K8sObject[] },
): Promise<void> {
  const index = await indexManifests(files, folder);
  for (const edit of fieldEditsOf(objects)) {
    const location = index.get(objectLabel(edit.object));
    if (!location) {
      context.manualSteps.push(
        `${objectLabel(edit.object)} is not written in ${folder}: change ${
          edit.change.path
        } where it is defined`,
      );
      continue;
    }
    applyFieldEdit(
      new YamlTree(location.document),
      edit,
      location.file.path,
      context,
    );
  }
  for (const diff of objects.filter(object => object.status === 'added')) {
    const object = addedObject(
      diff,
      context.sourceObjects,
      context.manualSteps,
    );
    if (!object) continue;
    await files.create(
      `${folder}/${newObjectFileName(diff.kind, diff.name)}`,
      stringify(object, { lineWidth: 0 }),
    );
  }
}
