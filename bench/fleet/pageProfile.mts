/**
 * Where a page load's time goes: a Chromium trace of one load (what the
 * DevTools Performance panel records), cut into phases of the load. For
 * each phase, the renderer's main thread's time by kind of work (scripts,
 * style and layout, painting, garbage collection...) and the JavaScript's
 * time by the package its code came from (through the app's source maps in
 * packages/app/dist).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

const DIST = new URL('../../packages/app/dist/', import.meta.url).pathname;

/** The DevTools Performance panel's categories, with the CPU profiler's samples. */
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
];

/** Kinds of main-thread work, by trace event name (first match wins). */
const KINDS: [string, RegExp][] = [
  ['Garbage collection', /GC|Sweep|Scaveng/],
  ['Compiling scripts', /[cC]ompile|CacheScript|produceCache|deserialize/],
  [
    'Running scripts',
    /^(FunctionCall|EvaluateScript|v8\.evaluateModule|v8\.run|V8\.Execute|EventDispatch|TimerFire|FireAnimationFrame|RunMicrotasks|FireIdleCallback|XHR)/,
  ],
  [
    'Style and layout',
    /^(UpdateLayoutTree|RecalculateStyles|Layout|ParseAuthorStyleSheet|InvalidateLayout|ScheduleStyleRecalculation|HitTest|PrePaint|UpdateLayer|Layerize|IntersectionObserver)/,
  ],
  ['Painting', /Paint|Composite|Commit|Raster|Decode/],
  ['Parsing HTML', /^ParseHTML/],
];
export const WORK_KINDS = [...KINDS.map(([kind]) => kind), 'Other'];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: any;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** A span of the load on the page's clock (ms since navigation start). */
export interface Phase {
  label: string;
  from: number;
  to: number;
}

export interface PhaseProfile extends Phase {
  /** Main-thread time by kind of work (WORK_KINDS), in ms. */
  work: Record<string, number>;
  /** JavaScript self time by package, and by function, in ms. */
  scripts: Record<string, number>;
  functions: Record<string, number>;
}

/** Records a Chromium trace while `load` runs; returns its events. */
export async function traceLoad<T>(
  page: Page,
  load: () => Promise<T>,
): Promise<{ result: T; events: TraceEvent[] }> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: CATEGORIES });
  const result = await load();
  const trace = JSON.parse((await browser.stopTracing()).toString());
  return { result, events: trace.traceEvents };
}

/**
 * Splits the traced load into phases. `mark` names a performance mark the
 * page made at `markAt` on its own clock, which ties its clock to the trace's.
 */
export function profilePhases(
  events: TraceEvent[],
  mark: string,
  markAt: number,
  phases: Phase[],
): PhaseProfile[] {
  const marked = events.find(e => e.name === mark);
  if (!marked) throw new Error(`the trace has no "${mark}" mark`);
  const pid = marked.pid;
  const tid = events.find(
    e =>
      e.pid === pid &&
      e.name === 'thread_name' &&
      e.args?.name === 'CrRendererMain',
  )?.tid;
  // Trace time (µs) of a moment on the page's clock (ms).
  const at = (pageMs: number) => marked.ts + (pageMs - markAt) * 1000;

  const work = selfTimes(
    events.filter(e => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur),
  );
  const samples = jsSamples(events, pid);
  const maps = new SourceMaps();
  return phases.map(phase => {
    const [from, to] = [at(phase.from), at(phase.to)];
    const overlap = (start: number, end: number) =>
      Math.max(0, Math.min(end, to) - Math.max(start, from)) / 1000;
    const byKind: Record<string, number> = {};
    for (const kind of WORK_KINDS) byKind[kind] = 0;
    for (const span of work) {
      const kind = KINDS.find(([, names]) => names.test(span.name))?.[0];
      byKind[kind ?? 'Other'] += overlap(span.start, span.end);
    }
    const scripts: Record<string, number> = {};
    const functions: Record<string, number> = {};
    for (const sample of samples) {
      const ms = overlap(sample.start, sample.end);
      if (!ms || sample.frame.functionName.startsWith('(')) continue;
      const { pkg, fn } = maps.locate(sample.frame);
      scripts[pkg] = (scripts[pkg] ?? 0) + ms;
      functions[fn] = (functions[fn] ?? 0) + ms;
    }
    return { ...phase, work: byKind, scripts, functions };
  });
}

