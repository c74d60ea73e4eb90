/**
 * Shipped price data: public list prices in USD, Linux, on-demand unless
 * marked spot. Every figure names its public source and the date it was
 * read as of. Prices change; the backend can layer fresher figures or
 * negotiated discounts on top through `createPriceBook` options.
 *
 * Not shipped, because no figure here could be checked against a source:
 * Azure westeurope, and spot prices other than those listed (spot prices
 * move hourly and per zone). Those fall back to the defaults below.
 */

export type PricedProvider = 'aws' | 'gcp' | 'azure';

export interface InstancePrice {
  provider: PricedProvider;
  region: string;
  instanceType: string;
  vcpu: number;
  memoryGiB: number;
  gpu?: number;
  /** On-demand USD per hour. */
  hourly: number;
  /** Spot / preemptible USD per hour, when a sourced figure exists. */
  spotHourly?: number;
  source: string;
  /** ISO date the figure was read as of. */
  asOf: string;
}

export interface StoragePrice {
  provider: PricedProvider | 'default';
  /** EBS volume type, GCE PD type or Azure disk SKU. */
  diskType: string;
  perGiBMonth: number;
  source: string;
  asOf: string;
}

/** Fallback rates, used for nodes of unknown type or when no node is known. */
export interface DefaultRates {
  cpuPerCoreHour: number;
  ramPerGiBHour: number;
  gpuPerHour: number;
  spotCpuPerCoreHour: number;
  spotRamPerGiBHour: number;
  storagePerGiBMonth: number;
  source: string;
  asOf: string;
}

export interface LoadBalancerPrice {
  provider: PricedProvider;
  hourly: number;
  source: string;
  asOf: string;
}

/** OpenCost's month: 365 days x 24 h / 12. */
export const HOURS_PER_MONTH = 730;

const OPENCOST_DEFAULTS =
  'OpenCost configs/default.json (defaults labelled GCP us-central1)';

export const DEFAULT_RATES: DefaultRates = {
  cpuPerCoreHour: 0.031611,
  ramPerGiBHour: 0.004237,
  gpuPerHour: 0.95,
  spotCpuPerCoreHour: 0.006655,
  spotRamPerGiBHour: 0.000892,
  // 0.00005479452 $/GiB-h x 730 h
  storagePerGiBMonth: 0.04,
  source: OPENCOST_DEFAULTS,
  asOf: '2025-01-01',
};

const AWS_SOURCE =
  'https://aws.amazon.com/ec2/pricing/on-demand/ (Linux, shared tenancy)';
const AWS_AS_OF = '2025-01-01';

type RegionalPrices = Record<string, number>;

/** [instance type, vCPU, GiB, on-demand $/h per region] */
type InstanceRow = [string, number, number, RegionalPrices];

// us-west-2 lists the same prices as us-east-1 for these families.
const awsPrices = (usEast1: number, euWest1: number): RegionalPrices => ({
  'us-east-1': usEast1,
  'us-west-2': usEast1,
  'eu-west-1': euWest1,
});

const AWS_ROWS: InstanceRow[] = [
  ['t3.medium', 2, 4, awsPrices(0.0416, 0.0456)],
  ['t3.large', 2, 8, awsPrices(0.0832, 0.0912)],
  ['m5.large', 2, 8, awsPrices(0.096, 0.107)],
  ['m5.xlarge', 4, 16, awsPrices(0.192, 0.214)],
  ['m5.2xlarge', 8, 32, awsPrices(0.384, 0.428)],
  ['m5.4xlarge', 16, 64, awsPrices(0.768, 0.856)],
  ['m6i.large', 2, 8, awsPrices(0.096, 0.107)],
  ['m6i.xlarge', 4, 16, awsPrices(0.192, 0.214)],
  ['m6i.2xlarge', 8, 32, awsPrices(0.384, 0.428)],
  ['m6i.4xlarge', 16, 64, awsPrices(0.768, 0.856)],
  ['c5.large', 2, 4, awsPrices(0.085, 0.096)],
  ['c5.xlarge', 4, 8, awsPrices(0.17, 0.192)],
  ['c5.2xlarge', 8, 16, awsPrices(0.34, 0.384)],
  ['c5.4xlarge', 16, 32, awsPrices(0.68, 0.768)],
  ['r5.large', 2, 16, awsPrices(0.126, 0.141)],
  ['r5.xlarge', 4, 32, awsPrices(0.252, 0.282)],
  ['r5.2xlarge', 8, 64, awsPrices(0.504, 0.564)],
  ['r5.4xlarge', 16, 128, awsPrices(1.008, 1.128)],
];

