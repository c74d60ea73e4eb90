/**
 * Monthly cost of a workload before and after promotion, in OpenCost's
 * model. Every amount is USD per month, unrounded:
 *
 *   workload compute = replicas x sum over containers of
 *                      max(request, mean observed usage) x unit rate x 730 h
 *     for CPU (cores x $/core-h), memory (GiB x $/GiB-h) and GPU
 *     (nvidia.com/gpu limit x $/GPU-h); unit rates come from splitting the
 *     node price (see rates.ts), averaged over the nodes the pod can use.
 *   claim storage    = requested GiB x $/GiB-month of its storage class
 *                      (x replicas for StatefulSet volumeClaimTemplates)
 *   load balancer    = $/h of the provider x 730 h per LoadBalancer Service
 *
 * Baseline prices the target as it runs; projected prices the source's
 * desired state on the target's nodes with the target's observed usage.
 * Jobs and CronJobs run to completion and are not priced.
 */
import {
  TargetContext,
  WorkloadUsage,
  candidateNodes,
  workloadUsage,
} from './context';
import { ObjectMatch } from './diff';
import { compareObjects, isWorkload, podSpecOf } from './kinds';
import { formatCostDelta } from './money';
import {
  K8sObject,
  escapeRegExp,
  numberAt,
  objectRef,
  recordsAt,
  stringAt,
  stringMapAt,
  valueAt,
} from './objects';
import { BYTES_PER_GIB, formatCores, optionalQuantity } from './quantity';
import { PriceBook, createPriceBook } from './pricing';
import {
  NodeRate,
  PodRates,
  RateWarning,
  rateForNode,
  ratesForPodSpec,
  storageRate,
} from './rates';
import {
  ReplicaRange,
  containerResources,
  expectedReplicas,
  hpaFor,
  hpaRange,
  longRunningContainers,
} from './resources';

export type CostResource =
  | 'cpu'
  | 'memory'
  | 'gpu'
  | 'storage'
  | 'load-balancer';

const RESOURCE_ORDER: CostResource[] = [
  'cpu',
  'memory',
  'gpu',
  'storage',
  'load-balancer',
];

export type CostWarning = RateWarning;

/** One object's cost for one resource, before and after. */
export interface CostLine {
  /** `Kind/name` (the name after promotion). */
  object: string;
  resource: CostResource;
  baseline: number;
  projected: number;
  delta: number;
  /** Infracost-style: `+$12.40 ($40.10 -> $52.50)`. */
  text: string;
  /** How each side's amount was computed, so it can be checked by hand. */
  formula: { baseline?: string; projected?: string };
}

export interface CostBand {
  min: number;
  max: number;
}

/** Total monthly cost with every HPA at its minReplicas and maxReplicas. */
export interface HpaBand {
  baseline: CostBand;
  projected: CostBand;
}

export interface CostResult {
  currency: 'USD';
  hoursPerMonth: number;
  baseline: number;
  projected: number;
  delta: number;
  /** Delta as a percentage of baseline; null when baseline is 0. */
  deltaPercent: number | null;
  text: string;
  lines: CostLine[];
  hpaBand?: HpaBand;
  /** How each target node was priced. */
  nodeRates: NodeRate[];
  discountPercent: number;
  warnings: CostWarning[];
}

export interface CostInput {
  /** Matched objects (normalized): before = target now, after = target after promotion. */
  matches: readonly ObjectMatch[];
  context?: TargetContext;
  priceBook?: PriceBook;
}

interface Amount {
  monthly: number;
  formula: string;
}

type ObjectCost = Partial<Record<CostResource, Amount>>;

/** Monthly cost of one more replica, to move an HPA workload across its range. */
interface ScalableCost {
  perReplica: number;
  replicas: number;
  range: ReplicaRange;
}

interface PricedObject {
  costs: ObjectCost;
  scalable?: ScalableCost;
}

interface Side {
  objects: K8sObject[];
  /** Names of claims a StatefulSet's volumeClaimTemplates create (priced there). */
  generatedClaims: RegExp[];
}

interface Env {
  book: PriceBook;
  context: TargetContext;
  nodeRates: Map<K8sObject, NodeRate>;
  provider?: string;
  warn: (warning: CostWarning) => void;
}

const number = (value: number, digits = 4) =>
  String(Number(value.toFixed(digits)));
const rate = (value: number) => `$${number(value, 6)}`;

