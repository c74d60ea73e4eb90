import { randomUUID } from 'node:crypto';
import {
  computePreview,
  type ClusterPromotionSide,
} from '@tollgate/plugin-tollgate-common';
import type { NewPromotion } from '../stores/PromotionStore';
import { deployment, node } from './objects';

/** A cluster side in namespace shop of cluster demo-<environment>. */
export function clusterSide(environment: string): ClusterPromotionSide {
  return {
    type: 'cluster',
    environment,
    cluster_id: randomUUID(),
    cluster_name: `demo-${environment}`,
    namespace: 'shop',
    snapshot_id: null,
    last_seen_at: null,
    object_count: 1,
    objects_fingerprint: 'f'.repeat(64),
  };
}

/** A stored-ready promotion between two environments, with a real engine result. */
export function promotionBetween(
  sourceEnvironment: string,
  targetEnvironment: string,
): NewPromotion {
  return {
    id: randomUUID(),
    entityRef: 'component:default/api',
    workload: { name: 'api', label_selector: null },
    source: clusterSide(sourceEnvironment),
    target: clusterSide(targetEnvironment),
    inputsFingerprint: 'a'.repeat(64),
    createdBy: 'user:default/alice',
    preview: computePreview({
      source: { objects: [deployment('api', 'ghcr.io/acme/api:2.0.0')] },
      target: { objects: [deployment('api')] },
      context: { nodes: [node('ip-10-0-1-1')] },
    }),
  };
}
