import {
  gp3StorageClass,
  m5LargeNode,
  productionMetrics,
  productionNodes,
  productionObjects,
  stagingObjects,
} from './__fixtures__/checkout';
import {
  NAMESPACE,
  container,
  deployment,
  metricsFor,
  pvc,
  service,
} from './__fixtures__/builders';
import { TargetContext } from './context';
import { CostResult, computeCost } from './cost';
import { matchObjects } from './diff';
import { formatCostDelta, formatUsd } from './money';
import { normalizeObjects } from './normalize';
import { K8sObject } from './objects';
import { createPriceBook } from './pricing';
import { splitNodePrice } from './rates';

function cost(
  before: K8sObject[],
  after: K8sObject[],
  context: TargetContext = {},
  namespace = NAMESPACE,
  discountPercent = 0,
): CostResult {
  const matches = matchObjects(
    normalizeObjects(before, { namespace }),
    normalizeObjects(after, { namespace }),
  );
  return computeCost({
    matches,
    context,
    priceBook: createPriceBook({ discountPercent }),
  });
}

const line = (result: CostResult, object: string, resource: string) =>
  result.lines.find(l => l.object === object && l.resource === resource);

// OpenCost's split of m5.large (2 vCPU, 8 GiB, $0.096/h), see rates.ts:
// cpuToRam = 0.031611 / 0.004237; ram = 0.096 / (2 x cpuToRam + 8); cpu = ram x cpuToRam.
const CPU_TO_RAM = 0.031611 / 0.004237;
const M5_RAM = 0.096 / (2 * CPU_TO_RAM + 8);
const M5_CPU = M5_RAM * CPU_TO_RAM;

describe('splitNodePrice', () => {
  it('splits m5.large into $0.031247/vCPU-h and $0.004188/GiB-h', () => {
    const rates = splitNodePrice(0.096, 2, 8, 0, createPriceBook());
    expect(rates.cpuPerCoreHour).toBeCloseTo(0.031247, 6);
    expect(rates.ramPerGiBHour).toBeCloseTo(0.004188, 6);
    // The split adds back up to the node price.
    expect(2 * rates.cpuPerCoreHour + 8 * rates.ramPerGiBHour).toBeCloseTo(
      0.096,
      12,
    );
  });

  it('gives GPUs their share by the default GPU-to-RAM ratio', () => {
    const rates = splitNodePrice(3.06, 8, 61, 1, createPriceBook());
    expect(
      8 * rates.cpuPerCoreHour + 61 * rates.ramPerGiBHour + rates.gpuPerHour,
    ).toBeCloseTo(3.06, 12);
    expect(rates.gpuPerHour / rates.ramPerGiBHour).toBeCloseTo(
      0.95 / 0.004237,
      6,
    );
  });
});