export function computeCost(input: CostInput): CostResult {
  const { env, warnings } = createEnv(input);
  const { lines, bands } = priceMatches(input.matches, env);
  const baseline = sum(lines.map(line => line.baseline));
  const projected = sum(lines.map(line => line.projected));
  const delta = projected - baseline;
  return {
    currency: 'USD',
    hoursPerMonth: env.book.hoursPerMonth,
    baseline,
    projected,
    delta,
    deltaPercent: baseline > 0 ? (delta / baseline) * 100 : null,
    text: formatCostDelta(baseline, projected),
    lines,
    ...(bands ? { hpaBand: hpaBandOf(bands, baseline, projected) } : {}),
    nodeRates: [...env.nodeRates.values()],
    discountPercent: env.book.discountPercent,
    warnings: [...warnings.values()],
  };
}

/** The pricing environment; warnings are collected once per message. */
function createEnv(input: CostInput) {
  const book = input.priceBook ?? createPriceBook();
  const context = input.context ?? {};
  const warnings = new Map<string, CostWarning>();
  const warn = (warning: CostWarning) => {
    if (!warnings.has(warning.message)) warnings.set(warning.message, warning);
  };
  // Sorted so sums and means come out bit-identical whatever the input order.
  const nodes = [...(context.nodes ?? [])].sort(compareObjects);
  if (nodes.length === 0) {
    warn({
      code: 'no-nodes',
      message:
        "No target nodes known; compute is priced at OpenCost's default rates.",
    });
  }
  const nodeRates = new Map(
    nodes.map(node => [node, rateForNode(node, book, context, warn)]),
  );
  const nodeProvider = [...nodeRates.values()].find(r => r.provider)?.provider;
  const provider = context.provider ?? nodeProvider;
  const env: Env = { book, context, nodeRates, provider, warn };
  return { env, warnings };
}

/** Offsets from the expected total to the totals at every HPA's min and max. */
interface BandOffsets {
  baseline: CostBand;
  projected: CostBand;
}

function priceMatches(matches: readonly ObjectMatch[], env: Env) {
  const baselineSide = sideOf(
    matches.flatMap(m => (m.before ? [m.before] : [])),
  );
  const projectedSide = sideOf(
    matches.flatMap(m => (m.after ? [m.after] : [])),
  );
  const lines: CostLine[] = [];
  const offsets: BandOffsets = {
    baseline: { min: 0, max: 0 },
    projected: { min: 0, max: 0 },
  };
  let hasHpa = false;
  for (const match of matches) {
    const usage = workloadUsage(match.before, env.context.podMetrics);
    const current = match.before && numberAt(match.before, 'spec', 'replicas');
    const price = (object: K8sObject | undefined, side: Side): PricedObject =>
      object ? priceObject(object, side, usage, current, env) : { costs: {} };
    const before = price(match.before, baselineSide);
    const after = price(match.after, projectedSide);
    const ref = objectRef((match.after ?? match.before) as K8sObject);
    lines.push(...linesOf(ref, before.costs, after.costs));
    hasHpa = addToBand(offsets.baseline, before.scalable) || hasHpa;
    hasHpa = addToBand(offsets.projected, after.scalable) || hasHpa;
  }
  return { lines, bands: hasHpa ? offsets : undefined };
}

