/**
 * Clusters page benchmark: the real portal (built app served by the full
 * backend, on fresh PostgreSQL databases) seeded with 1,000 clusters and
 * 100,000 workloads, loaded in Chromium as the demo's Guest. Each load is a
 * full navigation to /tollgate/clusters, timed until the page has painted
 * the Total card (every cluster counted) and the table's first cluster link;
 * p95 must stay below 2 s.
 *
 * Usage: node bench/fleet/page.mts [--clusters 1000] [--workloads 100] [--nodes 5] [--loads 20] [--profile] [--write]
 * Needs PostgreSQL at TOLLGATE_BENCH_PG (default postgresql://postgres@127.0.0.1:5432)
 * and Chromium at CHROMIUM_PATH (default /usr/bin/chromium).
 * `--profile` adds one more load, traced (as the DevTools Performance panel
 * records), and reports where its time went (bench/fleet/pageProfile.mts);
 * `--write` records the figures in bench/fleet/PAGE-RESULTS.md.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import knexFactory from 'knex';
import prettier from 'prettier';
import { cpuUse, sampleCpu } from '../support/cpuUse.mts';
import { ensureAppBuilt, Portal } from '../support/portal.mts';
import {
  parseTimeInPage,
  profilePhases,
  traceLoad,
  WORK_KINDS,
  type PhaseProfile,
} from './pageProfile.mts';
import { seedFleet } from './seed.mts';

const RESULTS = new URL('./PAGE-RESULTS.md', import.meta.url).pathname;
const TARGET_P95_MS = 2_000;
const WARMUP = 2;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As playwright.config.ts launches it for the browser tests.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1440, height: 900 };
/** The table's cluster links (the first row's is the one waited for). */
const CLUSTER_LINK = 'tbody tr a[href^="/tollgate/clusters/"]';
/** The performance mark the page makes when it is ready. */
const READY_MARK = 'bench-clusters-ready';

/** One load, timed by the benchmark and by the page itself. */
interface Load {
  /** From calling page.goto until the page had painted both elements. */
  ms: number;
  /** Playwright's checks that both are visible, after that. */
  checkMs: number;
  /** The page's own clock (0 = navigation start). */
  page: PageTimings;
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

interface PageTimings {
  /** The scripts it ran: how many, bytes over the network, bytes of JavaScript. */
  scriptFiles: number;
  scriptBytesFetched: number;
  scriptBytes: number;
  /** The HTML's last byte. */
  html: number;
  /** DOMContentLoaded: the app's scripts have run. */
  scripts: number;
  /** The demo sign-in's session refresh (`/api/auth/demo/refresh`) answered. */
  signedIn: number;
  /** The fleet summary request was sent, and its last byte arrived. */
  summaryStart: number;
  summaryEnd: number;
  /** Its size as sent (compressed) and as parsed. */
  summaryBytes: number;
  summaryDecodedBytes: number;
  /** The Total card and the first cluster link were both in the document. */
  inDocument: number;
  /** ... and painted. */
  ready: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '1000' },
      workloads: { type: 'string', default: '100' },
      nodes: { type: 'string', default: '5' },
      loads: { type: 'string', default: '20' },
      profile: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const shape = {
    clusters: Number(values.clusters),
    workloadsPerCluster: Number(values.workloads),
    nodesPerCluster: Number(values.nodes),
  };
  // "Total: 1000 clusters", also if the count is ever written 1,000.
  const totalLabel = new RegExp(
    `^Total: ${String(shape.clusters).replace(
      /\B(?=(\d{3})+$)/g,
      ',?',
    )} clusters?\\b`,
  );