// OpenCost's test price list (core/pkg/pricing/test/aws.json) agrees with
// the list prices above for m5 in us-east-1 and adds these.
const OPENCOST_AWS = 'OpenCost core/pkg/pricing/test/aws.json';
const AWS_EXTRA: InstancePrice[] = [
  {
    provider: 'aws',
    region: 'us-west-1',
    instanceType: 'm5.large',
    vcpu: 2,
    memoryGiB: 8,
    hourly: 0.112,
    source: OPENCOST_AWS,
    asOf: AWS_AS_OF,
  },
];
const AWS_SPOT: Record<string, number> = { 'us-east-1/m5.large': 0.043 };

const GCP_SOURCE =
  'Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml, generated from the Cloud Billing Catalog API (https://cloud.google.com/compute/vm-instance-pricing)';
const GCP_AS_OF = '2025-03-06';

/** [instance type, vCPU, GiB, { region: [on-demand, spot] }] */
type GcpRow = [string, number, number, Record<string, [number, number]>];

// E2 and N2 are priced per vCPU and per GiB, so sizes scale linearly from
// the -2 figures (checked against the source for -4/-8, -16 and -32).
const GCP_ROWS: GcpRow[] = [
  [
    'e2-standard-2',
    2,
    8,
    {
      'us-central1': [0.06701142, 0.026792],
      'europe-west1': [0.07371546, 0.027916],
    },
  ],
  [
    'e2-standard-4',
    4,
    16,
    {
      'us-central1': [0.13402284, 0.053584],
      'europe-west1': [0.14743092, 0.055832],
    },
  ],
  [
    'e2-standard-8',
    8,
    32,
    {
      'us-central1': [0.26804568, 0.107168],
      'europe-west1': [0.29486184, 0.111664],
    },
  ],
  [
    'e2-standard-16',
    16,
    64,
    {
      'us-central1': [0.53609136, 0.214336],
      'europe-west1': [0.58972368, 0.223328],
    },
  ],
  [
    'n2-standard-2',
    2,
    8,
    {
      'us-central1': [0.097118, 0.029976],
      'europe-west1': [0.106834, 0.011028],
    },
  ],
  [
    'n2-standard-4',
    4,
    16,
    {
      'us-central1': [0.194236, 0.059952],
      'europe-west1': [0.213668, 0.022056],
    },
  ],
  [
    'n2-standard-8',
    8,
    32,
    {
      'us-central1': [0.388472, 0.119904],
      'europe-west1': [0.427336, 0.044112],
    },
  ],
  [
    'n2-standard-16',
    16,
    64,
    {
      'us-central1': [0.776944, 0.239808],
      'europe-west1': [0.854672, 0.088224],
    },
  ],
];

const AZURE_SOURCE =
  'OpenCost core/pkg/pricing/test/azure.json (Azure Retail Prices API figures)';
const AZURE_LIST =
  'https://azure.microsoft.com/pricing/details/virtual-machines/linux/';
const AZURE_AS_OF = '2025-01-01';

const AZURE_PRICES: InstancePrice[] = [
  azure('eastus', 'Standard_D2s_v5', 2, 8, 0.096, 0.0288, AZURE_SOURCE),
  azure('eastus', 'Standard_D4s_v5', 4, 16, 0.192, 0.0576, AZURE_SOURCE),
  // Dsv5 sizes are priced linearly: twice the D4s_v5 figure.
  azure('eastus', 'Standard_D8s_v5', 8, 32, 0.384, undefined, AZURE_LIST),
  azure('westus2', 'Standard_D2s_v5', 2, 8, 0.109, 0.0327, AZURE_SOURCE),
  azure('westus2', 'Standard_D4s_v5', 4, 16, 0.218, 0.0654, AZURE_SOURCE),
];

function azure(
  region: string,
  instanceType: string,
  vcpu: number,
  memoryGiB: number,
  hourly: number,
  spotHourly: number | undefined,
  source: string,
): InstancePrice {
  return {
    provider: 'azure',
    region,
    instanceType,
    vcpu,
    memoryGiB,
    hourly,
    ...(spotHourly !== undefined ? { spotHourly } : {}),
    source,
    asOf: AZURE_AS_OF,
  };
}

