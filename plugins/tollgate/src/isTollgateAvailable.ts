import type { Entity } from '@backstage/catalog-model';
import {
  ENVIRONMENTS_ANNOTATION,
  hasTollgateAnnotations,
} from '@tollgate/plugin-tollgate-common';

/**
 * True when the entity declares its environments for Tollgate
 * (`tollgate.io/environments`) and names its workload, so the Promotion and
 * Cost tabs have something to show.
 */
export function isTollgateAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations;
  return Boolean(
    annotations?.[ENVIRONMENTS_ANNOTATION]?.trim() &&
      hasTollgateAnnotations(annotations),
  );
}
