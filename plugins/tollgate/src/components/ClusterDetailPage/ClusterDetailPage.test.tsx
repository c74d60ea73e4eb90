import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  AgentInfo,
  Cluster,
  ClusterObject,
} from '@tollgate/plugin-tollgate-common';
import { tollgateApiRef, type TollgateApi } from '../../api';
import { rootRouteRef } from '../../routes';
import { ClusterDetailPage } from './ClusterDetailPage';

const cluster: Cluster = {
  id: 'c1',
  name: 'prod-eu',
  displayName: 'Production EU',
  provider: 'aws',
  region: 'eu-west-1',
  environment: 'production',
  metadata: {},
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T09:00:00.000Z',
  createdBy: 'user:default/alice',
};

const agent: AgentInfo = {
  clusterId: 'c1',
  status: 'connected',
  agentVersion: '0.1.0',
  kubernetesVersion: 'v1.31.2',
  objectCounts: { Pod: 40, Node: 2 },
  lastError: null,
  lastHeartbeatAt: '2026-11-23T11:59:50.000Z',
  tokenCreatedAt: '2026-11-22T08:00:00.000Z',
  previousTokenExpiresAt: null,
};

function stored(object: Record<string, any>): ClusterObject {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    uid: null,
    resourceVersion: null,
    object: object as ClusterObject['object'],
    hash: 'h',
    firstSeenAt: '2026-11-23T00:00:00.000Z',
    lastSeenAt: '2026-11-23T00:00:00.000Z',
    deletedAt: null,
  };
}

const objects = [
  stored({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'ip-10-0-1-12',
      labels: {
        'node.kubernetes.io/instance-type': 'm5.xlarge',
        'topology.kubernetes.io/region': 'eu-west-1',
        'topology.kubernetes.io/zone': 'eu-west-1b',
      },
    },
    status: { capacity: { cpu: '4', memory: '16Gi' } },
  }),
  stored({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }),
  stored({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout-api', namespace: 'shop' },
    spec: {
      replicas: 4,
      template: {
        spec: {
          containers: [{ name: 'api', image: 'ghcr.io/acme/checkout:2.3.1' }],
        },
      },
    },
  }),
];

function fakeApi(overrides: Partial<TollgateApi> = {}) {
  return {
    getCluster: jest.fn().mockResolvedValue(cluster),
    getAgentInfo: jest.fn().mockResolvedValue(agent),
    listObjects: jest.fn().mockResolvedValue(objects),
    listHelmReleases: jest.fn().mockResolvedValue([
      {
        name: 'shop',
        namespace: 'shop',
        chart: 'checkout-2.3.1',
        appVersion: '2.3.1',
        objectCount: 3,
        kinds: ['Deployment', 'Service'],
      },
    ]),
    issueAgentToken: jest.fn().mockResolvedValue({
      token: 'tgat_secret123',
      tokenCreatedAt: '2026-11-23T12:00:00.000Z',
      previousTokenExpiresAt: '2026-11-23T13:00:00.000Z',
    }),
    getBackendUrl: jest
      .fn()
      .mockResolvedValue('https://backstage.acme.io/api/tollgate'),
    ...overrides,
  } as unknown as jest.Mocked<TollgateApi>;
}

async function renderPage(api: TollgateApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[tollgateApiRef, api]]}>
      <Routes>
        <Route
          path="/tollgate/clusters/:clusterId"
          element={<ClusterDetailPage />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: ['/tollgate/clusters/c1'],
      mountedRoutes: { '/tollgate/clusters': rootRouteRef },
    },
  );
}

describe('ClusterDetailPage', () => {
  it('shows the agent, nodes, namespaces, workloads and Helm releases', async () => {
    await renderPage(fakeApi());
    expect(await screen.findByText('Production EU')).toBeInTheDocument();
    expect(screen.getByText('Connected')).toBeInTheDocument();
    expect(screen.getByText('v1.31.2')).toBeInTheDocument();
    expect(screen.getByText('42')).toBeInTheDocument();
    expect(screen.getByText('m5.xlarge')).toBeInTheDocument();
    expect(screen.getByText('eu-west-1b')).toBeInTheDocument();
    expect(screen.getByText('Namespaces (1)')).toBeInTheDocument();
    expect(screen.getAllByText('shop').length).toBeGreaterThan(0);
    expect(screen.getByText('checkout-api')).toBeInTheDocument();
    expect(screen.getByText('ghcr.io/acme/checkout:2.3.1')).toBeInTheDocument();
    expect(screen.getByText('checkout-2.3.1')).toBeInTheDocument();
  });

  it('rotates the token and shows the helm command with it once', async () => {
    const api = fakeApi();
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Rotate token' }),
    );
    await waitFor(() => expect(api.issueAgentToken).toHaveBeenCalledWith('c1'));
    expect(
      await screen.findByText(/the token is shown only once/),
    ).toBeInTheDocument();
    expect(document.body.textContent).toContain(
      '--set backend.url=https://backstage.acme.io/api/tollgate',
    );
    expect(document.body.textContent).toContain('--set clusterId=c1');
    expect(document.body.textContent).toContain('--set token=tgat_secret123');
  });

  it('says how to connect a cluster that never reported', async () => {
    await renderPage(
      fakeApi({
        getAgentInfo: jest.fn().mockResolvedValue({
          ...agent,
          status: 'never-connected',
          tokenCreatedAt: null,
          lastHeartbeatAt: null,
          objectCounts: {},
        }),
        listObjects: jest.fn().mockResolvedValue([]),
        listHelmReleases: jest.fn().mockResolvedValue([]),
      }),
    );
    expect(await screen.findByText('Never connected')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create agent token' }),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/appear after the agent's first snapshot/).length,
    ).toBe(3);
  });

  it('explains a failure to load', async () => {
    await renderPage(
      fakeApi({
        getCluster: jest.fn().mockRejectedValue(new Error('No cluster')),
      }),
    );
    expect(
      await screen.findByText(/Could not load this cluster/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Back to all clusters' }),
    ).toBeInTheDocument();
  });
});
