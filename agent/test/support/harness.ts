import { launch, type RunningAgent } from '../../src/app.ts';
import type { AgentConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { AgentMetrics } from '../../src/metrics.ts';
import { FakeBackend, type FakeBackendOptions } from './fakeBackend.ts';
import { FakeKubeApi, type FakeKubeApiOptions } from './fakeKubeApi.ts';

export interface Harness {
  api: FakeKubeApi;
  backend: FakeBackend;
  running: RunningAgent;
  metrics: AgentMetrics;
  logs: string[];
  /** Parsed log entries. */
  entries(): Array<Record<string, any>>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  seed?: (api: FakeKubeApi) => void;
  api?: FakeKubeApiOptions;
  backend?: FakeBackendOptions;
  beforeStart?: (backend: FakeBackend) => void;
  config?: Partial<AgentConfig>;
}

/** Settings that make the agent's timers fast enough for tests. */
export function testConfig(
  backendUrl: string,
  overrides: Partial<AgentConfig> = {},
): AgentConfig {
  return {
    backendUrl,
    clusterId: 'test-cluster',
    token: 'test-token',
    heartbeatIntervalMs: 100,
    batchIntervalMs: 20,
    batchSize: 1000,
    bufferLimit: 1000,
    maxBatchBytes: 16 * 1024 * 1024,
    listPageSize: 2,
    metricsIntervalMs: 100,
    filePollIntervalMs: 50,
    port: 0,
    logLevel: 'debug',
    shutdownTimeoutMs: 2000,
    requestTimeoutMs: 2000,
    ...overrides,
  };
}

/** A fake API server and backend, and the real agent (in process) between them. */
export async function startHarness(
  options: HarnessOptions = {},
): Promise<Harness> {
  const api = await FakeKubeApi.start(options.api);
  options.seed?.(api);
  const backend = await FakeBackend.start(options.backend);
  options.beforeStart?.(backend);
  const logs: string[] = [];
  const metrics = new AgentMetrics(false);
  const running = await launch(
    testConfig(backend.url, options.config),
    createLogger('debug', line => logs.push(line)),
    {
      kubeConfig: api.kubeConfig(),
      backoff: { initialMs: 10, maxMs: 80 },
      unauthorizedRetryMs: 50,
      metrics,
    },
  );
  let stopped = false;
  return {
    api,
    backend,
    running,
    metrics,
    logs,
    entries: () => logs.map(line => JSON.parse(line)),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await running.stop();
      await api.close();
      await backend.close();
    },
  };
}

/** Polls until `check` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () =>
    | T
    | undefined
    | null
    | false
    | Promise<T | undefined | null | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
