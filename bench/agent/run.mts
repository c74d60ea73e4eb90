/**
 * Agent memory and snapshot-time benchmark.
 *
 * Serves a synthetic cluster of N pods (plus the nodes, workloads, services
 * and ConfigMaps such a cluster has) from the fake Kubernetes API server,
 * runs the real agent (`node agent/src/main.ts`) as a separate process
 * against a fake backend, and measures:
 * - time from process start to the backend completing the first snapshot,
 * - the agent's own snapshot duration (listing + pushing),
 * - the agent's RSS once the snapshot is done (and its peak, VmHWM).
 *
 * The agent gets the environment the image sets (agent/Dockerfile: e.g.
 * MALLOC_ARENA_MAX), and any TOLLGATE_*, MALLOC_* and UV_* variables of the
 * benchmark's own environment on top, to try settings.
 *
 * Usage: node bench/agent/run.mts [--pods 10000,50000] [--write] [--verbose]
 * `--write` records the figures in bench/agent/RESULTS.md; `--verbose` prints
 * the agent's heap metrics.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { FakeBackend } from '../../agent/test/support/fakeBackend.ts';
import { FakeKubeApi } from '../../agent/test/support/fakeKubeApi.ts';
import { imageEnvironment } from '../../agent/test/support/imageEnvironment.ts';
import { seedCluster } from './syntheticCluster.mts';

const MAIN = new URL('../../agent/src/main.ts', import.meta.url).pathname;
const RESULTS = new URL('./RESULTS.md', import.meta.url).pathname;
let verbose = false;
/** Extra node flags for the agent, e.g. AGENT_NODE_FLAGS="--trace-gc". */
const nodeFlags = (process.env.AGENT_NODE_FLAGS ?? '')
  .split(' ')
  .filter(Boolean);
const TARGET_MIB: Record<number, number> = { 10_000: 150, 50_000: 400 };

interface Measurement {
  pods: number;
  objects: number;
  parts: number;
  secondsToSnapshot: number;
  agentSnapshotSeconds: number;
  /** CPU time (user + system) the agent process used until the snapshot was applied. */
  agentCpuSeconds: number;
  /** 5 s after the snapshot. */
  rssMiB: number;
  /** 30 s after the snapshot, once V8's memory reducer has run. */
  settledRssMiB: number;
  peakRssMiB: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pods: { type: 'string', default: '10000,50000' },
      write: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  verbose = values.verbose;
  const sizes = values.pods.split(',').map(Number);
  const measurements: Measurement[] = [];
  for (const pods of sizes) {
    const measurement = await measure(pods);
    measurements.push(measurement);
    console.log(JSON.stringify(measurement));
  }
  const report = renderResults(measurements, process.argv.slice(2).join(' '));
  console.log(`\n${report}`);
  if (values.write) await writeFile(RESULTS, report);
}