  const loadAtStart = loadavg()[0];
  const built = await ensureAppBuilt();
  const startedAt = performance.now();
  const portal = await Portal.start();
  console.log(
    `portal up at ${portal.baseUrl} in ${(
      (performance.now() - startedAt) /
      1000
    ).toFixed(0)} s`,
  );
  let browser: Browser | undefined;
  let stopped: Promise<void> | undefined;
  const stopAll = () =>
    (stopped ??= (async () => {
      await browser?.close().catch(() => {});
      await portal.stop();
    })());
  const interrupted = () => stopAll().finally(() => process.exit(130));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, interrupted);
  try {
    const db = knexFactory({
      client: 'pg',
      connection: portal.databaseUrl('tollgate'),
    });
    const seedStarted = performance.now();
    try {
      await seedFleet(db, shape);
    } finally {
      await db.destroy();
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(`seeded in ${seedSeconds.toFixed(1)} s`);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      // Our handlers close it, then stop the backend (Playwright's would exit).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const openContext = async (storageState?: StorageState) => {
      const context = await browser!.newContext({
        baseURL: portal.baseUrl,
        viewport: VIEWPORT,
        storageState,
      });
      await context.addInitScript(recordReady, {
        totalLabel: totalLabel.source,
        link: CLUSTER_LINK,
        mark: READY_MARK,
      });
      return context;
    };
    const context = await openContext();
    const page = await context.newPage();
    await signInAsGuest(page);

    // Also warms the backend's caches (the fleet aggregates) for the cold load.
    for (let i = 0; i < WARMUP; i++) await loadClustersPage(page, totalLabel);
    // Cold: a new context (empty HTTP cache) with the first one's storage,
    // so its first load is a signed-in user's.
    const coldContext = await openContext(await context.storageState());
    const cold = await loadClustersPage(
      await coldContext.newPage(),
      totalLabel,
    );
    await coldContext.close();
    console.log(`cold load: ${Math.round(cold.ms)} ms`);

    const loadBefore = loadavg()[0];
    const cpuBefore = sampleCpu(portal.databasePrefix);
    const loads: Load[] = [];
    for (let i = 0; i < Number(values.loads); i++) {
      const load = await loadClustersPage(page, totalLabel);
      console.log(
        `load ${i + 1}: ${Math.round(load.ms)} ms (summary ${Math.round(
          load.page.summaryEnd - load.page.summaryStart,
        )} ms)`,
      );
      loads.push(load);
    }
    const loadAfter = loadavg()[0];
    const cpu = cpuUse(cpuBefore, sampleCpu(portal.databasePrefix));
    console.log(
      `CPU cores in use during the loads: ${cpu.ours.toFixed(
        2,
      )} by the benchmark, ${cpu.others.toFixed(2)} by other work`,
    );
    // The figures above stand without the profile.
    const profile = values.profile
      ? await profileOneLoad(page, totalLabel).catch(error => {
          console.warn(`no profile: ${error}`);
          return undefined;
        })
      : undefined;

    const report = renderResults({
      args: process.argv.slice(2).join(' '),
      shape,
      seedSeconds,
      built,
      cold,
      loads,
      loadavg: [loadAtStart, loadBefore, loadAfter],
      cpu,
      profile,
    });
    console.log(`\n${report}`);
    if (values.write) {
      // Unlike bench/*/RESULTS.md, .prettierignore does not skip this file.
      const options = await prettier.resolveConfig(RESULTS);
      await writeFile(
        RESULTS,
        await prettier.format(report, { ...options, parser: 'markdown' }),
      );
    }
  } catch (error) {
    console.error(portal.logTail());
    throw error;
  } finally {
    await stopAll();
  }
}

/** The demo sign-in page: pick Guest, then wait for the sidebar. */
async function signInAsGuest(page: Page): Promise<void> {
  await page.goto('/');
  await page
    .getByRole('button', { name: 'Sign in as Guest' })
    .click({ force: true });
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Clusters' })
    .waitFor();
}

/**
 * A full navigation to the Clusters page, timed until the page has painted
 * the Total card and the first cluster link; then Playwright checks both are
 * visible, the way the browser tests look for them (timed apart).
 */
