import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { Agent } from './agent.ts';
import { BackendClient } from './backendClient.ts';
import type { AgentConfig } from './config.ts';
import { FileSource } from './files/fileSource.ts';
import { ClientNodeKubeClient, type KubeClient } from './kube/kubeClient.ts';
import { KubeSource } from './kube/kubeSource.ts';
import type { Logger } from './log.ts';
import { AgentMetrics } from './metrics.ts';
import { startHealthServer, type HealthServer } from './server.ts';
import type { StateSource } from './source.ts';
import { TokenFile, staticToken, type TokenSource } from './token.ts';

export const AGENT_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

const BACKOFF = { initialMs: 500, maxMs: 30_000 };
const UNAUTHORIZED_RETRY_MS = 60_000;

export interface LaunchOverrides {
  /** Kubernetes access; defaults to in-cluster config or the kubeconfig. */
  kubeClient?: KubeClient;
  kubeConfig?: KubeConfig;
  backoff?: { initialMs: number; maxMs: number };
  unauthorizedRetryMs?: number;
  metrics?: AgentMetrics;
}

export interface RunningAgent {
  agent: Agent;
  server: HealthServer;
  stop(): Promise<{ flushed: boolean }>;
}

/** Wires the agent from its configuration and starts it. */
export async function launch(
  config: AgentConfig,
  log: Logger,
  overrides: LaunchOverrides = {},
): Promise<RunningAgent> {
  const metrics = overrides.metrics ?? new AgentMetrics();
  const backoff = overrides.backoff ?? BACKOFF;
  const backend = new BackendClient({
    baseUrl: config.backendUrl,
    token: tokenSource(config),
    ca: config.caFile ? readFileSync(config.caFile) : undefined,
    cert: config.clientCertFile
      ? readFileSync(config.clientCertFile)
      : undefined,
    key: config.clientKeyFile ? readFileSync(config.clientKeyFile) : undefined,
    timeoutMs: config.requestTimeoutMs,
    clusterId: config.clusterId,
  });
  const agent = new Agent({
    source: stateSource(config, log, metrics, backoff, overrides),
    backend,
    log,
    metrics,
    agentVersion: AGENT_VERSION,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    batchIntervalMs: config.batchIntervalMs,
    batchSize: config.batchSize,
    bufferLimit: config.bufferLimit,
    maxBatchBytes: config.maxBatchBytes,
    backoff,
    unauthorizedRetryMs: overrides.unauthorizedRetryMs ?? UNAUTHORIZED_RETRY_MS,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  const server = await startHealthServer({
    port: config.port,
    registry: metrics.registry,
    isReady: () => agent.ready,
    log,
  });
  log.info('tollgate agent starting', {
    version: AGENT_VERSION,
    clusterId: config.clusterId,
    backend: config.backendUrl,
    mode: config.fromFiles ? `files:${config.fromFiles}` : 'kubernetes',
    port: server.port,
  });
  agent.start();
  return {
    agent,
    server,
    stop: async () => {
      const result = await agent.stop();
      backend.close();
      await server.close();
      return result;
    },
  };
}

function tokenSource(config: AgentConfig): TokenSource {
  if (config.tokenFile) return new TokenFile(config.tokenFile);
  if (config.token) return staticToken(config.token);
  throw new Error('No token: set --token-file or TOLLGATE_TOKEN');
}

function stateSource(
  config: AgentConfig,
  log: Logger,
  metrics: AgentMetrics,
  backoff: { initialMs: number; maxMs: number },
  overrides: LaunchOverrides,
): StateSource {
  if (config.fromFiles) {
    return new FileSource({
      directory: config.fromFiles,
      log,
      pollIntervalMs: config.filePollIntervalMs,
    });
  }
  return new KubeSource({
    client:
      overrides.kubeClient ??
      new ClientNodeKubeClient(overrides.kubeConfig ?? defaultKubeConfig()),
    log,
    metrics,
    pageSize: config.listPageSize,
    metricsIntervalMs: config.metricsIntervalMs,
    backoff,
  });
}

function defaultKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}
