import {
  SECRET_LOOKING_VALUE,
  gp3StorageClass,
  productionMetrics,
  productionNodes,
  productionObjects,
  stagingObjects,
} from './__fixtures__/checkout';
import { container, deployment } from './__fixtures__/builders';
import { PreviewInputError, computePreview, inferNamespace } from './preview';
import { createPriceBook } from './pricing';
import { K8sObject } from './objects';

const request = () => ({
  source: { objects: stagingObjects() },
  target: { objects: productionObjects() },
  context: {
    nodes: productionNodes(),
    podMetrics: productionMetrics(),
    storageClasses: [gp3StorageClass()],
  },
});

describe('computePreview', () => {
  it('previews the checkout promotion from staging to production', () => {
    const result = computePreview(request());
    expect(result.namespaces).toEqual({
      source: 'shop-staging',
      target: 'shop-prod',
    });
    expect(result.summary).toMatchObject({
      objects: {
        added: 0,
        removed: 0,
        modified: 2,
        renamed: 0,
        unchanged: 6,
        total: 8,
      },
      costText: '+$22.49 ($44.99 -> $67.48)',
      currency: 'USD',
    });
    expect(result.diff.objects.every(o => o.namespace === 'shop-prod')).toBe(
      true,
    );
    // Cost rises 50% (above the default 20% guardrail, below $100): medium.
    expect(result.risk.findings.map(f => `${f.severity}:${f.ruleId}`)).toEqual([
      'medium:cost-guardrail',
    ]);
    expect(result.summary).toMatchObject({
      riskLevel: 'medium',
      riskScore: 8,
      findings: 1,
    });
  });

  it('never lets a secret-looking env value out, not even in unified diffs', () => {
    const result = computePreview(request());
    const serialized = JSON.stringify(result);
    expect(serialized).not.toContain(SECRET_LOOKING_VALUE);
    expect(serialized).not.toContain('last-applied-configuration');
    // A first promotion shows whole objects: the value is there, redacted.
    const first = computePreview({
      ...request(),
      target: { objects: [], namespace: 'shop-prod' },
    });
    const patch =
      first.diff.objects.find(o => o.kind === 'Deployment')?.unifiedDiff ?? '';
    expect(patch).toContain(
      '+            - name: PAYMENT_API_KEY\n+              value: <redacted>\n',
    );
    expect(JSON.stringify(first)).not.toContain(SECRET_LOOKING_VALUE);
  });

  it('gives the same bytes for the same input in any order', () => {
    const forward = computePreview(request());
    const shuffled = request();
    shuffled.source.objects.reverse();
    shuffled.target.objects.reverse();
    shuffled.context.nodes.reverse();
    shuffled.context.podMetrics.reverse();
    const backward = computePreview(shuffled);
    expect(JSON.stringify(backward.diff)).toBe(JSON.stringify(forward.diff));
    expect(JSON.stringify(backward.risk)).toBe(JSON.stringify(forward.risk));
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });

  it('is plain data that survives a JSON round trip', () => {
    const result = computePreview(request());
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('finds what gets worse in a risky promotion', () => {
    const risky = request();
    const staging = risky.source.objects[0] as any;
    staging.spec.template.spec.containers[0].image =
      'docker.io/someone/checkout:latest';
    delete staging.spec.template.spec.containers[0].readinessProbe;
    const result = computePreview(risky);
    expect(result.risk.findings.map(f => f.ruleId).sort()).toEqual([
      'cost-guardrail',
      'image-digest-dropped',
      'image-latest-tag',
      'image-registry-changed',
      'readiness-probe-removed',
    ]);
    expect(result.summary.riskLevel).toBe('high');
  });

  it('applies options: ignore rules, price book and risk config', () => {
    const result = computePreview({
      ...request(),
      options: {
        ignore: [{ kind: 'Deployment', paths: ['/spec/replicas'] }],
        priceBook: createPriceBook({ discountPercent: 50 }),
        risk: { costGuardrail: { monthlyDelta: 5, percentDelta: 10 } },
      },
    });
    const deploymentChanges =
      result.diff.objects.find(o => o.kind === 'Deployment')?.changes ?? [];
    expect(deploymentChanges.map(c => c.path)).not.toContain('spec.replicas');
    expect(result.cost.text).toBe('+$11.25 ($22.49 -> $33.74)');
    expect(result.risk.findings.map(f => f.ruleId)).toEqual(['cost-guardrail']);
  });

  it('maps Git objects without a namespace into the target namespace', () => {
    const gitObject = deployment('web');
    delete gitObject.metadata.namespace;
    const result = computePreview({
      source: { objects: [gitObject] },
      target: { objects: [], namespace: 'prod' },
    });
    expect(result.diff.objects[0]).toMatchObject({
      status: 'added',
      namespace: 'prod',
    });
  });

  it('rejects input that is not Kubernetes objects, saying where', () => {
    let error: unknown;
    try {
      computePreview({
        source: { objects: [{ kind: 'Deployment', metadata: {} }] },
        target: { objects: [] },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PreviewInputError);
    expect((error as PreviewInputError).name).toBe('InputError');
    expect((error as PreviewInputError).issues).toEqual([
      'source.objects[0].apiVersion: Invalid input: expected string, received undefined',
      'source.objects[0].metadata.name: Invalid input: expected string, received undefined',
    ]);
  });

  it('computes a 50-object workload well under 50 ms', () => {
    const objects = (namespace: string, image: string): K8sObject[] => {
      const list: K8sObject[] = [];
      for (let i = 0; i < 25; i += 1) {
        const d = deployment(`svc-${i}`, {
          replicas: 3,
          containers: [
            container('app', {
              image,
              env: [{ name: 'TOKEN', value: SECRET_LOOKING_VALUE }],
            }),
            container('sidecar'),
          ],
        });
        d.metadata.namespace = namespace;
        list.push(d, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `svc-${i}`, namespace },
          spec: { selector: { app: `svc-${i}` }, ports: [{ port: 80 }] },
        });
      }
      return list;
    };
    const big = {
      source: {
        objects: objects('staging', 'registry.example.com/team/app:2.0.0'),
      },
      target: {
        objects: objects('prod', 'registry.example.com/team/app:1.9.0'),
      },
      context: { nodes: productionNodes(), podMetrics: productionMetrics() },
    };
    computePreview(big);
    // The fastest of several runs, so a busy CI machine's pauses do not count.
    const times = Array.from({ length: 7 }, () => {
      const started = performance.now();
      computePreview(big);
      return performance.now() - started;
    });
    expect(Math.min(...times)).toBeLessThan(50);
  });
});

describe('inferNamespace', () => {
  it('takes the most common namespace of namespaced objects', () => {
    const objects = [
      deployment('a'),
      deployment('b'),
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'x', namespace: 'zzz' },
      },
    ];
    objects[1].metadata.namespace = 'other';
    expect(inferNamespace(objects as K8sObject[])).toBe('other');
  });
});
