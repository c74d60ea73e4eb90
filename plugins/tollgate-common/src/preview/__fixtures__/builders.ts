/** Small builders for focused tests; each returns a fresh object. */
import { computeCost } from '../cost';
import { TargetContext } from '../context';
import { matchObjects } from '../diff';
import { normalizeObjects } from '../normalize';
import { JsonRecord, K8sObject } from '../objects';
import { RiskConfig, evaluateRisk } from '../risk';
import { RISK_RULES, RiskFinding } from '../rules';

export const NAMESPACE = 'prod';

export function container(
  name = 'app',
  overrides: JsonRecord = {},
): JsonRecord {
  return {
    name,
    image: 'registry.example.com/team/app:1.4.2',
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    },
    ...overrides,
  };
}

export interface DeploymentOptions {
  replicas?: number;
  containers?: JsonRecord[];
  podSpec?: JsonRecord;
  spec?: JsonRecord;
  apiVersion?: string;
  kind?: string;
}

export function deployment(
  name = 'web',
  options: DeploymentOptions = {},
): K8sObject {
  const labels = { app: name };
  return {
    apiVersion: options.apiVersion ?? 'apps/v1',
    kind: options.kind ?? 'Deployment',
    metadata: { name, namespace: NAMESPACE, labels },
    spec: {
      ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: options.containers ?? [container()],
          ...options.podSpec,
        },
      },
      ...options.spec,
    },
  };
}

export function service(name = 'web', type?: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      ...(type ? { type } : {}),
      selector: { app: name },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    },
  };
}

export function pvc(
  name = 'data',
  storage = '10Gi',
  storageClassName?: string,
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(storageClassName ? { storageClassName } : {}),
      resources: { requests: { storage } },
    },
  };
}

export function hpa(
  target = 'web',
  minReplicas = 2,
  maxReplicas = 5,
): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target, namespace: NAMESPACE },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: target,
      },
      minReplicas,
      maxReplicas,
    },
  };
}

export function pdb(
  target = 'web',
  spec: JsonRecord = { minAvailable: 1 },
): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: target, namespace: NAMESPACE },
    spec: { selector: { matchLabels: { app: target } }, ...spec },
  };
}

export function ingress(
  name = 'web',
  hosts = ['web.example.com'],
  tls = true,
): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      ...(tls ? { tls: [{ hosts, secretName: `${name}-tls` }] } : {}),
      rules: hosts.map(host => ({
        host,
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name, port: { number: 80 } } },
            },
          ],
        },
      })),
    },
  };
}

export function node(
  name: string,
  allocatable: { cpu: string; memory: string },
  labels: Record<string, string> = {},
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/os': 'linux', ...labels } },
    status: { capacity: allocatable, allocatable },
  };
}

export function quota(
  hard: Record<string, string>,
  used: Record<string, string>,
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'team-quota', namespace: NAMESPACE },
    spec: { hard },
    status: { hard, used },
  };
}

export function metricsFor(
  podName: string,
  containers: Array<{ name: string; cpu: string; memory: string }>,
  labels: Record<string, string> = {},
): K8sObject {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name: podName, namespace: NAMESPACE, labels },
    containers: containers.map(({ name, cpu, memory }) => ({
      name,
      usage: { cpu, memory },
    })),
  };
}

export interface RuleScenario {
  before: K8sObject[];
  after: K8sObject[];
  context?: TargetContext;
  config?: RiskConfig;
  withCost?: boolean;
}

/** Runs one rule the way computePreview does: normalize, match, (cost), risk. */
export function runRule(ruleId: string, scenario: RuleScenario): RiskFinding[] {
  const rule = RISK_RULES.find(candidate => candidate.id === ruleId);
  if (!rule) throw new Error(`No rule ${ruleId}`);
  const matches = matchObjects(
    normalizeObjects(scenario.before, { namespace: NAMESPACE }),
    normalizeObjects(scenario.after, { namespace: NAMESPACE }),
  );
  const context = scenario.context ?? {};
  const cost = scenario.withCost
    ? computeCost({ matches, context })
    : undefined;
  return evaluateRisk({ matches, context, cost }, scenario.config, [rule])
    .findings;
}
