import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../src/config.ts';
import { RESOURCE_TYPES, groupOf } from '../src/kube/resources.ts';
import {
  chartFile,
  defaultValues,
  deepMerge,
  renderChart,
} from './support/chart.ts';
import { GoTemplates } from './support/goTemplate.ts';
import { imageEnvironment } from './support/imageEnvironment.ts';
import { validate } from './support/jsonSchema.ts';

const REQUIRED = {
  backend: { url: 'https://backstage.example.com/api/tollgate' },
  clusterId: 'prod-eu-1',
  token: 'tg_agent_0123456789',
};
const READ_VERBS = new Set(['get', 'list', 'watch']);

const containerOf = (deployment: any) =>
  deployment.spec.template.spec.containers[0];
const envOf = (deployment: any): Record<string, string> =>
  Object.fromEntries(
    containerOf(deployment).env.map((entry: any) => [entry.name, entry.value]),
  );

describe('values.schema.json', () => {
  const schema = JSON.parse(chartFile('values.schema.json'));

  test('is draft-07 and accepts values.yaml, alone and with the install settings', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(validate(schema, defaultValues()), []);
    assert.deepEqual(
      validate(schema, deepMerge(defaultValues(), REQUIRED)),
      [],
    );
  });

  test('rejects wrong types, out-of-range numbers, bad enums and unknown keys', () => {
    const invalid: Array<[Record<string, unknown>, RegExp]> = [
      [{ agent: { batchSize: 0 } }, /batchSize: below 1/],
      [{ agent: { batchSize: 6000 } }, /batchSize: above 5000/],
      [{ agent: { logLevel: 'loud' } }, /logLevel: must be one of/],
      [
        { agent: { heartbeatInterval: 'often' } },
        /heartbeatInterval: does not match/,
      ],
      [{ backend: { url: 'ftp://files.example.com' } }, /url: does not match/],
      [{ clusterId: 'Prod EU' }, /clusterId: does not match/],
      [{ port: '8080' }, /port: expected integer/],
      [
        { networkPolicy: { backend: { cidrs: ['everywhere'] } } },
        /cidrs\[0\]: does not match/,
      ],
      [
        { rbac: { create: true, extraRules: [] } },
        /unknown property extraRules/,
      ],
      [{ unexpected: 1 }, /unknown property unexpected/],
    ];
    for (const [override, expected] of invalid) {
      const errors = validate(schema, deepMerge(defaultValues(), override));
      assert.match(errors.join('\n'), expected, JSON.stringify(override));
    }
  });

  test('the validator refuses keywords it does not implement', () => {
    assert.throws(() => validate({ oneOf: [] }, 1), /not supported/);
  });
});

