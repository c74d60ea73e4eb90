import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { tollgateApiRef, type TollgateApi } from '../../api';
import {
  fakeApi,
  listItem,
  productionSide,
  stagingSide,
} from '../../__testUtils__/promotions';
import { EntityCostContent } from './EntityCostContent';

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

// recharts measures its container; jsdom has none.
beforeAll(() => {
  (global as any).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

async function renderTab(api: TollgateApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[tollgateApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityCostContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityCostContent', () => {
  it('shows the cost per environment, the trend and the breakdown', async () => {
    const api = fakeApi({
      listPromotions: jest.fn().mockResolvedValue({
        items: [
          listItem({
            promotion_id: 'old',
            created_at: '2026-11-01T10:00:00.000Z',
            estimated_cost: {
              baseline: 35,
              projected: 40,
              delta: 5,
              currency: 'USD',
            },
          }),
          listItem(),
          listItem({
            promotion_id: 'to-staging',
            source: { ...stagingSide, environment: 'dev' },
            target: stagingSide,
            estimated_cost: {
              baseline: 10,
              projected: 11,
              delta: 1,
              currency: 'USD',
            },
          }),
        ],
        total: 3,
        limit: 100,
        offset: 0,
      }),
    });
    await renderTab(api);
    const table = await screen.findByRole('table', {
      name: 'Monthly cost per environment',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('staging');
    expect(rows[1]).toHaveTextContent('$10.00');
    expect(rows[2]).toHaveTextContent('production');
    expect(rows[2]).toHaveTextContent('$40.10');
    expect(screen.getByText(/dev: not priced yet/)).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: /Line chart of monthly cost over 3 previews/,
      }),
    ).toBeInTheDocument();

    const byResource = await screen.findByRole('table', {
      name: 'Cost by resource',
    });
    expect(within(byResource).getByText('CPU')).toBeInTheDocument();
    expect(within(byResource).getByText('$30.00')).toBeInTheDocument();
    // The breakdown opens on the first environment: staging's latest preview.
    expect(api.getPromotion).toHaveBeenCalledWith('to-staging');
    void productionSide;
  });

  it('says how to get figures when nothing was previewed', async () => {
    await renderTab(
      fakeApi({
        listPromotions: jest
          .fn()
          .mockResolvedValue({ items: [], total: 0, limit: 100, offset: 0 }),
      }),
    );
    expect(await screen.findByText('No cost figures yet')).toBeInTheDocument();
    expect(screen.getByText(/Open the Promotion tab/)).toBeInTheDocument();
  });

  it('shows an error when the previews cannot load', async () => {
    await renderTab(
      fakeApi({
        listPromotions: jest.fn().mockRejectedValue(new Error('down')),
      }),
    );
    expect(
      await screen.findByText(/Could not load this workload's cost/),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderTab(
      fakeApi({ listPromotions: jest.fn(() => new Promise(() => {})) as any }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });
});
