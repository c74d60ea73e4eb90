import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import type { Cluster } from '@tollgate/plugin-tollgate-common';
import {
  tollgateApiRef,
  type FleetClusterSummary,
  type FleetSummary,
  type TollgateApi,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { ClustersPage } from './ClustersPage';

const staging: Cluster = {
  id: '7f0c3d1e-0000-4000-8000-000000000001',
  name: 'stg-eu-west-1',
  displayName: 'Staging EU',
  provider: 'aws',
  region: 'eu-west-1',
  environment: 'staging',
  metadata: {},
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T09:00:00.000Z',
  createdBy: 'user:default/alice',
};

const stagingRow: FleetClusterSummary = {
  id: staging.id,
  name: staging.name,
  displayName: staging.displayName,
  provider: 'aws',
  region: 'eu-west-1',
  environment: 'staging',
  health: 'warning',
  healthReasons: ['1 of 3 nodes are not ready'],
  agentStatus: 'connected',
  lastHeartbeatAt: new Date().toISOString(),
  agentVersion: '0.1.0',
  kubernetesVersion: 'v1.31.2',
  nodes: { total: 3, ready: 2, notReady: 1, unknown: 0 },
  workloads: 42,
  monthlyCost: 1234.5,
  costBasis: 'price-list',
};

const productionRow: FleetClusterSummary = {
  ...stagingRow,
  id: 'prod-id',
  name: 'prod-eu',
  displayName: 'Production EU',
  environment: 'production',
  health: 'healthy',
  healthReasons: [],
  nodes: { total: 5, ready: 5, notReady: 0, unknown: 0 },
  workloads: 7,
  monthlyCost: 99,
};

function fleetOf(clusters: FleetClusterSummary[]): FleetSummary {
  const totals = {
    total: clusters.length,
    healthy: 0,
    warning: 0,
    critical: 0,
    offline: 0,
  };
  for (const c of clusters) totals[c.health] += 1;
  return {
    generatedAt: new Date().toISOString(),
    currency: 'USD',
    totals,
    clusters,
  };
}

function fakeApi(
  overrides: Partial<TollgateApi> = {},
): jest.Mocked<TollgateApi> {
  return {
    listClusters: jest.fn().mockResolvedValue([staging]),
    getCluster: jest.fn(),
    createCluster: jest.fn(),
    updateCluster: jest.fn(),
    deleteCluster: jest.fn().mockResolvedValue(undefined),
    getAgentInfo: jest.fn(),
    issueAgentToken: jest.fn(),
    revokeAgentToken: jest.fn(),
    listObjects: jest.fn(),
    listSnapshots: jest.fn(),
    listHelmReleases: jest.fn(),
    getBackendUrl: jest.fn(),
    getFleetSummary: jest
      .fn()
      .mockResolvedValue(fleetOf([stagingRow, productionRow])),
    ...overrides,
  } as jest.Mocked<TollgateApi>;
}

async function renderPage(api: TollgateApi) {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [tollgateApiRef, api],
        [alertApiRef, alertApi],
      ]}
    >
      <ClustersPage />
    </TestApiProvider>,
    { mountedRoutes: { '/tollgate/clusters': rootRouteRef } },
  );
  return { alertApi };
}

