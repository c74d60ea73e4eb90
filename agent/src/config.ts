import { parseArgs } from 'node:util';
import { isLogLevel, type LogLevel } from './log.ts';
import { MAX_OBJECTS_PER_BATCH } from './protocol.ts';
import { parseDuration } from './timing.ts';

export interface AgentConfig {
  backendUrl: string;
  clusterId: string;
  /** Token file, re-read when it changes; or a literal token for local runs. */
  tokenFile?: string;
  token?: string;
  caFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  heartbeatIntervalMs: number;
  batchIntervalMs: number;
  batchSize: number;
  bufferLimit: number;
  maxBatchBytes: number;
  listPageSize: number;
  metricsIntervalMs: number;
  fromFiles?: string;
  filePollIntervalMs: number;
  port: number;
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Each flag, its environment variable and its default; flags win over the environment. */
const OPTIONS = {
  'backend-url': { env: 'TOLLGATE_BACKEND_URL' },
  'cluster-id': { env: 'TOLLGATE_CLUSTER_ID' },
  'token-file': {
    env: 'TOLLGATE_TOKEN_FILE',
    default: '/var/run/secrets/tollgate/token',
  },
  'ca-file': { env: 'TOLLGATE_CA_FILE' },
  'client-cert-file': { env: 'TOLLGATE_CLIENT_CERT_FILE' },
  'client-key-file': { env: 'TOLLGATE_CLIENT_KEY_FILE' },
  'heartbeat-interval': { env: 'TOLLGATE_HEARTBEAT_INTERVAL', default: '15s' },
  'batch-interval': { env: 'TOLLGATE_BATCH_INTERVAL', default: '1s' },
  'batch-size': { env: 'TOLLGATE_BATCH_SIZE', default: '1000' },
  'buffer-limit': { env: 'TOLLGATE_BUFFER_LIMIT', default: '50000' },
  'max-batch-bytes': {
    env: 'TOLLGATE_MAX_BATCH_BYTES',
    default: String(4 * 1024 * 1024),
  },
  'list-page-size': { env: 'TOLLGATE_LIST_PAGE_SIZE', default: '500' },
  'metrics-interval': { env: 'TOLLGATE_METRICS_INTERVAL', default: '60s' },
  'from-files': { env: 'TOLLGATE_FROM_FILES' },
  'file-poll-interval': { env: 'TOLLGATE_FILE_POLL_INTERVAL', default: '10s' },
  port: { env: 'TOLLGATE_PORT', default: '8080' },
  'log-level': { env: 'TOLLGATE_LOG_LEVEL', default: 'info' },
  'shutdown-timeout': { env: 'TOLLGATE_SHUTDOWN_TIMEOUT', default: '10s' },
  'request-timeout': { env: 'TOLLGATE_REQUEST_TIMEOUT', default: '30s' },
} as const satisfies Record<string, { env: string; default?: string }>;

type OptionName = keyof typeof OPTIONS;

export const USAGE = `Usage: tollgate-agent --backend-url URL --cluster-id ID [options]

Options (each also read from the environment variable shown):
${Object.entries(OPTIONS)
  .map(([name, option]) => {
    const fallback = 'default' in option ? ` (default ${option.default})` : '';
    return `  --${name.padEnd(20)} ${option.env}${fallback}`;
  })
  .join('\n')}

A literal token may be given in TOLLGATE_TOKEN instead of a token file.
Kubernetes access: in-cluster config, else KUBECONFIG or ~/.kube/config.`;

export class ConfigError extends Error {}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function parseConfig(
  argv: string[],
  env: NodeJS.ProcessEnv,
): AgentConfig {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      Object.keys(OPTIONS).map(name => [name, { type: 'string' as const }]),
    ),
    strict: true,
  });
  const read = (name: OptionName): string | undefined => {
    const option: { env: string; default?: string } = OPTIONS[name];
    return (
      (values[name] as string | undefined) ?? env[option.env] ?? option.default
    );
  };
  const config: AgentConfig = {
    backendUrl: required(read('backend-url'), 'backend-url'),
    clusterId: required(read('cluster-id'), 'cluster-id'),
    token: env.TOLLGATE_TOKEN || undefined,
    tokenFile: read('token-file'),
    caFile: read('ca-file'),
    clientCertFile: read('client-cert-file'),
    clientKeyFile: read('client-key-file'),
    heartbeatIntervalMs: duration(read, 'heartbeat-interval'),
    batchIntervalMs: duration(read, 'batch-interval'),
    batchSize: integer(read, 'batch-size', 1, MAX_OBJECTS_PER_BATCH),
    bufferLimit: integer(read, 'buffer-limit', 1),
    maxBatchBytes: integer(read, 'max-batch-bytes', 1024),
    listPageSize: integer(read, 'list-page-size', 1, 10_000),
    metricsIntervalMs: duration(read, 'metrics-interval'),
    fromFiles: read('from-files'),
    filePollIntervalMs: duration(read, 'file-poll-interval'),
    port: integer(read, 'port', 0, 65_535),
    logLevel: logLevel(read('log-level')),
    shutdownTimeoutMs: duration(read, 'shutdown-timeout'),
    requestTimeoutMs: duration(read, 'request-timeout'),
  };
  if (
    config.token &&
    values['token-file'] === undefined &&
    env.TOLLGATE_TOKEN_FILE === undefined
  ) {
    config.tokenFile = undefined;
  }
  validateUrl(config.backendUrl);
  if (Boolean(config.clientCertFile) !== Boolean(config.clientKeyFile)) {
    throw new ConfigError(
      '--client-cert-file and --client-key-file go together',
    );
  }
  return config;
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new ConfigError(`--${name} is required`);
  return value;
}

function duration(
  read: (name: OptionName) => string | undefined,
  name: OptionName,
): number {
  try {
    return parseDuration(read(name) ?? '');
  } catch (error) {
    throw new ConfigError(`--${name}: ${(error as Error).message}`);
  }
}

function integer(
  read: (name: OptionName) => string | undefined,
  name: OptionName,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = Number(read(name));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `--${name} must be a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

function logLevel(value: string | undefined): LogLevel {
  if (value && isLogLevel(value)) return value;
  throw new ConfigError(`--log-level must be debug, info, warn or error`);
}

function validateUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`--backend-url is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError('--backend-url must be http(s)');
  }
}