function awsInstances(): InstancePrice[] {
  return AWS_ROWS.flatMap(([instanceType, vcpu, memoryGiB, prices]) =>
    Object.entries(prices).map(([region, hourly]) => {
      const spotHourly = AWS_SPOT[`${region}/${instanceType}`];
      return {
        provider: 'aws' as const,
        region,
        instanceType,
        vcpu,
        memoryGiB,
        hourly,
        ...(spotHourly !== undefined ? { spotHourly } : {}),
        source:
          spotHourly !== undefined
            ? `${AWS_SOURCE}; spot: ${OPENCOST_AWS}`
            : AWS_SOURCE,
        asOf: AWS_AS_OF,
      };
    }),
  );
}

function gcpInstances(): InstancePrice[] {
  return GCP_ROWS.flatMap(([instanceType, vcpu, memoryGiB, prices]) =>
    Object.entries(prices).map(([region, [hourly, spotHourly]]) => ({
      provider: 'gcp' as const,
      region,
      instanceType,
      vcpu,
      memoryGiB,
      hourly,
      spotHourly,
      source: GCP_SOURCE,
      asOf: GCP_AS_OF,
    })),
  );
}

export const INSTANCE_PRICES: readonly InstancePrice[] = [
  ...awsInstances(),
  ...AWS_EXTRA,
  ...gcpInstances(),
  ...AZURE_PRICES,
];

const EBS_SOURCE = 'https://aws.amazon.com/ebs/pricing/ (us-east-1)';
const PD_SOURCE =
  'https://cloud.google.com/compute/disks-image-pricing (us-central1)';
const AZURE_DISK_SOURCE =
  'OpenCost core/pkg/pricing/test/azure.json (eastus, $/GiB-h x 730); https://azure.microsoft.com/pricing/details/managed-disks/';

export const STORAGE_PRICES: readonly StoragePrice[] = [
  // gp3 0.0001096 and gp2 0.000137 $/GiB-h in OpenCost's aws.json, x 730.
  {
    provider: 'aws',
    diskType: 'gp3',
    perGiBMonth: 0.08,
    source: EBS_SOURCE,
    asOf: AWS_AS_OF,
  },
  {
    provider: 'aws',
    diskType: 'gp2',
    perGiBMonth: 0.1,
    source: EBS_SOURCE,
    asOf: AWS_AS_OF,
  },
  {
    provider: 'aws',
    diskType: 'io1',
    perGiBMonth: 0.125,
    source: EBS_SOURCE,
    asOf: AWS_AS_OF,
  },
  {
    provider: 'aws',
    diskType: 'io2',
    perGiBMonth: 0.125,
    source: EBS_SOURCE,
    asOf: AWS_AS_OF,
  },
  {
    provider: 'aws',
    diskType: 'st1',
    perGiBMonth: 0.045,
    source: EBS_SOURCE,
    asOf: AWS_AS_OF,
  },
  {
    provider: 'aws',
    diskType: 'sc1',
    perGiBMonth: 0.015,
    source: EBS_SOURCE,
    asOf: AWS_AS_OF,
  },
  {
    provider: 'gcp',
    diskType: 'pd-standard',
    perGiBMonth: 0.04,
    source: PD_SOURCE,
    asOf: GCP_AS_OF,
  },
  {
    provider: 'gcp',
    diskType: 'pd-balanced',
    perGiBMonth: 0.1,
    source: PD_SOURCE,
    asOf: GCP_AS_OF,
  },
  {
    provider: 'gcp',
    diskType: 'pd-ssd',
    perGiBMonth: 0.17,
    source: PD_SOURCE,
    asOf: GCP_AS_OF,
  },
  {
    provider: 'azure',
    diskType: 'Premium_LRS',
    perGiBMonth: 0.16,
    source: AZURE_DISK_SOURCE,
    asOf: AZURE_AS_OF,
  },
  {
    provider: 'azure',
    diskType: 'StandardSSD_LRS',
    perGiBMonth: 0.08,
    source: AZURE_DISK_SOURCE,
    asOf: AZURE_AS_OF,
  },
  {
    provider: 'azure',
    diskType: 'Standard_LRS',
    perGiBMonth: 0.05,
    source: AZURE_DISK_SOURCE,
    asOf: AZURE_AS_OF,
  },
];

const OPENCOST_LB =
  'OpenCost load balancer pricing (first five forwarding rules)';

export const LOAD_BALANCER_PRICES: readonly LoadBalancerPrice[] = [
  { provider: 'aws', hourly: 0.025, source: OPENCOST_LB, asOf: '2025-01-01' },
  { provider: 'gcp', hourly: 0.025, source: OPENCOST_LB, asOf: '2025-01-01' },
  { provider: 'azure', hourly: 0.005, source: OPENCOST_LB, asOf: '2025-01-01' },
];
