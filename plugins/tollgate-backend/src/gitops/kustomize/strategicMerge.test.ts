import { strategicMerge } from './strategicMerge';

describe('strategicMerge', () => {
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'web:1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
            { name: 'sidecar', image: 'proxy:1' },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
          tolerations: [{ key: 'a', operator: 'Exists' }],
        },
      },
    },
  });

  it('merges maps and lists of containers, env and ports by their keys', () => {
    const patched = strategicMerge(
      deployment(),
      {
        metadata: { labels: { tier: null, team: 'payments' } },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'app',
                  env: [
                    { name: 'B', value: '3' },
                    { name: 'C', value: '4' },
                  ],
                  ports: [
                    { containerPort: 8080, protocol: 'TCP' },
                    { containerPort: 9090 },
                  ],
                  resources: {
                    requests: { cpu: '500m' },
                    limits: { memory: '1Gi' },
                  },
                },
                { name: 'debug', image: 'busybox' },
              ],
              tolerations: [{ key: 'b', operator: 'Exists' }],
            },
          },
        },
      },
      true,
    );

    expect(patched).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web', team: 'payments' } },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                image: 'web:1',
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '3' },
                  { name: 'C', value: '4' },
                ],
                ports: [
                  { name: 'http', containerPort: 8080, protocol: 'TCP' },
                  { containerPort: 9090 },
                ],
                resources: {
                  requests: { cpu: '500m', memory: '128Mi' },
                  limits: { memory: '1Gi' },
                },
              },
              { name: 'sidecar', image: 'proxy:1' },
              { name: 'debug', image: 'busybox' },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
            tolerations: [{ key: 'b', operator: 'Exists' }],
          },
        },
      },
    });
  });

  it('honours $patch: delete on list items and maps, and $patch: replace', () => {
    const patched = strategicMerge(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'sidecar', $patch: 'delete' },
                {
                  name: 'app',
                  resources: { $patch: 'replace', limits: { cpu: '1' } },
                },
              ],
              volumes: [{ $patch: 'replace' }, { name: 'cache', emptyDir: {} }],
            },
          },
        },
      },
      true,
    ) as any;

    expect(patched.spec.template.spec.containers).toEqual([
      {
        name: 'app',
        image: 'web:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [{ name: 'http', containerPort: 8080 }],
        resources: { limits: { cpu: '1' } },
      },
    ]);
    expect(patched.spec.template.spec.volumes).toEqual([
      { name: 'cache', emptyDir: {} },
    ]);
  });

  it('deletes the object for a top-level $patch: delete', () => {
    expect(
      strategicMerge(deployment(), { $patch: 'delete' }, true),
    ).toBeUndefined();
  });

  it('merges Service ports by port', () => {
    const service = {
      spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    };
    expect(
      strategicMerge(
        service,
        { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } },
        true,
      ),
    ).toEqual({
      spec: {
        ports: [{ name: 'http', port: 80, targetPort: 9090 }, { port: 443 }],
      },
    });
  });

  it('removes primitives listed by $deleteFromPrimitiveList and keeps only $retainKeys', () => {
    const target = {
      metadata: { finalizers: ['a', 'b', 'c'] },
      spec: {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      },
    };
    expect(
      strategicMerge(
        target,
        {
          metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] },
          spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
        },
        true,
      ),
    ).toEqual({
      metadata: { finalizers: ['a', 'c'] },
      spec: { strategy: { type: 'Recreate' } },
    });
  });

  it('merges lists of custom resources by name, as kustomize does without a schema', () => {
    const rollout = {
      spec: { steps: [{ name: 'canary', weight: 10 }], hosts: ['a'] },
    };
    expect(
      strategicMerge(
        rollout,
        { spec: { steps: [{ name: 'canary', weight: 50 }], hosts: ['b'] } },
        false,
      ),
    ).toEqual({
      spec: { steps: [{ name: 'canary', weight: 50 }], hosts: ['b'] },
    });
  });

  it('does not change its arguments', () => {
    const target = deployment();
    const patch = {
      spec: {
        template: { spec: { containers: [{ name: 'app', image: 'web:2' }] } },
      },
    };
    strategicMerge(target, patch, true);
    expect(target).toEqual(deployment());
    expect(patch).toEqual({
      spec: {
        template: { spec: { containers: [{ name: 'app', image: 'web:2' }] } },
      },
    });
  });
});
