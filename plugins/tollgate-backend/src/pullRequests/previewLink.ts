import { parseEntityRef } from '@backstage/catalog-model';

/** The entity tab that shows promotions (see the frontend's `tollgate-promotion`). */
const PROMOTION_TAB = 'tollgate-promotion';

/**
 * The preview in the portal: the entity's promotion tab with the promotion
 * opened, or the promotions page for a promotion without an entity.
 */
export function previewLink(
  appBaseUrl: string,
  promotionId: string,
  entityRef: string | null,
): string {
  const base = appBaseUrl.replace(/\/+$/, '');
  const query = `?promotion=${encodeURIComponent(promotionId)}`;
  if (!entityRef) return `${base}/tollgate/promotions${query}`;
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const path = [namespace, kind, name]
    .map(part => encodeURIComponent(part.toLowerCase()))
    .join('/');
  return `${base}/catalog/${path}/${PROMOTION_TAB}${query}`;
}
