import { randomUUID } from 'node:crypto';
import {
  computePreview,
  toPromotionCost,
  type K8sObject,
  type PromotionPreview,
} from '@tollgate/plugin-tollgate-common';
import type { NewPromotion } from '../../stores/PromotionStore';
import type { TollgateStores } from '../../stores/TollgateStores';
import { clusterSide } from '../../__testUtils__/promotions';

/**
 * Stores a real engine result for checkout-api from staging to production
 * and returns it as `GET /v1/promotions/:id` would.
 */
export async function storePromotion(
  stores: TollgateStores,
  source: K8sObject[],
  target: K8sObject[],
): Promise<PromotionPreview> {
  const preview = computePreview({
    source: { objects: source },
    target: { objects: target },
  });
  const promotion: NewPromotion = {
    id: randomUUID(),
    entityRef: 'component:default/checkout-api',
    workload: { name: 'checkout-api', label_selector: null },
    source: clusterSide('staging'),
    target: clusterSide('production'),
    inputsFingerprint: 'a'.repeat(64),
    createdBy: 'user:default/alice',
    preview,
  };
  await stores.promotions.insert(promotion, new Date());
  const { summary } = preview;
  return {
    promotion_id: promotion.id,
    entity_ref: promotion.entityRef,
    workload: promotion.workload,
    state: 'previewed',
    source: promotion.source,
    target: promotion.target,
    risk_level: summary.riskLevel,
    risk_score: summary.riskScore,
    summary,
    inputs_fingerprint: promotion.inputsFingerprint,
    created_at: new Date().toISOString(),
    created_by: promotion.createdBy,
    diff: preview.diff,
    estimated_cost: toPromotionCost(preview.cost),
    risks: preview.risk.findings,
    explanation: {
      text: 'Promotes checkout-api 2.4.0 to production with 2 replicas.',
      generator: 'deterministic',
      provider: null,
      model: null,
      numbers_check: 'not-applicable',
      fallback_reason: null,
      facts_hash: 'b'.repeat(64),
      cached: false,
      created_at: new Date().toISOString(),
    },
  } as PromotionPreview;
}