async function loadClustersPage(page: Page, totalLabel: RegExp): Promise<Load> {
  const started = performance.now();
  await page.goto('/tollgate/clusters', { waitUntil: 'commit' });
  // The page notes the moment itself (recordReady), checked every animation
  // frame: Playwright's own waiting backs off to 500 ms between checks.
  await page.waitForFunction(() => (window as any).benchReadyAt, undefined, {
    polling: 'raf',
    timeout: 60_000,
  });
  const ms = performance.now() - started;
  await page.getByRole('button', { name: totalLabel }).waitFor();
  await page.locator(CLUSTER_LINK).first().waitFor();
  const checkMs = performance.now() - started - ms;
  return { ms, checkMs, page: await page.evaluate(readTimings) };
}

/**
 * Runs in the page before its scripts: notes (on the page's clock, with a
 * performance mark) when the Total card and a cluster link are first both in
 * the document and then painted, and keeps every resource timing entry.
 */
function recordReady(options: {
  totalLabel: string;
  link: string;
  mark: string;
}): void {
  performance.setResourceTimingBufferSize(10_000);
  const total = new RegExp(options.totalLabel);
  const observer = new MutationObserver(() => {
    if (!document.querySelector(options.link)) return;
    const cards = document.querySelectorAll('button[aria-label^="Total"]');
    if (![...cards].some(b => total.test(b.getAttribute('aria-label')!)))
      return;
    observer.disconnect();
    (window as any).benchInDocumentAt = performance.now();
    // The frame that shows them: a task queued from its animation frame
    // callback runs once that frame is painted.
    requestAnimationFrame(() =>
      setTimeout(() => {
        (window as any).benchReadyAt = performance.mark(options.mark).startTime;
      }),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
}

function readTimings(): PageTimings {
  const [navigation] = performance.getEntriesByType(
    'navigation',
  ) as PerformanceNavigationTiming[];
  const resources = performance.getEntriesByType(
    'resource',
  ) as PerformanceResourceTiming[];
  const find = (path: string) => {
    const entry = resources.find(r => new URL(r.name).pathname === path);
    if (!entry) throw new Error(`no request for ${path}`);
    return entry;
  };
  const summary = find('/api/tollgate/v1/fleet/summary');
  const scripts = resources.filter(r => r.name.endsWith('.js'));
  const total = (pick: (r: PerformanceResourceTiming) => number) =>
    scripts.reduce((sum, r) => sum + pick(r), 0);
  return {
    scriptFiles: scripts.length,
    scriptBytesFetched: total(r => r.transferSize),
    scriptBytes: total(r => r.decodedBodySize),
    html: navigation.responseEnd,
    scripts: navigation.domContentLoadedEventEnd,
    signedIn: find('/api/auth/demo/refresh').responseEnd,
    summaryStart: summary.startTime,
    summaryEnd: summary.responseEnd,
    summaryBytes: summary.encodedBodySize,
    summaryDecodedBytes: summary.decodedBodySize,
    inDocument: (window as any).benchInDocumentAt,
    ready: (window as any).benchReadyAt,
  };
}

/** One more load, traced, cut into phases; and JSON.parse of its summary alone. */
async function profileOneLoad(page: Page, totalLabel: RegExp) {
  const summary = page.waitForResponse(response =>
    response.url().endsWith('/api/tollgate/v1/fleet/summary'),
  );
  const { result: load, events } = await traceLoad(page, () =>
    loadClustersPage(page, totalLabel),
  );
  const t = load.page;
  const phases = profilePhases(events, READY_MARK, t.ready, [
    { label: "Loading and running the app's scripts", from: 0, to: t.scripts },
    {
      label: 'Starting the app, signing in, until the summary is requested',
      from: t.scripts,
      to: t.summaryStart,
    },
    {
      label: 'Waiting for the summary',
      from: t.summaryStart,
      to: t.summaryEnd,
    },
    {
      label: 'Showing the page from the summary',
      from: t.summaryEnd,
      to: t.ready,
    },
  ]);
  const parseMs = await parseTimeInPage(page, await (await summary).text());
  return { load, phases, parseMs };
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1],
  };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;

function renderResults(run: {
  args: string;
  shape: {
    clusters: number;
    workloadsPerCluster: number;
    nodesPerCluster: number;
  };
  seedSeconds: number;
  built: boolean;
  cold: Load;
  loads: Load[];
  /** 1-minute load averages: at start, before and after the measured loads. */
  loadavg: [number, number, number];
  /** Average CPU cores in use during the measured loads. */
  cpu: { all: number; ours: number; others: number };
  profile?: { load: Load; phases: PhaseProfile[]; parseMs: number };
}): string {
  const wall = stats(run.loads.map(l => l.ms));
  const met = wall.p95 < TARGET_P95_MS;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const rows: [string, (l: Load) => number][] = [
    ['**Load: page.goto to painted**', l => l.ms],
    ["Playwright's visibility checks after that", l => l.checkMs],
    ['Painted, on the page clock', l => l.page.ready],
    ['HTML received', l => l.page.html],
    ['Scripts run (DOMContentLoaded)', l => l.page.scripts],
    ['Signed in (session refresh answered)', l => l.page.signedIn],
    ['Fleet summary requested', l => l.page.summaryStart],
    ['Fleet summary received', l => l.page.summaryEnd],
    [
      'Fleet summary request alone',
      l => l.page.summaryEnd - l.page.summaryStart,
    ],
    [
      'Summary received to card and link in the document',
      l => l.page.inDocument - l.page.summaryEnd,
    ],
    ['... to painted', l => l.page.ready - l.page.inDocument],
  ];
  const table = rows.map(([label, pick]) => {
    const s = stats(run.loads.map(pick));
    return `| ${label} | ${ms(pick(run.cold))} | ${ms(s.min)} | ${ms(
      s.p50,
    )} | ${ms(s.p95)} | ${ms(s.max)} |`;
  });
  const last = run.loads[run.loads.length - 1].page;
  const { clusters, nodesPerCluster, workloadsPerCluster } = run.shape;
  const objects = clusters * (nodesPerCluster + 2 * workloadsPerCluster);
  const [loadAtStart, loadBefore, loadAfter] = run.loadavg.map(n =>
    n.toFixed(2),
  );
  return [
    '# Clusters page benchmark results',
    '',
    `Command: \`node bench/fleet/page.mts ${run.args}\` (from the repository root, Node ${process.version}).`,
    `Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpus().length} cores (${cpu.trim()}), ${Math.round(
      totalmem() / 2 ** 30,
    )} GiB RAM; PostgreSQL, the backend and Chromium on the same machine,`,
    `shared with other work. 1-minute load average: ${loadAtStart} when the benchmark started, ${loadBefore}`,
    `before the measured loads (after starting the backend and seeding), ${loadAfter} after them.`,
    `During the measured loads the CPUs were busy for ${run.cpu.all.toFixed(
      2,
    )} of the ${cpus().length} cores on average: ${run.cpu.ours.toFixed(
      2,
    )} for the benchmark (Chromium, the backend,`,
    `PostgreSQL for its databases, this script) and ${run.cpu.others.toFixed(
      2,
    )} for other work (\`bench/support/cpuUse.mts\`).`,
    '',
    `The portal as CI's browser tests run it: the built app (\`packages/app/dist\`${
      run.built ? ', built by this run' : ''
    }) served by`,
    'the full backend (`packages/backend` with `app-config.yaml`: permissions on, the demo',
    'sign-in), started by `bench/support/portal.mts` as `yarn workspace backend start` starts',
    'it but without its file watcher, on fresh PostgreSQL databases. The Tollgate database is',
    `seeded inside PostgreSQL (\`bench/fleet/seed.mts\`, ${run.seedSeconds.toFixed(
      1,
    )} s) with ${clusters.toLocaleString(
      'en',
    )} clusters, ${nodesPerCluster} nodes`,
    `and ${workloadsPerCluster} Deployments (and one Pod each) per cluster: ${objects.toLocaleString(
      'en',
    )} stored objects.`,
    '',
    `Debian's Chromium (\`${CHROMIUM}\`, headless, ${VIEWPORT.width}x${VIEWPORT.height}), signed in as the demo's Guest.`,
    'Each load is a full navigation to `/tollgate/clusters` (`page.goto`), timed until the page',
    `has painted the "Total: ${clusters} clusters" card and the table's first cluster link (the page`,
    'notes when both are in the document, and the task after the next animation frame;',
    'the benchmark checks for that every animation frame). Playwright then checks that both',
    'are visible by role and name, as the browser tests do; that takes it a while on this',
    "page and is shown apart. The page's own figures are on its clock (0 = navigation start),",
    'from the Navigation and Resource Timing entries.',
    `${run.loads.length} loads one after another after ${WARMUP} warm-up loads, with the browser's HTTP cache`,
    'warm (the scripts are cached; the HTML and the API calls are not). The cold load is the',
    "first load in a new browser context (empty cache, the signed-in user's storage), after",
    "the warm-up loads, so with the backend's caches warm: it fetched",
    `${run.cold.page.scriptFiles} scripts, ${mib(
      run.cold.page.scriptBytesFetched,
    )} over the network (${mib(run.cold.page.scriptBytes)} of JavaScript).`,
    `The fleet summary is ${Math.round(
      last.summaryDecodedBytes / 1024,
    )} KiB of JSON (${Math.round(
      last.summaryBytes / 1024,
    )} KiB as sent); the table shows 20 rows a page.`,
    '',
    '| Figure | Cold | Warm min | Warm p50 | Warm p95 | Warm max |',
    '| ------ | ---: | -------: | -------: | -------: | -------: |',
    ...table,
    '',
    `Target: p95 below ${ms(TARGET_P95_MS)}: ${
      met ? 'met' : 'NOT met'
    } (warm p95 ${ms(wall.p95)}; cold ${ms(run.cold.ms)}).`,
    run.profile ? renderProfile(run.profile) : '',
  ].join('\n');
}

function renderProfile({
  load,
  phases,
  parseMs,
}: {
  load: Load;
  phases: PhaseProfile[];
  parseMs: number;
}): string {
  const cells = (values: number[]) => values.map(ms).join(' | ');
  const render = phases[phases.length - 1];
  const kinds = WORK_KINDS.filter(kind => phases.some(p => p.work[kind] >= 1));
  const busy = (p: PhaseProfile) =>
    Object.values(p.work).reduce((a, b) => a + b, 0);
  const scriptTotal = new Map<string, number>();
  for (const phase of phases)
    for (const [pkg, value] of Object.entries(phase.scripts))
      scriptTotal.set(pkg, (scriptTotal.get(pkg) ?? 0) + value);
  const packages = [...scriptTotal]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([pkg]) => pkg);
  const header = `| | ${phases.map(p => p.label).join(' | ')} |
| --- |${phases.map(() => ' ---: |').join('')}`;
  return `
## Where the time goes

One more warm load (${ms(load.ms)}, ready at ${ms(
    load.page.ready,
  )} on the page's clock), recorded as
a Chromium trace (what the DevTools Performance panel records, tracing overhead
included) and cut into phases. The renderer's main thread's time in each
phase by kind of work (the rest of a phase it was idle, waiting on the network
or the backend):

${header}
| Phase (page clock) | ${phases
    .map(p => `${Math.round(p.from)} to ${Math.round(p.to)} ms`)
    .join(' | ')} |
${kinds
  .map(kind => `| ${kind} | ${cells(phases.map(p => p.work[kind]))} |`)
  .join('\n')}
| **Main thread busy** | ${cells(phases.map(busy))} |
| Idle | ${cells(phases.map(p => Math.max(0, p.to - p.from - busy(p))))} |

JavaScript self time by where the code comes from (the app's source maps;
sampled, so it adds up to a little less than the scripts above):

${header}
${packages
  .map(pkg => `| \`${pkg}\` | ${cells(phases.map(p => p.scripts[pkg] ?? 0))} |`)
  .join('\n')}

The functions with the most JavaScript self time while showing the page from
the summary:

| Function | Self time |
| -------- | --------: |
${Object.entries(render.functions)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 15)
  .map(([fn, value]) => `| \`${fn.replace(/\|/g, '\\|')}\` | ${ms(value)} |`)
  .join('\n')}

\`JSON.parse\` of the fleet summary alone, in the page: ${parseMs.toFixed(
    1,
  )} ms.
`;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
