import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  tollgateApiRef,
  type PromotionDetails,
  type TollgateApi,
} from '../../api';
import { fakeApi, promotionDetails } from '../../__testUtils__/promotions';
import { EntityPromotionContent } from './EntityPromotionContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'checkout-api',
      'tollgate.io/environments':
        'dev=demo-dev/shop, staging=demo-staging/shop, production=demo-production/shop',
    },
  },
  spec: { type: 'service' },
};

async function renderTab(
  api: TollgateApi,
  options: { entity?: Entity; route?: string } = {},
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [tollgateApiRef, api],
        [alertApiRef, { post: jest.fn(), alert$: jest.fn() }],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={options.entity ?? entity}>
        <EntityPromotionContent />
      </EntityProvider>
    </TestApiProvider>,
    { routeEntries: [options.route ?? '/'] },
  );
}

describe('EntityPromotionContent', () => {
  it('previews the first pair of environments and shows the result', async () => {
    let resolve: (value: PromotionDetails) => void = () => {};
    const api = fakeApi({
      previewPromotion: jest.fn(
        () => new Promise(r => (resolve = r)),
      ) as TollgateApi['previewPromotion'],
    });
    await renderTab(api);

    expect(await screen.findByText('Promotion history')).toBeInTheDocument();
    expect(screen.getByLabelText('From (source)')).toHaveTextContent(
      'dev (demo-dev/shop)',
    );
    expect(screen.getByLabelText('To (target)')).toHaveTextContent(
      'staging (demo-staging/shop)',
    );

    // Pick staging -> production: the target follows the source.
    await userEvent.click(screen.getByLabelText('From (source)'));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'staging (demo-staging/shop)',
      }),
    );
    expect(screen.getByLabelText('To (target)')).toHaveTextContent(
      'production (demo-production/shop)',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(
      screen.getByText(/Previewing staging → production/),
    ).toBeInTheDocument();
    expect(api.previewPromotion).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout-api',
      source: { environment: 'staging' },
      target: { environment: 'production' },
    });
    resolve(promotionDetails());

    const view = await screen.findByTestId('promotion-view');
    expect(within(view).getAllByText('High risk').length).toBeGreaterThan(0);
    expect(within(view).getByTestId('cost-delta')).toHaveTextContent('+$12.40');
    expect(
      within(view).getByText('1 added, 0 removed, 2 modified'),
    ).toBeInTheDocument();
    expect(within(view).getByTestId('explanation')).toHaveTextContent(
      'It adds $12.40 a month.',
    );
    expect(
      within(view).getByText('Replicas go down from 3 to 1'),
    ).toBeInTheDocument();
    expect(
      within(view).getByText('Keep at least 3 replicas in production'),
    ).toBeInTheDocument();
    // The history is reloaded after a preview.
    await waitFor(() => expect(api.listPromotions).toHaveBeenCalledTimes(2));
  });

  it('shows why a preview failed', async () => {
    const api = fakeApi({
      previewPromotion: jest
        .fn()
        .mockRejectedValue(
          new Error('Cluster demo-production has no snapshot'),
        ),
    });
    await renderTab(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Preview' }),
    );
    expect(
      await screen.findByText(
        /The preview failed: Cluster demo-production has no snapshot/,
      ),
    ).toBeInTheDocument();
  });

  it('opens a stored promotion from ?promotion=', async () => {
    const api = fakeApi();
    await renderTab(api, { route: '/?promotion=p-1' });
    expect(await screen.findByTestId('promotion-view')).toBeInTheDocument();
    expect(api.getPromotion).toHaveBeenCalledWith('p-1');
  });

  it('opens a promotion from the history', async () => {
    const api = fakeApi();
    await renderTab(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Open promotion previewed/ }),
    );
    expect(await screen.findByTestId('promotion-view')).toBeInTheDocument();
    expect(api.getPromotion).toHaveBeenCalledWith('p-1');
  });

  it('says what to do when nothing was previewed yet', async () => {
    const api = fakeApi({
      listPromotions: jest
        .fn()
        .mockResolvedValue({ items: [], total: 0, limit: 50, offset: 0 }),
    });
    await renderTab(api);
    expect(
      await screen.findByText(
        /No promotion has been previewed for this workload yet/,
      ),
    ).toBeInTheDocument();
  });

  it('shows an error when the history cannot load', async () => {
    const api = fakeApi({
      listPromotions: jest.fn().mockRejectedValue(new Error('boom')),
    });
    await renderTab(api);
    expect(
      await screen.findByText(/Could not load this workload's promotions/),
    ).toBeInTheDocument();
  });

  it('asks for a second environment when only one is declared', async () => {
    await renderTab(fakeApi(), {
      entity: {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            'backstage.io/kubernetes-id': 'checkout-api',
            'tollgate.io/environments': 'staging=demo-staging/shop',
          },
        },
      },
    });
    expect(
      await screen.findByText(
        'Declare at least two environments to preview a promotion',
      ),
    ).toBeInTheDocument();
  });
});
