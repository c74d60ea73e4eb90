import {
  computePreview,
  selectWorkloadObjects,
  type ClusterPromotionSide,
  type K8sObject,
} from '@tollgate/plugin-tollgate-common';
import {
  demoClusterObjects,
  type DemoEnvironment,
} from '../../services/__testUtils__/demoClusters';
import { buildFacts, identifiersOf, type FactsInput } from '../facts';

export const SECRET_ENV_VALUE = 'sk_live_51HxQ2eDemoSecretValue';

function side(environment: DemoEnvironment): ClusterPromotionSide {
  return {
    type: 'cluster',
    environment,
    cluster_id: `id-${environment}`,
    cluster_name: `demo-${environment}`,
    namespace: 'shop',
    snapshot_id: null,
    last_seen_at: null,
    object_count: 0,
    objects_fingerprint: '0'.repeat(64),
  };
}

function workloadOf(environment: DemoEnvironment): K8sObject[] {
  const objects = demoClusterObjects(environment) as K8sObject[];
  return selectWorkloadObjects(objects, { name: 'checkout-api' });
}

/**
 * Facts of the demo promotion of checkout-api from staging to production,
 * computed by the engine from the raw example manifests (env values and
 * all). `changeSource` edits the staging Deployment first.
 */
export function demoFacts(changeSource?: (deployment: any) => void) {
  const source = workloadOf('staging');
  const deployment = source.find(o => o.kind === 'Deployment') as any;
  deployment.spec.template.spec.containers[0].env.push({
    name: 'STRIPE_KEY',
    value: SECRET_ENV_VALUE,
  });
  changeSource?.(deployment);
  const target = workloadOf('production');
  const nodes = (demoClusterObjects('production') as K8sObject[]).filter(
    o => o.kind === 'Node',
  );
  const result = computePreview({
    source: { objects: source },
    target: { objects: target },
    context: { nodes, provider: 'aws', region: 'eu-west-1' },
  });
  const input: FactsInput = {
    workload: 'checkout-api',
    source: side('staging'),
    target: side('production'),
    result,
    objects: [...source, ...target],
  };
  return {
    result,
    facts: buildFacts(input),
    identifiers: identifiersOf(input),
  };
}
