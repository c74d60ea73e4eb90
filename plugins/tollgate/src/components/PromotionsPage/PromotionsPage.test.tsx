import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { tollgateApiRef, type TollgateApi } from '../../api';
import { fakeApi } from '../../__testUtils__/promotions';
import { PromotionsPage } from './PromotionsPage';

async function renderPage(api: TollgateApi, route = '/') {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [tollgateApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <PromotionsPage />
    </TestApiProvider>,
    { routeEntries: [route] },
  );
}

describe('PromotionsPage', () => {
  it('lists promotions and filters by risk and environment', async () => {
    const api = fakeApi();
    await renderPage(api);
    expect(await screen.findByText('1 promotion')).toBeInTheDocument();
    expect(
      screen.getByText('component:default/checkout-api'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'staging (demo-staging/shop) → production (demo-production/shop)',
      ),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Risk'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'High risk' }),
    );
    await waitFor(() =>
      expect(api.listPromotions).toHaveBeenLastCalledWith(
        expect.objectContaining({ riskLevel: 'high', offset: 0 }),
      ),
    );

    await userEvent.type(screen.getByLabelText('Environment'), 'production');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(api.listPromotions).toHaveBeenLastCalledWith(
        expect.objectContaining({
          riskLevel: 'high',
          environment: 'production',
        }),
      ),
    );
  });

  it('opens a promotion and goes back', async () => {
    const api = fakeApi();
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Open promotion previewed/ }),
    );
    expect(await screen.findByTestId('promotion-view')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'All promotions' }),
    );
    expect(await screen.findByText('1 promotion')).toBeInTheDocument();
  });

  it('says what to do when there are none', async () => {
    await renderPage(
      fakeApi({
        listPromotions: jest
          .fn()
          .mockResolvedValue({ items: [], total: 0, limit: 50, offset: 0 }),
      }),
    );
    expect(
      await screen.findByText(/Open a component's Promotion tab/),
    ).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    const listPromotions = jest.fn().mockRejectedValue(new Error('down'));
    await renderPage(fakeApi({ listPromotions }));
    expect(
      await screen.findByText(/Could not load promotions/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(listPromotions).toHaveBeenCalledTimes(2));
  });
});
