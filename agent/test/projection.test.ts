import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { V1Pod } from '@kubernetes/client-node';
import { fingerprint } from '../src/objectIndex.ts';
import { REDACTED, identityOf, projectObject } from '../src/projection.ts';
import type { AgentKind } from '../src/protocol.ts';
import {
  CONFIG_VALUE,
  SECRET_ENV_VALUE,
  configMap,
  deployment,
  node,
  pod,
  policyReport,
  warningEvent,
} from './support/fixtures.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const project = (raw: unknown, kind: AgentKind, apiVersion = 'v1') => {
  const projected = projectObject(raw, { apiVersion, kind });
  assert.ok(projected, `${kind} projects`);
  return projected as any;
};

describe('projectObject', () => {
  test('drops managedFields and the last-applied annotation, keeps Helm ownership', () => {
    const projected = project(
      deployment('shop', 'api'),
      'Deployment',
      'apps/v1',
    );
    assert.equal(projected.metadata.managedFields, undefined);
    assert.deepEqual(projected.metadata.annotations, {
      'meta.helm.sh/release-name': 'shop',
      'meta.helm.sh/release-namespace': 'shop',
    });
    assert.equal(projected.metadata.labels['helm.sh/chart'], 'shop-api-1.4.2');
    assert.equal(projected.apiVersion, 'apps/v1');
    assert.equal(projected.kind, 'Deployment');
  });

  test('replaces env values with a marker and keeps names and valueFrom references', () => {
    const projected = project(
      deployment('shop', 'api'),
      'Deployment',
      'apps/v1',
    );
    const env = projected.spec.template.spec.containers[0].env;
    assert.deepEqual(env, [
      { name: 'AWS_SECRET_ACCESS_KEY', value: REDACTED },
      {
        name: 'DB_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
      },
    ]);
    assert.ok(!JSON.stringify(projected).includes(SECRET_ENV_VALUE));
  });

  test('keeps workload specs whole apart from env values', () => {
    const projected = project(
      deployment('shop', 'api'),
      'Deployment',
      'apps/v1',
    );
    assert.equal(projected.spec.replicas, 2);
    assert.deepEqual(projected.spec.template.spec.containers[0].resources, {
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { memory: '512Mi' },
    });
    assert.deepEqual(projected.status, {
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 3,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
        },
      ],
    });
  });

  test('keeps ConfigMap keys but not values', () => {
    const projected = project(
      configMap('shop', 'cfg', {
        DATABASE_URL: CONFIG_VALUE,
        'app.yaml': 'a: 1',
      }),
      'ConfigMap',
    );
    assert.deepEqual(projected.data, {
      DATABASE_URL: REDACTED,
      'app.yaml': REDACTED,
    });
    assert.ok(!JSON.stringify(projected).includes(CONFIG_VALUE));
  });

  test('reduces pod status to phase, conditions and container readiness, restarts and reasons', () => {
    const projected = project(pod('shop', 'api-1', { restarts: 2 }), 'Pod');
    assert.deepEqual(projected.status, {
      phase: 'Running',
      qosClass: 'Burstable',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'api',
          ready: true,
          restartCount: 2,
          state: { running: {} },
          lastState: { terminated: { reason: 'OOMKilled' } },
        },
      ],
    });
    assert.equal(projected.spec.nodeName, 'node-a');
    assert.equal(
      projected.spec.dnsPolicy,
      undefined,
      'pod specs keep an allow-list of fields',
    );
  });

  test('pod IP changes do not change the fingerprint, but a restart does', () => {
    const base = fingerprint(project(pod('shop', 'api-1'), 'Pod'));
    assert.equal(
      fingerprint(project(pod('shop', 'api-1', { podIP: '10.9.9.9' }), 'Pod')),
      base,
    );
    assert.notEqual(
      fingerprint(project(pod('shop', 'api-1', { restarts: 1 }), 'Pod')),
      base,
    );
  });

  test('node heartbeats do not change the fingerprint; images and addresses are dropped', () => {
    const first = project(node('node-a', '2024-05-01T10:00:00Z'), 'Node');
    const later = project(node('node-a', '2024-05-01T10:00:40Z'), 'Node');
    assert.equal(fingerprint(first), fingerprint(later));
    assert.equal(first.status.images, undefined);
    assert.equal(first.status.addresses, undefined);
    assert.deepEqual(first.status.allocatable, {
      cpu: '1930m',
      memory: '7Gi',
      pods: '110',
    });
    assert.equal(first.spec.providerID, 'aws:///eu-west-1a/i-node-a');
  });

  test('a typed client-node model and the same wire JSON project to equal objects', () => {
    const wire = pod('shop', 'api-1');
    const typed = Object.assign(new V1Pod(), structuredClone(wire), {
      metadata: {
        ...wire.metadata,
        creationTimestamp: new Date('2024-05-01T10:00:00Z'),
      },
    });
    const fromTyped = project(typed, 'Pod');
    assert.equal(fromTyped.metadata.creationTimestamp, '2024-05-01T10:00:00Z');
    assert.equal(fingerprint(fromTyped), fingerprint(project(wire, 'Pod')));
  });

  test('leaves the listed object as it was, and drops null fields', () => {
    const raw = deployment('shop', 'api');
    (raw.spec as any).template.metadata.creationTimestamp = null;
    const before = structuredClone(raw);
    const projected = project(deepFreeze(raw), 'Deployment', 'apps/v1');
    assert.deepEqual(raw, before);
    assert.deepEqual(projected.spec.template.metadata, {
      labels: { app: 'api' },
    });
    assert.equal(
      projected.spec.template.spec.containers[0].env[0].value,
      REDACTED,
    );
  });

  test('keeps what Warning events and policy reports need', () => {
    const event = project(warningEvent('shop', 'api.1'), 'Event');
    assert.equal(event.reason, 'BackOff');
    assert.deepEqual(event.involvedObject, {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'shop',
      name: 'api-1',
      uid: 'pod-uid',
    });
    assert.deepEqual(event.source, { component: 'kubelet' });
    const report = project(
      policyReport('shop', 'polr-1'),
      'PolicyReport',
      'wgpolicyk8s.io/v1alpha2',
    );
    assert.equal(report.summary.fail, 1);
    assert.equal(report.results[0].policy, 'require-limits');
  });

  test('refuses objects without a name, and identities carry no state', () => {
    assert.equal(
      projectObject({ metadata: {} }, { apiVersion: 'v1', kind: 'Pod' }),
      undefined,
    );
    assert.equal(
      projectObject('nonsense', { apiVersion: 'v1', kind: 'Pod' }),
      undefined,
    );
    const identity = identityOf(project(pod('shop', 'api-1'), 'Pod'));
    assert.deepEqual(identity, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-1', namespace: 'shop' },
    });
  });
});
