/**
 * Seeds a Tollgate database with a synthetic fleet, entirely inside
 * PostgreSQL (generate_series), so 100,000 workloads take seconds rather
 * than minutes: clusters with agents in every state, nodes with a few not
 * ready or under pressure, Deployments and one Pod per Deployment.
 */
import type { Knex } from 'knex';

export interface FleetShape {
  clusters: number;
  workloadsPerCluster: number;
  nodesPerCluster: number;
}

// A Deployment as the agent stores it (projected, no status noise): ~1 KB.
const DEPLOYMENT = (name: string, ns: string) =>
  `'{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"' || ${name} || '","namespace":"' || ${ns} || '","labels":{"app.kubernetes.io/name":"' || ${name} || '","app.kubernetes.io/part-of":"shop","team":"payments"},"annotations":{"deployment.kubernetes.io/revision":"7"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app.kubernetes.io/name":"' || ${name} || '"}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},"template":{"metadata":{"labels":{"app.kubernetes.io/name":"' || ${name} || '"}},"spec":{"serviceAccountName":"' || ${name} || '","containers":[{"name":"app","image":"registry.example.com/shop/' || ${name} || ':1.4.2","ports":[{"containerPort":8080,"name":"http"}],"env":[{"name":"LOG_LEVEL"},{"name":"DB_HOST"}],"resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"memory":"512Mi"}},"readinessProbe":{"httpGet":{"path":"/ready","port":"http"}},"livenessProbe":{"httpGet":{"path":"/live","port":"http"}}}]}}}}'`;

const POD = (name: string, ns: string, node: string) =>
  `'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"' || ${name} || '-7c9f8d-x2x9q","namespace":"' || ${ns} || '","labels":{"app.kubernetes.io/name":"' || ${name} || '"},"ownerReferences":[{"kind":"ReplicaSet","name":"' || ${name} || '-7c9f8d"}]},"spec":{"nodeName":"' || ${node} || '","containers":[{"name":"app","image":"registry.example.com/shop/' || ${name} || ':1.4.2","resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"memory":"512Mi"}}}]},"status":{"phase":"Running","qosClass":"Burstable"}}'`;

const NODE = `'{"apiVersion":"v1","kind":"Node","metadata":{"name":"' || n.name || '","labels":{"kubernetes.io/os":"linux","node.kubernetes.io/instance-type":"' || n.instance_type || '","topology.kubernetes.io/region":"eu-west-1","topology.kubernetes.io/zone":"eu-west-1a"' || CASE WHEN n.spot THEN ',"karpenter.sh/capacity-type":"spot"' ELSE '' END || '}},"spec":{"providerID":"aws:///eu-west-1a/i-0' || md5(n.name || n.cluster_id) || '"' || CASE WHEN n.cordoned THEN ',"unschedulable":true' ELSE '' END || '},"status":{"capacity":{"cpu":"' || n.cpu || '","memory":"' || n.memory || '","pods":"110"},"allocatable":{"cpu":"' || n.cpu || '","memory":"' || n.memory || '","pods":"110"},"conditions":[{"type":"MemoryPressure","status":"' || CASE WHEN n.pressure THEN 'True' ELSE 'False' END || '"},{"type":"DiskPressure","status":"False"},{"type":"PIDPressure","status":"False"},{"type":"Ready","status":"' || CASE WHEN n.ready THEN 'True' ELSE 'False' END || '"}],"nodeInfo":{"architecture":"amd64","operatingSystem":"linux","kubeletVersion":"v1.31.2","containerRuntimeVersion":"containerd://1.7.22"}}}'`;

export async function seedFleet(db: Knex, shape: FleetShape): Promise<void> {
  const { clusters, workloadsPerCluster, nodesPerCluster } = shape;
  await db.raw(
    `INSERT INTO clusters (id, name, display_name, provider, region, environment, metadata, created_by, created_at, updated_at)
     SELECT gen_random_uuid()::text, 'fleet-' || lpad(g::text, 4, '0'), 'Fleet cluster ' || g, 'aws', 'eu-west-1',
            (ARRAY['development','staging','production'])[1 + g % 3], '{}', 'user:default/bench', now(), now()
     FROM generate_series(1, ?) g`,
    [clusters],
  );
  // Agents: 2% never connected, 3% offline, 5% stale, the rest fresh.
  await db.raw(
    `INSERT INTO cluster_agents (cluster_id, token_hash, token_created_at, agent_version, kubernetes_version, last_heartbeat_at)
     SELECT c.id, encode(sha256(c.id::bytea), 'hex'), now(), '0.1.0', 'v1.31.2',
            CASE WHEN r.k < 2 THEN NULL
                 WHEN r.k < 5 THEN now() - interval '2 hours'
                 WHEN r.k < 10 THEN now() - interval '3 minutes'
                 ELSE now() - interval '5 seconds' END
     FROM (SELECT id, row_number() OVER (ORDER BY name) % 100 AS k FROM clusters) r
     JOIN clusters c ON c.id = r.id`,
  );
  // Nodes: one in 40 not ready, one in 50 under memory pressure, one in 100 cordoned, a third spot.
  await db.raw(
    `INSERT INTO cluster_objects (cluster_id, api_version, kind, namespace, name, object, hash, snapshot_id, first_seen_at, last_seen_at)
     SELECT n.cluster_id, 'v1', 'Node', '', n.name, ${NODE}, md5(n.cluster_id || n.name) || md5(n.name), NULL, now(), now()
     FROM (
       SELECT c.id AS cluster_id, 'ip-10-0-' || g || '-1.eu-west-1.compute.internal' AS name,
              (ARRAY['m5.large','m5.xlarge','c5.2xlarge','r5.large','x9.unknown'])[1 + (g + length(c.id)) % 5] AS instance_type,
              (ARRAY['2','4','8','2','16'])[1 + (g + length(c.id)) % 5] AS cpu,
              (ARRAY['8Gi','16Gi','16Gi','16Gi','64Gi'])[1 + (g + length(c.id)) % 5] AS memory,
              g % 3 = 0 AS spot,
              (hashtext(c.id || g) % 40) <> 0 AS ready,
              (hashtext(c.id || g || 'p') % 50) = 0 AS pressure,
              (hashtext(c.id || g || 'c') % 100) = 0 AS cordoned
       FROM clusters c CROSS JOIN generate_series(1, ?) g
     ) n`,
    [nodesPerCluster],
  );
  // Workloads and one Pod each, in ten namespaces per cluster.
  for (const [kind, apiVersion, template] of [
    ['Deployment', 'apps/v1', DEPLOYMENT("'app-' || g", "'team-' || (g % 10)")],
    [
      'Pod',
      'v1',
      POD(
        "'app-' || g",
        "'team-' || (g % 10)",
        "'ip-10-0-1-1.eu-west-1.compute.internal'",
      ),
    ],
  ] as const) {
    const name =
      kind === 'Pod' ? `'app-' || g || '-7c9f8d-x2x9q'` : `'app-' || g`;
    await db.raw(
      `INSERT INTO cluster_objects (cluster_id, api_version, kind, namespace, name, object, hash, snapshot_id, first_seen_at, last_seen_at)
       SELECT c.id, ?, ?, 'team-' || (g % 10), ${name}, ${template}, md5(c.id || ${name}) || md5(${name}), NULL, now(), now()
       FROM clusters c CROSS JOIN generate_series(1, ?) g`,
      [apiVersion, kind, workloadsPerCluster],
    );
  }
  await db.raw('ANALYZE');
}
