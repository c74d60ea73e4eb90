import {
  TargetContext,
  candidateNodes,
  isSpotNode,
  nodeInstanceType,
  nodeProvider,
  nodeRegion,
  nodeResource,
} from './context';
import { K8sObject, stringAt, stringMapAt } from './objects';
import { PriceBook } from './pricing';
import { GPU_RESOURCE } from './resources';

/** Hourly price of one unit of each resource on a node (or a set of nodes). */
export interface UnitRates {
  cpuPerCoreHour: number;
  ramPerGiBHour: number;
  gpuPerHour: number;
}

/** A node's price and how it splits into unit rates. */
export interface NodeRate extends UnitRates {
  node: string;
  provider?: string;
  region?: string;
  instanceType?: string;
  spot: boolean;
  /** The node's own hourly price; absent when priced by default rates. */
  hourly?: number;
  /** `price-list` when the instance type was found, else `defaults`. */
  basis: 'price-list' | 'defaults';
}

export interface RateWarning {
  code: string;
  message: string;
  object?: string;
}

export function defaultUnitRates(book: PriceBook, spot = false): UnitRates {
  const rates = book.defaults;
  return {
    cpuPerCoreHour: spot ? rates.spotCpuPerCoreHour : rates.cpuPerCoreHour,
    ramPerGiBHour: spot ? rates.spotRamPerGiBHour : rates.ramPerGiBHour,
    gpuPerHour: rates.gpuPerHour,
  };
}

/**
 * OpenCost's split of a node's hourly price into unit rates, keeping the
 * default rates' proportions (cpuToRam = 0.031611 / 0.004237 = 7.4607):
 *
 *   ramPerGiBHour  = nodeHourly / (vcpu x cpuToRam + ramGiB + gpus x gpuToRam)
 *   cpuPerCoreHour = ramPerGiBHour x cpuToRam
 *   gpuPerHour     = ramPerGiBHour x gpuToRam
 *
 * e.g. m5.large, 2 vCPU, 8 GiB, $0.096/h: 0.096 / (2 x 7.4607 + 8)
 * = $0.004188/GiB-h, and x 7.4607 = $0.031247/vCPU-h.
 */
export function splitNodePrice(
  hourly: number,
  vcpu: number,
  ramGiB: number,
  gpus: number,
  book: PriceBook,
): UnitRates {
  const { cpuPerCoreHour, ramPerGiBHour, gpuPerHour } = book.defaults;
  const cpuToRam = cpuPerCoreHour / ramPerGiBHour;
  const gpuToRam = gpuPerHour / ramPerGiBHour;
  const ramRate = hourly / (vcpu * cpuToRam + ramGiB + gpus * gpuToRam);
  return {
    cpuPerCoreHour: ramRate * cpuToRam,
    ramPerGiBHour: ramRate,
    gpuPerHour: ramRate * gpuToRam,
  };
}

/** Prices one node from its labels; unknown types get the default rates. */
export function rateForNode(
  node: K8sObject,
  book: PriceBook,
  context: TargetContext,
  warn: (warning: RateWarning) => void,
): NodeRate {
  const instanceType = nodeInstanceType(node);
  const region = nodeRegion(node, context.region);
  const provider = nodeProvider(node, context.provider);
  const spot = isSpotNode(node);
  const identity = {
    node: node.metadata.name,
    ...(provider ? { provider } : {}),
    ...(region ? { region } : {}),
    ...(instanceType ? { instanceType } : {}),
    spot,
  };
  const price = instanceType
    ? book.instance({ provider, region, instanceType })
    : undefined;
  if (!price) {
    const where = region ? ` in ${region}` : '';
    const typeAndRegion = `${instanceType ?? '(unlabelled)'}${where}`;
    warn({
      code: 'unknown-instance-type',
      message: `No price for node type ${typeAndRegion}; priced at OpenCost's default rates.`,
      object: `Node/${node.metadata.name}`,
    });
    return { ...identity, ...defaultUnitRates(book, spot), basis: 'defaults' };
  }
  let hourly = price.hourly;
  if (spot && price.spotHourly !== undefined) {
    hourly = price.spotHourly;
  } else if (spot) {
    warn({
      code: 'spot-price-unknown',
      message: `No spot price for ${price.instanceType} in ${price.region}; priced on-demand, an upper bound.`,
      object: `Node/${node.metadata.name}`,
    });
  }
  const gpus = nodeResource(node, 'capacity', GPU_RESOURCE) ?? price.gpu ?? 0;
  return {
    ...identity,
    hourly,
    ...splitNodePrice(hourly, price.vcpu, price.memoryGiB, gpus, book),
    basis: 'price-list',
  };
}

/** Unit rates for a pod spec, and a short account of where they came from. */
export interface PodRates extends UnitRates {
  basis: string;
}