async function measure(pods: number): Promise<Measurement> {
  const api = await FakeKubeApi.start({ optionalGroups: [] });
  const objects = seedCluster(api, pods);
  const backend = await FakeBackend.start();
  const directory = await mkdtemp(join(tmpdir(), 'tollgate-bench-'));
  try {
    await writeFile(join(directory, 'kubeconfig'), api.kubeConfigYaml());
    const startedAt = Date.now();
    const agent = spawn(process.execPath, [...nodeFlags, MAIN], {
      env: {
        PATH: process.env.PATH,
        HOME: directory,
        KUBECONFIG: join(directory, 'kubeconfig'),
        TOLLGATE_BACKEND_URL: backend.url,
        TOLLGATE_CLUSTER_ID: 'bench',
        TOLLGATE_TOKEN: 'test-token',
        TOLLGATE_PORT: '0',
        TOLLGATE_LOG_LEVEL: 'info',
        ...imageEnvironment(),
        ...agentSettings(),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const logs: Array<Record<string, any>> = [];
    createInterface(agent.stdout!).on('line', line => {
      if (line.startsWith('{')) logs.push(JSON.parse(line));
      else if (verbose) console.log(line);
    });
    const exited = () => {
      if (agent.exitCode !== null)
        throw new Error(`the agent exited with ${agent.exitCode}`);
    };
    await until(() => (exited(), backend.completedSnapshots >= 1), 600_000);
    const secondsToSnapshot = (Date.now() - startedAt) / 1000;
    const agentCpuSeconds = await cpuSeconds(agent.pid!);
    await until(
      () => logs.some(entry => entry.msg === 'snapshot sent'),
      10_000,
    );
    await sleep(5000);
    const memory = await processMemory(agent.pid!);
    await sleep(25_000);
    const settled = await processMemory(agent.pid!);
    if (verbose) console.log(await heapMetrics(logs));
    agent.kill('SIGTERM');
    await once(agent, 'exit');
    const sent = logs.find(entry => entry.msg === 'snapshot sent')!;
    return {
      pods,
      objects,
      parts: sent.parts,
      secondsToSnapshot,
      agentSnapshotSeconds: sent.seconds,
      agentCpuSeconds,
      rssMiB: memory.rss,
      settledRssMiB: settled.rss,
      peakRssMiB: settled.peak,
    };
  } finally {
    await api.close();
    await backend.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** TOLLGATE_*, MALLOC_* and UV_* variables of the benchmark's environment, to try settings. */
function agentSettings(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) =>
      /^(TOLLGATE|MALLOC|UV)_/.test(name),
    ),
  ) as Record<string, string>;
}

/** The agent's own view of its heap, from its /metrics endpoint. */
async function heapMetrics(logs: Array<Record<string, any>>): Promise<string> {
  const port = logs.find(
    entry => entry.msg === 'tollgate agent starting',
  )?.port;
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter(line => /^nodejs_(heap|external)/.test(line))
    .map(line =>
      line.replace(
        / (\d+)$/,
        (_, bytes) => ` ${(Number(bytes) / 2 ** 20).toFixed(1)} MiB`,
      ),
    )
    .join('\n');
}

/** VmRSS and VmHWM (peak RSS) from /proc, in MiB. */
async function processMemory(
  pid: number,
): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return {
    rss: Math.round(kib('VmRSS') / 1024),
    peak: Math.round(kib('VmHWM') / 1024),
  };
}

/** utime + stime from /proc/<pid>/stat, in seconds (clock ticks are 100 Hz on Linux). */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8'))
    .split(') ')[1]
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

// ---- results --------------------------------------------------------------

function renderResults(measurements: Measurement[], args: string): string {
  const rows = measurements.map(m => {
    const target = TARGET_MIB[m.pods];
    const verdict = target
      ? `< ${target} MiB: ${m.rssMiB < target ? 'met' : 'missed'}`
      : '';
    const cells = [
      m.pods.toLocaleString('en'),
      m.objects.toLocaleString('en'),
      m.parts,
      `${m.secondsToSnapshot.toFixed(1)} s`,
      `${m.agentSnapshotSeconds.toFixed(1)} s`,
      `${m.agentCpuSeconds.toFixed(1)} s`,
      `${m.rssMiB} MiB`,
      `${m.settledRssMiB} MiB`,
      `${m.peakRssMiB} MiB`,
      verdict,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const cpu = cpus();
  return [
    '# Agent benchmark results',
    '',
    `Command: \`${Object.entries(agentSettings())
      .map(([name, value]) => `${name}=${value} `)
      .join(
        '',
      )}node bench/agent/run.mts ${args}\` (from the repository root, Node ${
      process.version
    }).`,
    `Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpu.length} cores (${
      cpu[0]?.model ?? 'unknown CPU'
    }), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${process.platform}/${
      process.arch
    }.`,
    `Agent environment, as agent/Dockerfile sets it: ${Object.entries(
      imageEnvironment(),
    )
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}.`,
    '',
    'The fake API server and fake backend run in the benchmark process; the agent runs',
    'as its own process (`node agent/src/main.ts`), so its RSS is its own. The synthetic',
    'cluster has, per 10 pods: 1 Deployment, 2 ReplicaSets, 1 Service, 1 ConfigMap;',
    'one Node per 30 pods and one Namespace per 100. Pods look like real ones (managedFields,',
    'projected service-account volume, probes, five conditions), about 5 KB of JSON each.',
    'metrics.k8s.io is not served. "Time to snapshot" runs from process start (Node start-up',
    'and module loading included) to the backend applying the final part; "agent snapshot"',
    'is the agent\'s own figure (listing, projecting, compressing and pushing); "agent CPU"',
    'is the user + system CPU time the agent process had used by then. RSS is read from',
    '/proc 5 s and 30 s after the snapshot; peak is VmHWM (the most the process ever held).',
    '',
    '| Pods | Objects | Parts | Time to snapshot | Agent snapshot | Agent CPU | RSS +5 s | RSS +30 s | Peak RSS | Target (RSS +5 s) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
  ].join('\n');
}

await main();