/** Each event's own time (without its children's) as spans, named after it. */
function selfTimes(events: TraceEvent[]) {
  const spans: { name: string; start: number; end: number }[] = [];
  const open: { event: TraceEvent; end: number; from: number }[] = [];
  const closeUntil = (ts: number) => {
    while (open.length && open[open.length - 1].end <= ts) {
      const done = open.pop()!;
      spans.push({ name: done.event.name, start: done.from, end: done.end });
      if (open.length) open[open.length - 1].from = done.end;
    }
  };
  const sorted = [...events].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  for (const event of sorted) {
    closeUntil(event.ts);
    const parent = open[open.length - 1];
    if (parent) {
      spans.push({
        name: parent.event.name,
        start: parent.from,
        end: event.ts,
      });
    }
    const end = Math.min(event.ts + event.dur!, parent?.end ?? Infinity);
    open.push({ event, end, from: event.ts });
  }
  closeUntil(Infinity);
  return spans;
}

/** The CPU profiler's samples of the renderer's main isolate, as spans. */
function jsSamples(events: TraceEvent[], pid: number) {
  const profiles = new Map<
    string,
    {
      start: number;
      frames: Map<number, CallFrame>;
      ids: number[];
      deltas: number[];
    }
  >();
  for (const event of events) {
    if (event.pid !== pid || !event.id) continue;
    if (event.name === 'Profile') {
      profiles.set(event.id, {
        start: event.args.data.startTime,
        frames: new Map(),
        ids: [],
        deltas: [],
      });
    } else if (event.name === 'ProfileChunk') {
      const profile = profiles.get(event.id);
      const { cpuProfile, timeDeltas } = event.args.data;
      if (!profile || !cpuProfile) continue;
      for (const node of cpuProfile.nodes ?? [])
        profile.frames.set(node.id, node.callFrame);
      profile.ids.push(...(cpuProfile.samples ?? []));
      profile.deltas.push(...(timeDeltas ?? []));
    }
  }
  // The main thread's profile is the one with the most samples.
  const main = [...profiles.values()].sort(
    (a, b) => b.ids.length - a.ids.length,
  )[0];
  const samples: { frame: CallFrame; start: number; end: number }[] = [];
  if (!main) return samples;
  let ts = main.start;
  for (let i = 0; i < main.ids.length; i++) {
    ts += main.deltas[i];
    const end = ts + (main.deltas[i + 1] ?? 0);
    samples.push({ frame: main.frames.get(main.ids[i])!, start: ts, end });
  }
  return samples;
}

/** Maps the bundle's positions back to sources, one .map file per bundle. */
class SourceMaps {
  private readonly maps = new Map<string, SourceMap | undefined>();

  /**
   * The npm package (or workspace folder) a function's code came from, and
   * the function with its source file and line.
   */
  locate(frame: CallFrame): { pkg: string; fn: string } {
    const name = frame.functionName || '(anonymous)';
    if (!frame.url) return { pkg: '(V8 built-ins)', fn: name };
    const bundle = new URL(frame.url).pathname.replace(/^\/static\//, '');
    const entry = this.map(bundle)?.findEntry(
      frame.lineNumber,
      frame.columnNumber,
    );
    if (!entry || !('originalSource' in entry) || !entry.originalSource)
      return { pkg: bundle, fn: `${name} (${bundle})` };
    const source = entry.originalSource
      .replace(/^webpack:\/\/[^/]*\//, '')
      .replace(/^(\.\.?\/)+/, '');
    const pkg =
      /node_modules\/((@[^/]+\/)?[^/]+)/.exec(source)?.[1] ??
      /^(plugins|packages)\/[^/]+/.exec(source)?.[0] ??
      'packages/app';
    const file =
      pkg === 'packages/app'
        ? `packages/app/${source}`
        : source.replace(/^.*node_modules\//, '');
    const original = (entry as { name?: string }).name ?? name;
    return { pkg, fn: `${original} (${file}:${entry.originalLine + 1})` };
  }

  private map(bundle: string): SourceMap | undefined {
    if (!this.maps.has(bundle)) {
      const file = join(DIST, 'static', `${bundle}.map`);
      this.maps.set(
        bundle,
        existsSync(file)
          ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')))
          : undefined,
      );
    }
    return this.maps.get(bundle);
  }
}

/** Milliseconds `JSON.parse` takes in the page for this text (median of 5). */
export async function parseTimeInPage(
  page: Page,
  text: string,
): Promise<number> {
  return page.evaluate(body => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      JSON.parse(body);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[2];
  }, text);
}