/**
 * The mean rates of the nodes a pod could run on (nodeSelector and OS).
 * Without nodes, or when none match, default or all-node rates are used.
 */
export function ratesForPodSpec(
  nodeSelector: Record<string, string>,
  nodeRates: ReadonlyMap<K8sObject, NodeRate>,
  book: PriceBook,
): PodRates {
  const nodes = [...nodeRates.keys()];
  if (nodes.length === 0) {
    return {
      ...defaultUnitRates(book),
      basis: "OpenCost's default rates (no nodes known)",
    };
  }
  const candidates = candidateNodes(nodes, nodeSelector);
  const chosen = candidates.length > 0 ? candidates : nodes;
  const rates = chosen.map(node => nodeRates.get(node) as NodeRate);
  const mean = (pick: (rate: NodeRate) => number) =>
    rates.reduce((sum, rate) => sum + pick(rate), 0) / rates.length;
  const nodeCount = rates.length === 1 ? '1 node' : `${rates.length} nodes`;
  const note =
    candidates.length > 0 ? '' : '; no node matches the nodeSelector';
  const types = [
    ...new Set(rates.map(rate => rate.instanceType ?? 'unknown')),
  ].sort();
  return {
    cpuPerCoreHour: mean(rate => rate.cpuPerCoreHour),
    ramPerGiBHour: mean(rate => rate.ramPerGiBHour),
    gpuPerHour: mean(rate => rate.gpuPerHour),
    basis: `mean of ${nodeCount} (${types.join(', ')})${note}`,
  };
}

const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

export function defaultStorageClass(
  classes: readonly K8sObject[],
): string | undefined {
  const found = classes.find(storageClass =>
    DEFAULT_CLASS_ANNOTATIONS.some(
      key => storageClass.metadata.annotations?.[key] === 'true',
    ),
  );
  return found?.metadata.name;
}

/** Disk type a provisioner creates when its class does not name one. */
const PROVISIONER_DISK_TYPES: Record<
  string,
  { parameters: string[]; fallback: string }
> = {
  'ebs.csi.aws.com': { parameters: ['type'], fallback: 'gp3' },
  'kubernetes.io/aws-ebs': { parameters: ['type'], fallback: 'gp2' },
  'pd.csi.storage.gke.io': { parameters: ['type'], fallback: 'pd-standard' },
  'kubernetes.io/gce-pd': { parameters: ['type'], fallback: 'pd-standard' },
  'disk.csi.azure.com': {
    parameters: ['skuName', 'skuname', 'storageaccounttype'],
    fallback: 'StandardSSD_LRS',
  },
  'kubernetes.io/azure-disk': {
    parameters: [
      'skuName',
      'skuname',
      'storageaccounttype',
      'storageAccountType',
    ],
    fallback: 'Standard_LRS',
  },
};

/** Class names managed clusters ship, per provider. */
const WELL_KNOWN_CLASSES: Record<string, Record<string, string>> = {
  gcp: {
    standard: 'pd-standard',
    'standard-rwo': 'pd-balanced',
    'premium-rwo': 'pd-ssd',
  },
  azure: {
    default: 'StandardSSD_LRS',
    'managed-csi': 'StandardSSD_LRS',
    'managed-csi-premium': 'Premium_LRS',
    'managed-premium': 'Premium_LRS',
  },
};

function diskTypeFromClass(storageClass: K8sObject): string | undefined {
  const provisioner = stringAt(storageClass, 'provisioner');
  const known = provisioner ? PROVISIONER_DISK_TYPES[provisioner] : undefined;
  if (!known) return undefined;
  const parameters = stringMapAt(storageClass, 'parameters');
  const named = known.parameters.map(key => parameters[key]).find(Boolean);
  return named ?? known.fallback;
}

export interface StorageRate {
  perGiBMonth: number;
  basis: string;
  known: boolean;
}

/** Price per GiB-month of a claim's storage class. */
export function storageRate(
  className: string | undefined,
  context: TargetContext,
  provider: string | undefined,
  book: PriceBook,
): StorageRate {
  const classes = context.storageClasses ?? [];
  const name = className ?? defaultStorageClass(classes);
  const storageClass = classes.find(
    candidate => candidate.metadata.name === name,
  );
  const diskType =
    (storageClass && diskTypeFromClass(storageClass)) ??
    (name && book.storage(name) ? name : undefined) ??
    (name && provider ? WELL_KNOWN_CLASSES[provider]?.[name] : undefined);
  const price = diskType ? book.storage(diskType) : undefined;
  if (price) {
    return {
      perGiBMonth: price.perGiBMonth,
      basis: `${price.diskType} (${name})`,
      known: true,
    };
  }
  return {
    perGiBMonth: book.defaults.storagePerGiBMonth,
    basis: `default storage rate (class ${name ?? 'unknown'})`,
    known: false,
  };
}
