import { InputError } from '@backstage/errors';
import type { ObjectDiff } from '@tollgate/plugin-tollgate-common';
import { EditableFiles } from './editableFiles';
import { Conflicts, objectLabel, valueResolver } from './edits';
import { applyHelmValuesLayout, DEFAULT_HELM_VALUES } from './helmValuesLayout';
import { applyKustomizeLayout, findKustomization } from './kustomizeLayout';
import { applyPlainLayout } from './plainLayout';
import type { ChangeRequest, PromotionChange } from './types';

/**
 * The file edits that make the target environment's GitOps folder say what
 * the source runs, for what the preview found different, edited on the
 * YAML syntax tree so comments and formatting stay. Throws a ConflictError
 * naming the files when the base branch changed a line the edit must touch.
 */
export async function buildPromotionChange(
  request: ChangeRequest,
): Promise<PromotionChange> {
  const files = new EditableFiles(request.files);
  const manualSteps: string[] = [];
  const conflicts = new Conflicts();
  const context = {
    conflicts,
    manualSteps,
    valueFor: valueResolver(request.sourceObjects, manualSteps),
    sourceObjects: request.sourceObjects,
  };
  const objects = request.diff.objects;
  const { path, layout } = request.target;
  if (layout === 'helm-values') {
    const helm = { ...DEFAULT_HELM_VALUES, ...request.helm };
    await applyHelmValuesLayout(files, path, objects, helm, context);
  } else if (await findKustomization(files, path)) {
    await applyKustomizeLayout(files, path, objects, context);
  } else if (layout === 'kustomize') {
    throw new InputError(`${path} has no kustomization file`);
  } else {
    await applyPlainLayout(files, path, objects, context);
  }
  manualSteps.push(...objectsLeftAlone(objects));
  conflicts.throwIfAny();
  return { files: await files.changes(), manualSteps: unique(manualSteps) };
}

/** Removed and renamed objects are never deleted by a promotion. */
function objectsLeftAlone(objects: ObjectDiff[]): string[] {
  return objects.flatMap(object => {
    if (object.status === 'removed') {
      return [
        `${objectLabel(
          object,
        )} is not in the source: delete it by hand if it should go`,
      ];
    }
    if (object.status === 'renamed') {
      return [
        `${object.kind}/${object.previousName} is ${objectLabel(
          object,
        )} in the source: rename it by hand`,
      ];
    }
    return [];
  });
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