describe('rendered chart', () => {
  test('installs a ServiceAccount, RBAC, the token Secret and the Deployment', () => {
    const { objects } = renderChart(REQUIRED);
    assert.deepEqual(
      objects.map(object => object.kind),
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'Deployment',
        'Secret',
        'ServiceAccount',
      ],
    );
    for (const object of objects) {
      assert.equal(
        object.metadata.labels['app.kubernetes.io/name'],
        'tollgate-agent',
      );
      assert.equal(
        object.metadata.labels['app.kubernetes.io/managed-by'],
        'Helm',
      );
    }
  });

  test('the ClusterRole grants only get/list/watch on exactly the resources the agent reads', () => {
    const { find } = renderChart(REQUIRED);
    const role = find('ClusterRole')!;
    const granted: string[] = [];
    for (const rule of role.rules) {
      assert.equal(rule.nonResourceURLs, undefined);
      assert.equal(rule.resourceNames, undefined);
      for (const verb of rule.verbs)
        assert.ok(READ_VERBS.has(verb), `verb ${verb}`);
      for (const field of [rule.apiGroups, rule.resources, rule.verbs])
        assert.ok(!field.includes('*'), 'no wildcards');
      for (const group of rule.apiGroups)
        for (const resource of rule.resources)
          granted.push(`${group}/${resource}`);
    }
    assert.ok(!granted.some(entry => entry.endsWith('/secrets')), 'no secrets');
    const expected = RESOURCE_TYPES.map(
      resource => `${groupOf(resource)}/${resource.plural}`,
    );
    assert.deepEqual([...granted].sort(), [...expected].sort());
    const metricsRule = role.rules.find((rule: any) =>
      rule.apiGroups.includes('metrics.k8s.io'),
    );
    assert.deepEqual(
      metricsRule.verbs,
      ['get', 'list'],
      'metrics cannot be watched',
    );
    const binding = find('ClusterRoleBinding')!;
    assert.equal(binding.roleRef.name, role.metadata.name);
    assert.deepEqual(binding.subjects, [
      {
        kind: 'ServiceAccount',
        name: 'tollgate-agent',
        namespace: 'tollgate-system',
      },
    ]);
  });

  test('the Deployment runs one hardened replica with probes, resources and the mounted token', () => {
    const { find } = renderChart(REQUIRED);
    const deployment = find('Deployment')!;
    const pod = deployment.spec.template.spec;
    const container = containerOf(deployment);
    assert.equal(deployment.spec.replicas, 1);
    assert.equal(deployment.metadata.namespace, 'tollgate-system');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(pod.securityContext.seccompProfile, {
      type: 'RuntimeDefault',
    });
    assert.equal(container.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'] });
    assert.deepEqual(container.securityContext.seccompProfile, {
      type: 'RuntimeDefault',
    });
    assert.deepEqual(container.resources, {
      requests: { cpu: '100m', memory: '192Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.deepEqual(container.ports, [
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
    ]);
    assert.equal(container.image, 'ghcr.io/tollgate/tollgate-agent:0.1.0');
    assert.equal(pod.serviceAccountName, 'tollgate-agent');

    const tokenVolume = pod.volumes.find(
      (volume: any) => volume.name === 'token',
    );
    assert.deepEqual(tokenVolume.secret, {
      secretName: 'tollgate-agent-token',
      items: [{ key: 'token', path: 'token' }],
    });
    const tokenMount = container.volumeMounts.find(
      (mount: any) => mount.name === 'token',
    );
    assert.equal(tokenMount.readOnly, true);
    assert.equal(
      tokenMount.subPath,
      undefined,
      'no subPath, so rotation reaches the pod',
    );
    assert.equal(
      envOf(deployment).TOLLGATE_TOKEN_FILE,
      `${tokenMount.mountPath}/token`,
    );
  });

  test('the Deployment environment is a configuration the agent accepts', () => {
    const env = envOf(renderChart(REQUIRED).find('Deployment'));
    const config = parseConfig([], env);
    assert.equal(config.backendUrl, REQUIRED.backend.url);
    assert.equal(config.clusterId, 'prod-eu-1');
    assert.equal(config.heartbeatIntervalMs, 15_000);
    assert.equal(config.port, 8080);
    assert.equal(config.tokenFile, '/var/run/secrets/tollgate/token');
    assert.equal(config.caFile, undefined);
  });

  test('the Deployment sets the memory settings the image sets', () => {
    const env = envOf(renderChart(REQUIRED).find('Deployment'));
    const image = imageEnvironment();
    assert.ok(image.MALLOC_ARENA_MAX && image.NODE_OPTIONS);
    assert.equal(env.MALLOC_ARENA_MAX, image.MALLOC_ARENA_MAX);
    assert.equal(env.NODE_OPTIONS, image.NODE_OPTIONS);
  });

  test('stores the token in a Secret, or uses an existing one', () => {
    const secret = renderChart(REQUIRED).find('Secret')!;
    assert.equal(
      Buffer.from(secret.data.token, 'base64').toString(),
      REQUIRED.token,
    );
    assert.equal(secret.metadata.name, 'tollgate-agent-token');

    const existing = renderChart({
      ...REQUIRED,
      token: '',
      existingSecret: 'agent-token',
      tokenKey: 'value',
    });
    assert.equal(existing.find('Secret'), undefined);
    const volume = existing
      .find('Deployment')!
      .spec.template.spec.volumes.find((v: any) => v.name === 'token');
    assert.deepEqual(volume.secret, {
      secretName: 'agent-token',
      items: [{ key: 'value', path: 'token' }],
    });
  });

  test('refuses to render without the backend URL, the cluster id or a token', () => {
    assert.throws(
      () => renderChart({ ...REQUIRED, backend: { url: '' } }),
      /backend\.url/,
    );
    assert.throws(
      () => renderChart({ ...REQUIRED, clusterId: '' }),
      /clusterId/,
    );
    assert.throws(() => renderChart({ ...REQUIRED, token: '' }), /token/);
  });

  test('mounts the CA bundle and the mTLS client certificate from existing Secrets', () => {
    const deployment = renderChart({
      ...REQUIRED,
      backend: {
        ...REQUIRED.backend,
        caBundle: { existingSecret: 'tollgate-ca', key: 'bundle.pem' },
        clientCertificate: { existingSecret: 'tollgate-client-tls' },
      },
    }).find('Deployment')!;
    const env = envOf(deployment);
    const pod = deployment.spec.template.spec;
    const mounts = Object.fromEntries(
      containerOf(deployment).volumeMounts.map((m: any) => [
        m.name,
        m.mountPath,
      ]),
    );
    const volumes = Object.fromEntries(
      pod.volumes.map((v: any) => [v.name, v]),
    );
    assert.equal(env.TOLLGATE_CA_FILE, `${mounts['ca-bundle']}/ca.crt`);
    assert.deepEqual(volumes['ca-bundle'].secret, {
      secretName: 'tollgate-ca',
      items: [{ key: 'bundle.pem', path: 'ca.crt' }],
    });
    assert.equal(
      env.TOLLGATE_CLIENT_CERT_FILE,
      `${mounts['client-certificate']}/tls.crt`,
    );
    assert.equal(
      env.TOLLGATE_CLIENT_KEY_FILE,
      `${mounts['client-certificate']}/tls.key`,
    );
    assert.deepEqual(volumes['client-certificate'].secret.items, [
      { key: 'tls.crt', path: 'tls.crt' },
      { key: 'tls.key', path: 'tls.key' },
    ]);
    const config = parseConfig([], env);
    assert.equal(
      config.clientKeyFile,
      '/var/run/secrets/tollgate-client/tls.key',
    );
  });

  test('the NetworkPolicy allows egress only to DNS, the backend and the API server', () => {
    const policy = renderChart({
      ...REQUIRED,
      networkPolicy: {
        enabled: true,
        backend: {
          cidrs: ['203.0.113.10/32'],
          peers: [
            { namespaceSelector: { matchLabels: { name: 'backstage' } } },
          ],
        },
        apiServer: { cidrs: ['10.0.0.1/32'] },
      },
    }).find('NetworkPolicy')!;
    assert.deepEqual(policy.spec.policyTypes, ['Egress']);
    assert.equal(policy.spec.ingress, undefined);
    assert.deepEqual(policy.spec.podSelector.matchLabels, {
      'app.kubernetes.io/name': 'tollgate-agent',
      'app.kubernetes.io/instance': 'tollgate-agent',
    });
    const [dns, backend, apiServer] = policy.spec.egress;
    assert.deepEqual(dns.ports, [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    assert.deepEqual(dns.to[0].podSelector.matchLabels, {
      'k8s-app': 'kube-dns',
    });
    assert.deepEqual(backend.ports, [{ protocol: 'TCP', port: 443 }]);
    assert.deepEqual(backend.to, [
      { ipBlock: { cidr: '203.0.113.10/32' } },
      { namespaceSelector: { matchLabels: { name: 'backstage' } } },
    ]);
    assert.deepEqual(apiServer.ports, [
      { protocol: 'TCP', port: 443 },
      { protocol: 'TCP', port: 6443 },
    ]);
    assert.deepEqual(apiServer.to, [{ ipBlock: { cidr: '10.0.0.1/32' } }]);
    assert.equal(policy.spec.egress.length, 3);
    assert.equal(
      renderChart(REQUIRED).find('NetworkPolicy'),
      undefined,
      'off by default',
    );
  });

  test('names follow the release, and NOTES.txt explains how to check the agent', () => {
    const prod = renderChart(REQUIRED, { name: 'prod', namespace: 'ops' });
    assert.equal(prod.find('Deployment')!.metadata.name, 'prod-tollgate-agent');
    assert.equal(prod.find('Deployment')!.metadata.namespace, 'ops');
    assert.match(
      prod.notes,
      /kubectl -n ops rollout status deployment\/prod-tollgate-agent/,
    );
    assert.match(prod.notes, /cluster "prod-eu-1"/);
    const renamed = renderChart({
      ...REQUIRED,
      fullnameOverride: 'agent',
      serviceAccount: { create: false, name: 'custom' },
    });
    assert.equal(renamed.find('Deployment')!.metadata.name, 'agent');
    assert.equal(renamed.find('ServiceAccount'), undefined);
    assert.equal(
      renamed.find('ClusterRoleBinding')!.subjects[0].name,
      'custom',
    );
  });
});

describe('template renderer', () => {
  const render = (source: string, data: unknown = {}) => {
    const templates = new GoTemplates();
    templates.add('t', source);
    return templates.render('t', data);
  };

  test('trims whitespace, branches, ranges and pipes like Go templates', () => {
    assert.equal(render('a  {{- " b " -}}  c'), 'a b c');
    assert.equal(
      render('{{ if .x }}yes{{ else if .y }}maybe{{ else }}no{{ end }}', {
        y: 1,
      }),
      'maybe',
    );
    assert.equal(
      render('{{ range .items }}[{{ . }}]{{ end }}', { items: [1, 2] }),
      '[1][2]',
    );
    assert.equal(
      render('{{ with .m }}{{ .k }}{{ end }}', { m: { k: 'v' } }),
      'v',
    );
    assert.equal(
      render('{{ .name | default "x" | quote }}', { name: '' }),
      '"x"',
    );
    assert.equal(
      render('{{ $v := .a }}{{ $v.b }}', { a: { b: 'deep' } }),
      'deep',
    );
    assert.equal(
      render('{{ printf "%s-%s" .a (.b | trunc 2) }}', { a: 'x', b: 'yyy' }),
      'x-yy',
    );
    assert.equal(
      render('{{ toYaml .m | nindent 2 }}', { m: { b: 1, a: [1] } }),
      '\n  a:\n    - 1\n  b: 1',
    );
  });

  test('fails on what it does not support, on nil fields and on required values', () => {
    assert.throws(
      () => render('{{ lookup "v1" "Secret" "ns" "name" }}'),
      /not supported/,
    );
    assert.throws(() => render('{{ .a.b }}', {}), /nil pointer/);
    assert.throws(() => render('{{ required "need it" .a }}', {}), /need it/);
    assert.throws(() => render('{{ if .a }}open'), /missing end/);
  });
});