describe('computeCost on the checkout promotion', () => {
  const context: TargetContext = {
    nodes: productionNodes(),
    podMetrics: productionMetrics(),
    storageClasses: [gp3StorageClass()],
  };
  const result = cost(
    productionObjects(),
    stagingObjects(),
    context,
    'shop-prod',
  );

  it('prices the running Deployment by requests when usage is lower', () => {
    // Baseline: 3 replicas (HPA 2..6 keeps the current 3). Requests 500m and
    // 1Gi are above the mean usage (300m, 683Mi), so requests are priced:
    //   CPU    3 x 0.5 cores x $0.0312471/core-h x 730 h = $34.22
    //   memory 3 x 1 GiB     x $0.0041882/GiB-h  x 730 h = $9.17
    const cpu = line(result, 'Deployment/checkout', 'cpu');
    const memory = line(result, 'Deployment/checkout', 'memory');
    expect(cpu?.baseline).toBeCloseTo(3 * 0.5 * M5_CPU * 730, 10);
    expect(formatUsd(cpu?.baseline ?? 0)).toBe('$34.22');
    expect(formatUsd(memory?.baseline ?? 0)).toBe('$9.17');
    expect(cpu?.formula.baseline).toMatch(
      /^3 replicas × 0\.5 cores × \$0\.031247\/core-h × 730 h; mean of 3 nodes \(m5\.large\)$/,
    );
  });

  it("prices staging's larger requests on production's nodes", () => {
    // Projected: still 3 replicas (the HPA), requests 750m and 1.5Gi:
    //   CPU    3 x 0.75 x $0.0312471 x 730 = $51.32
    //   memory 3 x 1.5  x $0.0041882 x 730 = $13.76
    expect(
      formatUsd(line(result, 'Deployment/checkout', 'cpu')?.projected ?? 0),
    ).toBe('$51.32');
    expect(
      formatUsd(line(result, 'Deployment/checkout', 'memory')?.projected ?? 0),
    ).toBe('$13.76');
    expect(line(result, 'Deployment/checkout', 'cpu')?.text).toBe(
      '+$17.10 ($34.22 -> $51.32)',
    );
  });

  it('prices the claim by requested size and storage class', () => {
    // gp3 at $0.08/GiB-month: 20 GiB = $1.60 now, 30 GiB = $2.40 after.
    const storage = line(
      result,
      'PersistentVolumeClaim/checkout-cache',
      'storage',
    );
    expect(storage?.baseline).toBeCloseTo(1.6, 10);
    expect(storage?.projected).toBeCloseTo(2.4, 10);
    expect(storage?.formula.projected).toBe(
      '30 GiB × $0.08/GiB-month; gp3 (gp3)',
    );
  });

  it('adds up the lines and writes the Infracost-style total', () => {
    // 34.2156 + 9.1722 + 1.60 = 44.99 -> 51.3234 + 13.7583 + 2.40 = 67.48
    expect(result.baseline).toBeCloseTo(44.987788, 5);
    expect(result.projected).toBeCloseTo(67.481682, 5);
    expect(result.text).toBe('+$22.49 ($44.99 -> $67.48)');
    expect(result.deltaPercent).toBeCloseTo((22.493894 / 44.987788) * 100, 4);
    expect(result.currency).toBe('USD');
    expect(result.warnings).toEqual([]);
  });

  it('gives the HPA band at minReplicas and maxReplicas', () => {
    // One replica costs (0.5 x cpu + 1 x ram) x 730 now, (0.75 x cpu + 1.5 x ram) x 730 after.
    const now = (0.5 * M5_CPU + M5_RAM) * 730;
    const after = (0.75 * M5_CPU + 1.5 * M5_RAM) * 730;
    expect(result.hpaBand?.baseline.min).toBeCloseTo(result.baseline - now, 8);
    expect(result.hpaBand?.baseline.max).toBeCloseTo(
      result.baseline + 3 * now,
      8,
    );
    expect(result.hpaBand?.projected.min).toBeCloseTo(
      result.projected - after,
      8,
    );
    expect(result.hpaBand?.projected.max).toBeCloseTo(
      result.projected + 3 * after,
      8,
    );
  });

  it('reports how every node was priced', () => {
    expect(result.nodeRates).toHaveLength(3);
    expect(result.nodeRates[0]).toMatchObject({
      instanceType: 'm5.large',
      provider: 'aws',
      region: 'us-east-1',
      hourly: 0.096,
      basis: 'price-list',
    });
  });
});

