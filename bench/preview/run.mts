/**
 * Preview latency benchmark: `POST /v1/promotions/preview` over HTTP for a
 * 50-object workload whose staging and production sides are both stored
 * (pushed as agent snapshots into a real backend on PostgreSQL).
 *
 * Usage: node bench/preview/run.mts [--requests 200] [--others 3000] [--write]
 * `--others` is how many unrelated pods (and a quarter as many ConfigMaps)
 * each cluster also holds. `--write` records bench/preview/RESULTS.md.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { TollgateBackend } from '../support/tollgateBackend.mts';
import {
  NAMESPACE,
  PRODUCTION,
  STAGING,
  WORKLOAD,
  surroundings,
  workloadObjects,
} from './workload.mts';

const RESULTS = new URL('./RESULTS.md', import.meta.url).pathname;
const WARM_UP = 10;
const TARGET_P95_MS = 300;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '200' },
      others: { type: 'string', default: '3000' },
      write: { type: 'boolean', default: false },
    },
  });
  const requests = Number(values.requests);
  const others = Number(values.others);
  const backend = await TollgateBackend.start();
  try {
    const stored = await storeBothSides(backend, others);
    const body = {
      workload: { name: WORKLOAD },
      source: { cluster: 'bench-staging', namespace: NAMESPACE },
      target: { cluster: 'bench-production', namespace: NAMESPACE },
    };
    const first = await backend.call('POST', '/v1/promotions/preview', body);
    const objects = first.summary.objects;
    for (let i = 1; i < WARM_UP; i++)
      await backend.call('POST', '/v1/promotions/preview', body);
    const latencies: number[] = [];
    for (let i = 0; i < requests; i++) {
      const startedAt = performance.now();
      await backend.call('POST', '/v1/promotions/preview', body);
      latencies.push(performance.now() - startedAt);
    }
    const report = renderResults({
      latencies,
      objects,
      stored,
      others,
      first,
      args: process.argv.slice(2).join(' '),
    });
    console.log(report);
    if (values.write) await writeFile(RESULTS, report);
  } finally {
    await backend.stop();
  }
}

/** Registers both clusters and pushes their snapshots; returns objects stored per cluster. */
async function storeBothSides(
  backend: TollgateBackend,
  others: number,
): Promise<number> {
  let stored = 0;
  for (const [name, variant] of [
    ['bench-staging', STAGING],
    ['bench-production', PRODUCTION],
  ] as const) {
    const { token } = await backend.registerCluster(name);
    const objects = [
      ...workloadObjects(variant),
      ...surroundings(variant, others),
    ];
    await backend.pushSnapshot(token, objects);
    stored = objects.length;
  }
  return stored;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function renderResults(run: {
  latencies: number[];
  objects: Record<string, number>;
  stored: number;
  others: number;
  first: any;
  args: string;
}): string {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const p95 = percentile(sorted, 0.95);
  const cpu = cpus();
  return [
    '# Preview latency benchmark results',
    '',
    `Command: \`node bench/preview/run.mts ${run.args}\` (from the repository root, Node ${process.version}).`,
    `Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpu.length} cores (${
      cpu[0]?.model ?? 'unknown CPU'
    }), ${Math.round(
      totalmem() / 2 ** 30,
    )} GiB RAM; PostgreSQL on the same machine.`,
    '',
    `A ${WORKLOAD} workload of 50 objects (Deployment, 2 Services, Ingress, HPA, PDB,`,
    'ServiceAccount, 39 ConfigMaps, 4 PVCs) runs in two clusters with different image tags,',
    'replicas, resources, an env value and node types. Each cluster also holds',
    `${run.others.toLocaleString(
      'en',
    )} other pods, a quarter as many ConfigMaps, and nodes for them:`,
    `${run.stored.toLocaleString(
      'en',
    )} objects per cluster, pushed as agent snapshots into a backend`,
    'process running only the Tollgate plugin on a fresh PostgreSQL database',
    '(`bench/support/`). Each request is a full `POST /v1/promotions/preview` (load both',
    'sides and the target context, normalise, diff, cost, risk, explain, store the',
    `result) sent one after another after ${WARM_UP} warm-up requests.`,
    '',
    `Objects in the diff: ${JSON.stringify(run.objects)}; risk level ${
      run.first.risk_level
    }; cost ${run.first.estimated_cost?.text ?? ''}.`,
    '',
    '| Requests | p50 | p95 | p99 | max |',
    '|---:|---:|---:|---:|---:|',
    `| ${sorted.length} | ${ms(percentile(sorted, 0.5))} | ${ms(p95)} | ${ms(
      percentile(sorted, 0.99),
    )} | ${ms(sorted[sorted.length - 1])} |`,
    '',
    `Target: p95 below ${TARGET_P95_MS} ms: ${
      p95 < TARGET_P95_MS ? 'met' : 'missed'
    }.`,
    '',
  ].join('\n');
}

await main();