describe('ClustersPage', () => {
  it('shows the fleet: summary cards and a row per cluster', async () => {
    await renderPage(fakeApi());
    expect(
      await screen.findByRole('link', { name: 'Staging EU' }),
    ).toHaveAttribute('href', `/tollgate/clusters/${staging.id}`);
    expect(
      screen.getByRole('button', { name: /^Total: 2 clusters/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /^Warning: 1 cluster,/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /^Critical: 0 clusters/ }),
    ).toBeInTheDocument();

    const row = screen.getByRole('row', { name: /Staging EU/ });
    expect(within(row).getByText('stg-eu-west-1')).toBeInTheDocument();
    expect(within(row).getByText('Warning')).toBeInTheDocument();
    expect(
      within(row).getByText('1 of 3 nodes are not ready'),
    ).toBeInTheDocument();
    expect(within(row).getByText('Connected')).toBeInTheDocument();
    expect(within(row).getByText('2 of 3 ready')).toBeInTheDocument();
    expect(within(row).getByText('42')).toBeInTheDocument();
    expect(within(row).getByText('$1,234.50')).toBeInTheDocument();
    expect(within(row).getByText('AWS · eu-west-1')).toBeInTheDocument();
    expect(screen.getByText('2 clusters')).toBeInTheDocument();
  });

  it('filters by health from a summary card and by environment', async () => {
    await renderPage(fakeApi());
    await userEvent.click(
      await screen.findByRole('button', { name: /^Healthy: 1 cluster/ }),
    );
    expect(screen.getByText('1 cluster')).toBeInTheDocument();
    expect(screen.getByText('Production EU')).toBeInTheDocument();
    expect(screen.queryByText('Staging EU')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /^Total/ }));
    await userEvent.click(screen.getByLabelText('Environment'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'staging' }),
    );
    expect(screen.getByText('Staging EU')).toBeInTheDocument();
    expect(screen.queryByText('Production EU')).not.toBeInTheDocument();
  });

  it('says what to do when no cluster is registered', async () => {
    await renderPage(
      fakeApi({ getFleetSummary: jest.fn().mockResolvedValue(fleetOf([])) }),
    );
    expect(
      await screen.findByText('No clusters registered yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/install the read-only Tollgate agent/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Register cluster' }),
    ).toBeInTheDocument();
  });

  it('shows the error and lets the user try again', async () => {
    const getFleetSummary = jest
      .fn()
      .mockRejectedValueOnce(new Error('backend unreachable'))
      .mockResolvedValue(fleetOf([stagingRow]));
    await renderPage(fakeApi({ getFleetSummary }));
    expect(
      await screen.findByText(/Could not load clusters/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend unreachable/).length).toBeGreaterThan(
      0,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Staging EU')).toBeInTheDocument();
  });

  it('validates each field before registering', async () => {
    const api = fakeApi();
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Register cluster' }),
    );
    const dialog = await screen.findByRole('dialog');

    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'Prod_EU');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Register' }),
    );

    expect(
      within(dialog).getByText(/Name must be a DNS label/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/Provider is required: choose one of aws/),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Region is required')).toBeInTheDocument();
    expect(
      within(dialog).getByText('Environment is required'),
    ).toBeInTheDocument();
    expect(api.createCluster).not.toHaveBeenCalled();
  });

  it('registers a cluster and refreshes the list', async () => {
    const created = {
      ...staging,
      id: 'new',
      name: 'prod-eu',
      displayName: 'prod-eu',
    };
    const api = fakeApi({
      createCluster: jest.fn().mockResolvedValue(created),
    });
    const { alertApi } = await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Register cluster' }),
    );
    const dialog = await screen.findByRole('dialog');

    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'prod-eu');
    await userEvent.click(within(dialog).getByLabelText(/^Provider/));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Google Cloud' }),
    );
    await userEvent.type(
      within(dialog).getByLabelText(/^Region/),
      'europe-west1',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/^Environment/),
      'production',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Register' }),
    );

    await waitFor(() =>
      expect(api.createCluster).toHaveBeenCalledWith({
        name: 'prod-eu',
        provider: 'gcp',
        region: 'europe-west1',
        environment: 'production',
      }),
    );
    await waitFor(() => expect(api.getFleetSummary).toHaveBeenCalledTimes(2));
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Registered cluster prod-eu' }),
    );
  });

  it('shows the backend’s refusal inside the dialog', async () => {
    const api = fakeApi({
      createCluster: jest
        .fn()
        .mockRejectedValue(
          new Error("A cluster named 'stg-eu-west-1' is already registered"),
        ),
    });
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Register cluster' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/^Name/),
      'stg-eu-west-1',
    );
    await userEvent.click(within(dialog).getByLabelText(/^Provider/));
    await userEvent.click(await screen.findByRole('option', { name: 'AWS' }));
    await userEvent.type(within(dialog).getByLabelText(/^Region/), 'eu-west-1');
    await userEvent.type(
      within(dialog).getByLabelText(/^Environment/),
      'staging',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Register' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "A cluster named 'stg-eu-west-1' is already registered",
    );
  });

  it('deletes a cluster only after confirmation', async () => {
    const api = fakeApi();
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Delete cluster stg-eu-west-1',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Delete cluster stg-eu-west-1?'),
    ).toBeInTheDocument();
    expect(api.deleteCluster).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(api.deleteCluster).toHaveBeenCalledWith(staging.id),
    );
    await waitFor(() => expect(api.getFleetSummary).toHaveBeenCalledTimes(2));
  });
});