function hpaBandOf(
  offsets: BandOffsets,
  baseline: number,
  projected: number,
): HpaBand {
  return {
    baseline: {
      min: baseline + offsets.baseline.min,
      max: baseline + offsets.baseline.max,
    },
    projected: {
      min: projected + offsets.projected.min,
      max: projected + offsets.projected.max,
    },
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Shifts a band by how far an HPA workload can move from its expected replicas. */
function addToBand(
  band: CostBand,
  scalable: ScalableCost | undefined,
): boolean {
  if (!scalable) return false;
  band.min += scalable.perReplica * (scalable.range.min - scalable.replicas);
  band.max += scalable.perReplica * (scalable.range.max - scalable.replicas);
  return true;
}

function sideOf(objects: K8sObject[]): Side {
  const generatedClaims = objects
    .filter(object => object.kind === 'StatefulSet')
    .flatMap(statefulSet =>
      recordsAt(statefulSet, 'spec', 'volumeClaimTemplates').map(template => {
        const claim = escapeRegExp(
          String(valueAt(template, 'metadata', 'name')),
        );
        const owner = escapeRegExp(statefulSet.metadata.name);
        return new RegExp(`^${claim}-${owner}-\\d+$`);
      }),
    );
  return { objects, generatedClaims };
}

function linesOf(
  object: string,
  before: ObjectCost,
  after: ObjectCost,
): CostLine[] {
  return RESOURCE_ORDER.filter(
    resource => before[resource] || after[resource],
  ).map(resource => {
    const baseline = before[resource]?.monthly ?? 0;
    const projected = after[resource]?.monthly ?? 0;
    return {
      object,
      resource,
      baseline,
      projected,
      delta: projected - baseline,
      text: formatCostDelta(baseline, projected),
      formula: {
        ...(before[resource] ? { baseline: before[resource]?.formula } : {}),
        ...(after[resource] ? { projected: after[resource]?.formula } : {}),
      },
    };
  });
}

function priceObject(
  object: K8sObject,
  side: Side,
  usage: WorkloadUsage,
  currentReplicas: number | undefined,
  env: Env,
): PricedObject {
  if (isWorkload(object)) {
    return priceWorkload(object, side, usage, currentReplicas, env);
  }
  if (object.kind === 'PersistentVolumeClaim') {
    return { costs: priceClaim(object, side, env) };
  }
  const type = stringAt(object, 'spec', 'type');
  if (object.kind === 'Service' && type === 'LoadBalancer') {
    return { costs: priceLoadBalancer(object, env) };
  }
  return { costs: {} };
}

/** Per-pod quantities as priced: max(request, usage) per container, summed. */
interface PodQuantities {
  cpuCores: number;
  memoryGiB: number;
  gpus: number;
}

function podQuantities(
  workload: K8sObject,
  usage: WorkloadUsage,
  env: Env,
): PodQuantities {
  const ref = objectRef(workload);
  const totals = { cpuCores: 0, memoryGiB: 0, gpus: 0 };
  for (const container of longRunningContainers(podSpecOf(workload))) {
    const resources = containerResources(container.spec);
    const used = usage.mean.get(container.name);
    for (const field of resources.invalid) {
      env.warn({
        code: 'invalid-quantity',
        message: `${ref}: container "${container.name}" has an invalid ${field}; it is left out of the cost.`,
        object: ref,
      });
    }
    warnIfUnrequested(
      ref,
      container.name,
      'CPU',
      resources.cpuRequest,
      used?.cpuCores,
      env,
    );
    warnIfUnrequested(
      ref,
      container.name,
      'memory',
      resources.memoryRequest,
      used?.memoryBytes,
      env,
    );
    totals.cpuCores += Math.max(resources.cpuRequest ?? 0, used?.cpuCores ?? 0);
    totals.memoryGiB +=
      Math.max(resources.memoryRequest ?? 0, used?.memoryBytes ?? 0) /
      BYTES_PER_GIB;
    totals.gpus += resources.gpus;
  }
  return totals;
}

function warnIfUnrequested(
  ref: string,
  container: string,
  resource: 'CPU' | 'memory',
  request: number | undefined,
  used: number | undefined,
  env: Env,
): void {
  if (request !== undefined) return;
  const shown =
    resource === 'CPU'
      ? formatCores(used ?? 0)
      : `${number((used ?? 0) / BYTES_PER_GIB)} GiB`;
  env.warn({
    code: 'missing-request',
    message:
      used !== undefined
        ? `${ref}: container "${container}" has no ${resource} request or limit; priced at its observed usage (${shown}).`
        : `${ref}: container "${container}" has no ${resource} request or limit and no usage metrics; its ${resource} is priced at $0.`,
    object: ref,
  });
}

function daemonSetReplicas(workload: K8sObject, env: Env): number {
  const nodes = [...env.nodeRates.keys()];
  if (nodes.length === 0) {
    env.warn({
      code: 'daemonset-without-nodes',
      message: `${objectRef(workload)}: no nodes known, so one pod is assumed.`,
      object: objectRef(workload),
    });
    return 1;
  }
  return candidateNodes(nodes, stringMapAt(podSpecOf(workload), 'nodeSelector'))
    .length;
}

function priceWorkload(
  workload: K8sObject,
  side: Side,
  usage: WorkloadUsage,
  currentReplicas: number | undefined,
  env: Env,
): PricedObject {
  const rates = ratesForPodSpec(
    stringMapAt(podSpecOf(workload), 'nodeSelector'),
    env.nodeRates,
    env.book,
  );
  const pod = podQuantities(workload, usage, env);
  const hpa =
    workload.kind === 'DaemonSet' ? undefined : hpaFor(workload, side.objects);
  const replicas =
    workload.kind === 'DaemonSet'
      ? daemonSetReplicas(workload, env)
      : expectedReplicas(workload, hpa, currentReplicas);
  const costs = computeCosts(replicas, pod, rates, env.book.hoursPerMonth);
  const claims = claimTemplatesPerReplica(workload, env);
  if (claims) {
    costs.storage = {
      monthly: replicas * claims.monthly,
      formula: `${replicas} replicas × (${claims.formula})`,
    };
  }
  if (!hpa) return { costs };
  const hours = env.book.hoursPerMonth;
  const perReplica =
    (pod.cpuCores * rates.cpuPerCoreHour +
      pod.memoryGiB * rates.ramPerGiBHour +
      pod.gpus * rates.gpuPerHour) *
      hours +
    (claims?.monthly ?? 0);
  return { costs, scalable: { perReplica, replicas, range: hpaRange(hpa) } };
}

/** Quantity unit and the unit its price is per hour of. */
const UNITS = {
  cpu: ['cores', 'core-h'],
  memory: ['GiB', 'GiB-h'],
  gpu: ['GPUs', 'GPU-h'],
} as const;

function computeCosts(
  replicas: number,
  pod: PodQuantities,
  rates: PodRates,
  hours: number,
): ObjectCost {
  const line = (
    resource: keyof typeof UNITS,
    quantity: number,
    price: number,
  ): Amount => {
    const [unit, priceUnit] = UNITS[resource];
    const [amount, perHour] = [number(quantity), rate(price)];
    return {
      monthly: replicas * quantity * price * hours,
      formula: `${replicas} replicas × ${amount} ${unit} × ${perHour}/${priceUnit} × ${hours} h; ${rates.basis}`,
    };
  };
  const costs: ObjectCost = {
    cpu: line('cpu', pod.cpuCores, rates.cpuPerCoreHour),
    memory: line('memory', pod.memoryGiB, rates.ramPerGiBHour),
  };
  if (pod.gpus > 0) costs.gpu = line('gpu', pod.gpus, rates.gpuPerHour);
  return costs;
}

/** Storage of one replica's volumeClaimTemplates, per month. */
function claimTemplatesPerReplica(
  workload: K8sObject,
  env: Env,
): Amount | undefined {
  if (workload.kind !== 'StatefulSet') return undefined;
  const parts = recordsAt(workload, 'spec', 'volumeClaimTemplates').map(
    template => {
      const name = String(valueAt(template, 'metadata', 'name'));
      return claimStorage(
        `${objectRef(workload)} template "${name}"`,
        template,
        env,
      );
    },
  );
  const priced = parts.filter((part): part is Amount => part !== undefined);
  if (priced.length === 0) return undefined;
  return {
    monthly: sum(priced.map(part => part.monthly)),
    formula: priced.map(part => part.formula).join(' + '),
  };
}

/** `requested GiB × $/GiB-month` for a claim or claim template. */
function claimStorage(
  label: string,
  claim: unknown,
  env: Env,
): Amount | undefined {
  let bytes: number | undefined;
  try {
    bytes = optionalQuantity(
      valueAt(claim, 'spec', 'resources', 'requests', 'storage'),
    );
  } catch {
    env.warn({
      code: 'invalid-quantity',
      message: `${label}: invalid storage request; left out of the cost.`,
    });
    return undefined;
  }
  if (bytes === undefined) return undefined;
  const className = stringAt(claim, 'spec', 'storageClassName');
  const storage = storageRate(className, env.context, env.provider, env.book);
  const perGiB = rate(storage.perGiBMonth);
  const shownClass = className ?? '(default)';
  if (!storage.known) {
    env.warn({
      code: 'unknown-storage-class',
      message: `${label}: no price for storage class ${shownClass}; priced at the default ${perGiB}/GiB-month.`,
    });
  }
  const gib = bytes / BYTES_PER_GIB;
  return {
    monthly: gib * storage.perGiBMonth,
    formula: `${number(gib)} GiB × ${perGiB}/GiB-month; ${storage.basis}`,
  };
}

function priceClaim(claim: K8sObject, side: Side, env: Env): ObjectCost {
  if (side.generatedClaims.some(pattern => pattern.test(claim.metadata.name)))
    return {};
  const storage = claimStorage(objectRef(claim), claim, env);
  return storage ? { storage } : {};
}

function priceLoadBalancer(service: K8sObject, env: Env): ObjectCost {
  const ref = objectRef(service);
  const provider = env.provider ?? 'unknown provider';
  const hourly = env.book.loadBalancerHourly(env.provider);
  if (!env.provider) {
    env.warn({
      code: 'unknown-provider',
      message: `${ref}: the cloud provider is unknown, so the load balancer is priced at $0.`,
      object: ref,
    });
  }
  const hours = env.book.hoursPerMonth;
  return {
    'load-balancer': {
      monthly: hourly * hours,
      formula: `1 × ${rate(hourly)}/h × ${hours} h (${provider})`,
    },
  };
}
