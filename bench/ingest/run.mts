/**
 * Ingest benchmark: the real agent pushes the first snapshot of a synthetic
 * cluster of N pods through HTTP into a real Tollgate backend process that
 * stores it in PostgreSQL. Measures the time from agent start to the
 * snapshot being complete in the store, and the store's ingest throughput.
 *
 * Usage: node bench/ingest/run.mts [--pods 10000] [--runs 3] [--write]
 * Needs PostgreSQL at TOLLGATE_BENCH_PG (default postgresql://postgres@127.0.0.1:5432).
 * `--write` records the figures in bench/ingest/RESULTS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectObject } from '../../agent/src/projection.ts';
import { isAgentKind, type ProjectedObject } from '../../agent/src/protocol.ts';
import {
  FAKE_RESOURCES,
  FakeKubeApi,
} from '../../agent/test/support/fakeKubeApi.ts';
import { imageEnvironment } from '../../agent/test/support/imageEnvironment.ts';
import { seedCluster } from '../agent/syntheticCluster.mts';
import { TollgateBackend, until } from '../support/tollgateBackend.mts';

const ROOT = new URL('../../', import.meta.url).pathname;
const AGENT_MAIN = join(ROOT, 'agent/src/main.ts');
const RESULTS = new URL('./RESULTS.md', import.meta.url).pathname;
const TARGET_SECONDS = 10;

interface Measurement {
  pods: number;
  objects: number;
  /** Agent process start to the snapshot marked complete in PostgreSQL. */
  secondsToStored: number;
  /** The same objects posted as snapshot parts by the benchmark itself: HTTP, validation and PostgreSQL only. */
  ingestSeconds: number;
  objectsPerSecond: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pods: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '3' },
      write: { type: 'boolean', default: false },
    },
  });
  const pods = Number(values.pods);
  const backend = await TollgateBackend.start();
  const measurements: Measurement[] = [];
  try {
    for (let run = 1; run <= Number(values.runs); run++) {
      const measurement = await measure(backend, pods, `bench-${run}`);
      console.log(JSON.stringify(measurement));
      measurements.push(measurement);
    }
  } finally {
    await backend.stop();
  }
  const report = renderResults(measurements, process.argv.slice(2).join(' '));
  console.log(`\n${report}`);
  if (values.write) await writeFile(RESULTS, report);
}

async function measure(
  backend: TollgateBackend,
  pods: number,
  clusterName: string,
): Promise<Measurement> {
  const api = await FakeKubeApi.start({ optionalGroups: [] });
  const objects = seedCluster(api, pods);
  const directory = await mkdtemp(join(tmpdir(), 'tollgate-ingest-bench-'));
  let agent: ChildProcess | undefined;
  try {
    const { cluster, token } = await backend.registerCluster(clusterName);
    await writeFile(join(directory, 'kubeconfig'), api.kubeConfigYaml());
    const startedAt = Date.now();
    agent = spawn(process.execPath, [AGENT_MAIN], {
      env: {
        PATH: process.env.PATH,
        HOME: directory,
        KUBECONFIG: join(directory, 'kubeconfig'),
        TOLLGATE_BACKEND_URL: backend.apiUrl,
        TOLLGATE_CLUSTER_ID: cluster.id,
        TOLLGATE_TOKEN: token,
        TOLLGATE_PORT: '0',
        TOLLGATE_LOG_LEVEL: 'warn',
        // As the image runs it (agent/Dockerfile).
        ...imageEnvironment(),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const snapshot = await until(async () => {
      if (agent!.exitCode !== null)
        throw new Error(`the agent exited with ${agent!.exitCode}`);
      const { items } = await backend.call(
        'GET',
        `/v1/clusters/${cluster.id}/snapshots`,
      );
      return items.find((s: { status: string }) => s.status === 'complete');
    }, 300_000);
    const secondsToStored = (Date.now() - startedAt) / 1000;
    if (snapshot.objectCount !== objects) {
      throw new Error(
        `stored ${snapshot.objectCount} objects, expected ${objects}`,
      );
    }
    const ingestSeconds = await ingestDirectly(
      backend,
      projectAll(api),
      `${clusterName}-direct`,
    );
    return {
      pods,
      objects,
      secondsToStored,
      ingestSeconds,
      objectsPerSecond: Math.round(objects / ingestSeconds),
    };
  } finally {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGTERM');
      await once(agent, 'exit');
    }
    await api.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Every object the fake API serves, as the agent projects it. */
function projectAll(api: FakeKubeApi): ProjectedObject[] {
  return FAKE_RESOURCES.flatMap(({ kind, apiVersion }) =>
    isAgentKind(kind)
      ? api
          .objects(kind)
          .map(raw => projectObject(raw, { apiVersion, kind }))
          .filter((object): object is ProjectedObject => !!object)
      : [],
  );
}

/** Posts one full snapshot for a new cluster; returns the seconds the parts took. */
async function ingestDirectly(
  backend: TollgateBackend,
  objects: ProjectedObject[],
  clusterName: string,
): Promise<number> {
  const { token } = await backend.registerCluster(clusterName);
  return backend.pushSnapshot(token, objects);
}

function renderResults(measurements: Measurement[], args: string): string {
  const rows = measurements.map((m, index) => {
    const cells = [
      index + 1,
      m.pods.toLocaleString('en'),
      m.objects.toLocaleString('en'),
      `${m.secondsToStored.toFixed(1)} s`,
      `${m.ingestSeconds.toFixed(2)} s`,
      m.objectsPerSecond.toLocaleString('en'),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const worst = Math.max(...measurements.map(m => m.secondsToStored));
  const cpu = cpus();
  return [
    '# Ingest benchmark results',
    '',
    `Command: \`node bench/ingest/run.mts ${args}\` (from the repository root, Node ${process.version}).`,
    `Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpu.length} cores (${
      cpu[0]?.model ?? 'unknown CPU'
    }), ${Math.round(
      totalmem() / 2 ** 30,
    )} GiB RAM; PostgreSQL on the same machine.`,
    `Agent environment, as agent/Dockerfile sets it: ${Object.entries(
      imageEnvironment(),
    )
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}.`,
    '',
    'The real agent (`node agent/src/main.ts`) lists a synthetic cluster from the fake',
    'Kubernetes API server and pushes its first snapshot over HTTP, gzip-compressed and',
    'token-authenticated, to a separate backend process running only the Tollgate plugin',
    '(`bench/support/backend.ts`, NODE_ENV=production) on a fresh PostgreSQL database. The',
    'cluster and its agent token are created through the REST API. "Stored" runs from',
    'spawning the agent (Node start-up included) until the snapshot is `complete` in',
    'PostgreSQL, read back through `GET /v1/clusters/:id/snapshots`. "Ingest only" posts',
    'the same projected objects as snapshot parts of a second new cluster from the',
    "benchmark itself (the agent's own HTTP client, gzip, 5,000 objects per part) and",
    'times just those requests: HTTP, validation and the PostgreSQL writes.',
    '',
    '| Run | Pods | Objects | Agent → stored | Ingest only | Ingest objects/s |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Target: a 10,000-pod snapshot stored within ${TARGET_SECONDS} s. Slowest run: ${worst.toFixed(
      1,
    )} s (${worst < TARGET_SECONDS ? 'met' : 'missed'}).`,
    '',
  ].join('\n');
}

await main();
