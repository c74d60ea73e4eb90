import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { storageApiRef } from '@backstage/core-plugin-api';
import type { Cluster } from '@tollgate/plugin-tollgate-common';
import { tollgateApiRef, type TollgateApi } from '../../api';
import { fakeApi } from '../../__testUtils__/promotions';
import { rootRouteRef } from '../../routes';
import { GetStartedPage } from './GetStartedPage';

const cluster: Cluster = {
  id: 'c-1',
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

async function renderPage(tollgate: TollgateApi, storage = mockApis.storage()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [tollgateApiRef, tollgate],
        [storageApiRef, storage],
      ]}
    >
      <GetStartedPage />
    </TestApiProvider>,
    { mountedRoutes: { '/tollgate/clusters': rootRouteRef } },
  );
  return storage;
}

describe('GetStartedPage', () => {
  it('walks through token, helm command and first heartbeat, remembering the step', async () => {
    const getAgentInfo = jest
      .fn()
      .mockResolvedValueOnce({ status: 'never-connected' })
      .mockResolvedValue({ status: 'connected' });
    const tollgate = fakeApi({
      listClusters: jest.fn().mockResolvedValue([cluster]),
      issueAgentToken: jest
        .fn()
        .mockResolvedValue({ token: 'tg_secret', tokenCreatedAt: 'now' }),
      getBackendUrl: jest
        .fn()
        .mockResolvedValue('https://backstage.example.com/api/tollgate'),
      getAgentInfo,
    });
    const storage = await renderPage(tollgate);

    await userEvent.click(
      await screen.findByLabelText('Or pick a registered one'),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Production EU (prod-eu)' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Continue with this cluster' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create agent token' }),
    );
    expect(
      await screen.findByText(/--set token=tg_secret/),
    ).toBeInTheDocument();
    // The step is remembered, the token is not.
    expect(storage.forBucket('tollgate').snapshot('get-started').value).toEqual(
      { clusterId: 'c-1', step: 2 },
    );
    expect(
      JSON.stringify(storage.forBucket('tollgate').snapshot('get-started')),
    ).not.toContain('tg_secret');

    await userEvent.click(
      screen.getByRole('button', { name: 'I have run it' }),
    );
    expect(
      await screen.findByText('prod-eu is connected.', { exact: false }),
    ).toBeInTheDocument();
    await waitFor(() => expect(getAgentInfo).toHaveBeenCalledWith('c-1'));
  });

  it('resumes where the user left off', async () => {
    // Another cluster than above: tokens live in the page module's memory.
    const storage = mockApis.storage();
    await storage
      .forBucket('tollgate')
      .set('get-started', { clusterId: 'c-2', step: 2 });
    await renderPage(
      fakeApi({
        listClusters: jest.fn().mockResolvedValue([{ ...cluster, id: 'c-2' }]),
      }),
      storage,
    );
    // After a reload the token is gone: a new one must be created.
    expect(
      await screen.findByText(/The token is shown only once/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create a new token' }),
    ).toBeInTheDocument();
  });

  it('shows why clusters could not load', async () => {
    await renderPage(
      fakeApi({ listClusters: jest.fn().mockRejectedValue(new Error('down')) }),
    );
    expect(
      await screen.findByText(/Could not load clusters: down/),
    ).toBeInTheDocument();
  });
});
