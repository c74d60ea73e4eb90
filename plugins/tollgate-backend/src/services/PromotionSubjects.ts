import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  parseTollgateAnnotations,
  TollgateAnnotationError,
  type PromotionPreviewRequest,
} from '@tollgate/plugin-tollgate-common';
import type { PromotionSubject } from './SideLocator';

/** The catalog calls a preview needs, made with the caller's credentials. */
export type EntityCatalog = Pick<CatalogService, 'getEntityByRef'>;

/** Finds what a preview promotes: a catalog entity's workload, or a bare one. */
export class PromotionSubjects {
  constructor(private readonly catalog: EntityCatalog) {}

  async resolve(
    request: Pick<PromotionPreviewRequest, 'entityRef' | 'workload'>,
    credentials: BackstageCredentials,
  ): Promise<PromotionSubject> {
    if (!request.entityRef) {
      const { name, labelSelector } = request.workload!;
      return {
        entityRef: null,
        selector: { name, ...(labelSelector ? { labelSelector } : {}) },
      };
    }
    const entityRef = normalizeEntityRef(request.entityRef);
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No catalog entity '${entityRef}'`);
    }
    try {
      const annotations = parseTollgateAnnotations(
        entity.metadata.name,
        entity.metadata.annotations,
      );
      return { entityRef, selector: annotations.workload, annotations };
    } catch (error) {
      if (!(error instanceof TollgateAnnotationError)) throw error;
      throw new InputError(
        `Entity '${entityRef}' is not set up for Tollgate: ${error.message}`,
      );
    }
  }
}

/** `component:default/checkout-api`; a bare name is a Component in `default`. */
export function normalizeEntityRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `Invalid entityRef '${ref}': ${(error as Error).message}`,
    );
  }
}
