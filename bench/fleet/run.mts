/**
 * Fleet overview benchmark: `GET /api/tollgate/v1/fleet/summary` over HTTP
 * against a real Tollgate backend process on PostgreSQL seeded with 1,000
 * clusters, 100,000 workloads (Deployments, plus one Pod each) and 5 nodes
 * per cluster. Requests go one after another after warm-up; p95 must stay
 * below 200 ms.
 *
 * Usage: node bench/fleet/run.mts [--clusters 1000] [--workloads 100] [--nodes 5] [--requests 1000] [--write]
 * Needs PostgreSQL at TOLLGATE_BENCH_PG (default postgresql://postgres@127.0.0.1:5432).
 * `--write` records the figures in bench/fleet/RESULTS.md.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import knexFactory from 'knex';
import { TollgateBackend } from '../support/tollgateBackend.mts';
import { seedFleet } from './seed.mts';

const RESULTS = new URL('./RESULTS.md', import.meta.url).pathname;
const TARGET_P95_MS = 200;
const WARMUP = 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '1000' },
      workloads: { type: 'string', default: '100' },
      nodes: { type: 'string', default: '5' },
      requests: { type: 'string', default: '1000' },
      write: { type: 'boolean', default: false },
    },
  });
  const shape = {
    clusters: Number(values.clusters),
    workloadsPerCluster: Number(values.workloads),
    nodesPerCluster: Number(values.nodes),
  };
  const backend = await TollgateBackend.start();
  const apiUrl = backend.apiUrl;
  let db: ReturnType<typeof knexFactory> | undefined;
  try {
    db = knexFactory({ client: 'pg', connection: backend.databaseUrl });
    const seedStarted = performance.now();
    await seedFleet(db, shape);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const counts = await db('cluster_objects')
      .select('kind')
      .count({ n: '*' })
      .groupBy('kind');
    console.log(`seeded in ${seedSeconds.toFixed(1)} s`, counts);

    const call = async () => {
      const started = performance.now();
      const response = await fetch(`${apiUrl}/v1/fleet/summary`, {
        headers: { authorization: backend.authorization },
      });
      const body = await response.text();
      const ms = performance.now() - started;
      if (!response.ok) throw new Error(`${response.status}: ${body}`);
      return { ms, bytes: body.length, body };
    };
    const cold = await call();
    for (let i = 1; i < WARMUP; i++) await call();
    const timings: number[] = [];
    const runStarted = performance.now();
    let last = await call();
    for (let i = 0; i < Number(values.requests); i++) {
      last = await call();
      timings.push(last.ms);
    }
    const runSeconds = (performance.now() - runStarted) / 1000;
    const summary = JSON.parse(last.body);
    const report = renderResults({
      args: process.argv.slice(2).join(' '),
      shape,
      counts: Object.fromEntries(counts.map(c => [c.kind, Number(c.n)])),
      seedSeconds,
      timings,
      bytes: last.bytes,
      coldMs: cold.ms,
      runSeconds,
      totals: summary.totals,
      workloads: summary.clusters.reduce(
        (total: number, c: { workloads: number }) => total + c.workloads,
        0,
      ),
    });
    console.log(`\n${report}`);
    if (values.write) await writeFile(RESULTS, report);
  } finally {
    await db?.destroy();
    await backend.stop();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

function renderResults(run: {
  args: string;
  shape: {
    clusters: number;
    workloadsPerCluster: number;
    nodesPerCluster: number;
  };
  counts: Record<string, number>;
  seedSeconds: number;
  timings: number[];
  bytes: number;
  coldMs: number;
  runSeconds: number;
  totals: Record<string, number>;
  workloads: number;
}): string {
  const sorted = [...run.timings].sort((a, b) => a - b);
  const [p50, p95, p99, max] = [
    percentile(sorted, 50),
    percentile(sorted, 95),
    percentile(sorted, 99),
    sorted[sorted.length - 1],
  ].map(ms => `${Math.round(ms)} ms`);
  const met = percentile(sorted, 95) < TARGET_P95_MS;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const objects = Object.values(run.counts).reduce((a, b) => a + b, 0);
  return `# Fleet overview benchmark results

Command: \`node bench/fleet/run.mts ${
    run.args
  }\` (from the repository root, Node ${process.version}).
Date: ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} cores (${cpu.trim()}), ${Math.round(
    totalmem() / 2 ** 30,
  )} GiB RAM; PostgreSQL on the same machine, shared with other work.

A backend process running only the Tollgate plugin (\`bench/support/backend.ts\`) on a
fresh PostgreSQL database, seeded inside PostgreSQL (\`bench/fleet/seed.mts\`) with
${run.shape.clusters.toLocaleString(
  'en',
)} clusters and their agents (2% never connected, 3% offline, 5% stale), ${
    run.shape.nodesPerCluster
  } nodes per cluster
(some not ready, under pressure or cordoned; five instance types, one without a price),
${
  run.shape.workloadsPerCluster
} Deployments per cluster and one Pod per Deployment:
${objects.toLocaleString('en')} stored objects (${Object.entries(run.counts)
    .map(([kind, n]) => `${kind} ${n.toLocaleString('en')}`)
    .join(', ')}), seeded in ${run.seedSeconds.toFixed(1)} s.
Each request is a full \`GET /api/tollgate/v1/fleet/summary\` over HTTP with a static
service token (permissions off), one after another after ${WARMUP} warm-up requests.
The endpoint never loads objects. Per request it reads clusters with their agents (one
row per cluster: heartbeat ages are always live). Two aggregate queries over
\`cluster_objects\` (live workloads per cluster; nodes grouped by cluster, type, region and
capacity, with readiness and pressure read from the stored conditions by PostgreSQL's
jsonb functions) are reused for 15 s and then recomputed in the background while the
previous figures are served. The measured requests took ${run.runSeconds.toFixed(
    0,
  )} s, so about ${Math.floor(
    run.runSeconds / 15,
  )} background recomputations competed with them for the same two cores.
Without that reuse every request would pay for the scans: the first request after
start computes them in the request and took ${Math.round(run.coldMs)} ms.

Response: ${run.totals.total} clusters (healthy ${
    run.totals.healthy
  }, warning ${run.totals.warning}, critical ${run.totals.critical}, offline ${
    run.totals.offline
  }), ${run.workloads.toLocaleString('en')} workloads, ${Math.round(
    run.bytes / 1024,
  )} KiB of JSON.

| Requests |   p50 |   p95 |   p99 |   max |
| -------: | ----: | ----: | ----: | ----: |
| ${String(run.timings.length).padStart(
    8,
  )} | ${p50} | ${p95} | ${p99} | ${max} |

Target: p95 below ${TARGET_P95_MS} ms: ${met ? 'met' : 'NOT met'}.
`;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