describe('computeCost details', () => {
  const nodes = [m5LargeNode('n1')];

  it('prices observed usage when it is above the request', () => {
    const web = deployment('web', {
      replicas: 2,
      containers: [
        container('app', {
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        }),
      ],
    });
    const metrics = [
      metricsFor('web-5f7b9c6d4-abcde', [
        { name: 'app', cpu: '400m', memory: '256Mi' },
      ]),
      metricsFor('web-5f7b9c6d4-fghij', [
        { name: 'app', cpu: '200m', memory: '256Mi' },
      ]),
    ];
    const result = cost([web], [web], { nodes, podMetrics: metrics });
    // Mean usage 300m > 100m request: 2 x 0.3 x cpu x 730.
    expect(line(result, 'Deployment/web', 'cpu')?.baseline).toBeCloseTo(
      2 * 0.3 * M5_CPU * 730,
      10,
    );
    // Memory: usage 0.25 GiB > 0.125 GiB request.
    expect(line(result, 'Deployment/web', 'memory')?.baseline).toBeCloseTo(
      2 * 0.25 * M5_RAM * 730,
      10,
    );
  });

  it('warns about a container without requests and prices its usage', () => {
    const web = deployment('web', {
      replicas: 1,
      containers: [container('app', { resources: {} })],
    });
    const metrics = [
      metricsFor('web-5f7b9c6d4-abcde', [
        { name: 'app', cpu: '250m', memory: '512Mi' },
      ]),
    ];
    const result = cost([web], [web], { nodes, podMetrics: metrics });
    expect(line(result, 'Deployment/web', 'cpu')?.baseline).toBeCloseTo(
      0.25 * M5_CPU * 730,
      10,
    );
    expect(result.warnings.map(w => w.message)).toEqual([
      'Deployment/web: container "app" has no CPU request or limit; priced at its observed usage (250m).',
      'Deployment/web: container "app" has no memory request or limit; priced at its observed usage (0.5 GiB).',
    ]);
  });

  it('never prices a container at zero silently', () => {
    const web = deployment('web', {
      replicas: 1,
      containers: [container('app', { resources: {} })],
    });
    const result = cost([], [web], { nodes });
    expect(result.projected).toBe(0);
    expect(result.warnings.map(w => w.code)).toEqual([
      'missing-request',
      'missing-request',
    ]);
    expect(result.warnings[0].message).toMatch(
      /no usage metrics; its CPU is priced at \$0/,
    );
  });

  it('uses a limit as the request when only the limit is set', () => {
    const web = deployment('web', {
      replicas: 1,
      containers: [
        container('app', {
          resources: { limits: { cpu: '1', memory: '1Gi' } },
        }),
      ],
    });
    const result = cost([], [web], { nodes });
    expect(line(result, 'Deployment/web', 'cpu')?.projected).toBeCloseTo(
      M5_CPU * 730,
      10,
    );
    expect(result.warnings).toEqual([]);
  });

  it('falls back to OpenCost default rates without nodes, and says so', () => {
    const web = deployment('web', {
      replicas: 2,
      containers: [
        container('app', {
          resources: { requests: { cpu: '1', memory: '2Gi' } },
        }),
      ],
    });
    const result = cost([], [web]);
    // 2 x (1 x 0.031611 + 2 x 0.004237) x 730 = 58.5236
    expect(result.projected).toBeCloseTo(
      2 * (0.031611 + 2 * 0.004237) * 730,
      10,
    );
    expect(result.warnings.map(w => w.code)).toContain('no-nodes');
  });

  it('prices unknown instance types at default rates with a warning', () => {
    const odd = m5LargeNode('n9', 'us-east-1a', {
      'node.kubernetes.io/instance-type': 'x9.mega',
    });
    const web = deployment('web', {
      replicas: 1,
      containers: [
        container('app', {
          resources: { requests: { cpu: '1', memory: '1Gi' } },
        }),
      ],
    });
    const result = cost([], [web], { nodes: [odd] });
    expect(result.projected).toBeCloseTo((0.031611 + 0.004237) * 730, 10);
    expect(result.warnings[0]).toMatchObject({
      code: 'unknown-instance-type',
      object: 'Node/n9',
    });
  });

  it('uses the spot price on spot nodes', () => {
    const spot = m5LargeNode('s1', 'us-east-1a', {
      'eks.amazonaws.com/capacityType': 'SPOT',
    });
    const web = deployment('web', {
      replicas: 1,
      containers: [
        container('app', {
          resources: { requests: { cpu: '2', memory: '8Gi' } },
        }),
      ],
    });
    // The whole node's worth of resources costs the node's spot price.
    expect(cost([], [web], { nodes: [spot] }).projected).toBeCloseTo(
      0.043 * 730,
      10,
    );
  });

  it('applies a discount to every price', () => {
    const web = deployment('web', {
      replicas: 1,
      containers: [
        container('app', {
          resources: { requests: { cpu: '2', memory: '8Gi' } },
        }),
      ],
    });
    expect(
      cost([], [web, service('web', 'LoadBalancer')], { nodes }, NAMESPACE, 25)
        .projected,
    ).toBeCloseTo(0.75 * (0.096 + 0.025) * 730, 10);
  });

  it('prices a GPU by its limit', () => {
    const trainer = deployment('trainer', {
      replicas: 1,
      containers: [
        container('train', {
          resources: {
            requests: { cpu: '1', memory: '1Gi' },
            limits: { 'nvidia.com/gpu': 1 },
          },
        }),
      ],
    });
    const result = cost([], [trainer]);
    expect(line(result, 'Deployment/trainer', 'gpu')?.projected).toBeCloseTo(
      0.95 * 730,
      10,
    );
  });

  it('prices a LoadBalancer Service at the provider rate', () => {
    const result = cost([service('web')], [service('web', 'LoadBalancer')], {
      nodes,
    });
    expect(line(result, 'Service/web', 'load-balancer')?.text).toBe(
      '+$18.25 ($0.00 -> $18.25)',
    );
  });

  it('prices StatefulSet claim templates per replica and skips the claims they made', () => {
    const db = deployment('db', {
      kind: 'StatefulSet',
      replicas: 3,
      spec: {
        serviceName: 'db',
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: {
              storageClassName: 'gp3',
              resources: { requests: { storage: '100Gi' } },
            },
          },
        ],
      },
    });
    const generated = [0, 1, 2].map(i => pvc(`data-db-${i}`, '100Gi', 'gp3'));
    const result = cost([db, ...generated], [db], { nodes });
    // 3 x 100 GiB x $0.08 = $24.00, counted once.
    expect(line(result, 'StatefulSet/db', 'storage')?.baseline).toBeCloseTo(
      24,
      10,
    );
    expect(
      result.lines.filter(l => l.object.startsWith('PersistentVolumeClaim/')),
    ).toEqual([]);
  });

  it('prices an unknown storage class at the default rate, with a warning', () => {
    const result = cost([], [pvc('data', '50Gi', 'fancy-nvme')], { nodes });
    expect(result.projected).toBeCloseTo(50 * 0.04, 10);
    expect(result.warnings.map(w => w.code)).toContain('unknown-storage-class');
  });

  it('resolves well-known managed-cluster class names per provider', () => {
    const result = cost([], [pvc('data', '10Gi', 'premium-rwo')], {
      provider: 'gcp',
    });
    expect(result.projected).toBeCloseTo(10 * 0.17, 10);
  });

  it('runs a DaemonSet pod on every matching node', () => {
    const agent = deployment('agent', {
      kind: 'DaemonSet',
      containers: [
        container('agent', {
          resources: { requests: { cpu: '100m', memory: '100Mi' } },
        }),
      ],
    });
    const three = [m5LargeNode('a'), m5LargeNode('b'), m5LargeNode('c')];
    expect(
      line(cost([], [agent], { nodes: three }), 'DaemonSet/agent', 'cpu')
        ?.projected,
    ).toBeCloseTo(3 * 0.1 * M5_CPU * 730, 10);
  });

  it('counts sidecars but not one-shot init containers', () => {
    const web = deployment('web', {
      replicas: 1,
      containers: [
        container('app', {
          resources: { requests: { cpu: '1', memory: '1Gi' } },
        }),
      ],
      podSpec: {
        initContainers: [
          container('migrate', {
            resources: { requests: { cpu: '2', memory: '1Gi' } },
          }),
          container('proxy', {
            restartPolicy: 'Always',
            resources: { requests: { cpu: '500m', memory: '1Gi' } },
          }),
        ],
      },
    });
    expect(
      line(cost([], [web], { nodes }), 'Deployment/web', 'cpu')?.projected,
    ).toBeCloseTo(1.5 * M5_CPU * 730, 10);
  });

  it('warns about an invalid quantity instead of failing', () => {
    const web = deployment('web', {
      replicas: 1,
      containers: [
        container('app', {
          resources: { requests: { cpu: 'lots', memory: '1Gi' } },
        }),
      ],
    });
    const result = cost([], [web], { nodes });
    expect(result.warnings.map(w => w.code)).toContain('invalid-quantity');
  });
});

describe('money formatting', () => {
  it('formats amounts and deltas to the cent, only at presentation', () => {
    expect(formatUsd(1234.567)).toBe('$1,234.57');
    expect(formatUsd(-5)).toBe('-$5.00');
    expect(formatUsd(0.005)).toBe('$0.01');
    expect(formatCostDelta(40.1, 52.5)).toBe('+$12.40 ($40.10 -> $52.50)');
    expect(formatCostDelta(52.5, 40.1)).toBe('-$12.40 ($52.50 -> $40.10)');
    expect(formatCostDelta(10, 10.001)).toBe('$0.00 ($10.00 -> $10.00)');
  });
});
