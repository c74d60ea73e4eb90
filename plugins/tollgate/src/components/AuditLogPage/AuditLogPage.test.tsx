import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import type { AuditLogEntry } from '@tollgate/plugin-tollgate-common';
import { tollgateApiRef, type TollgateApi } from '../../api';
import { fakeApi } from '../../__testUtils__/promotions';
import { AuditLogPage } from './AuditLogPage';

const entry: AuditLogEntry = {
  id: 7,
  occurredAt: '2026-12-01T10:00:00.000Z',
  actor: 'user:default/alice',
  action: 'promotion.approve',
  targetType: 'promotion',
  targetId: 'p-1',
  requestId: 'r-1',
  sourceIp: '10.0.0.1',
  details: { comment: 'ship it' },
  previousHash: '0'.repeat(64),
  hash: 'abcdef0123456789'.repeat(4),
};

function api(overrides: Partial<TollgateApi> = {}) {
  return fakeApi({
    listAuditLogs: jest
      .fn()
      .mockResolvedValue({ items: [entry], total: 1, limit: 50, offset: 0 }),
    verifyAuditLog: jest.fn().mockResolvedValue({ ok: true, checked: 7 }),
    exportAuditLog: jest.fn().mockResolvedValue({
      blob: new Blob(['id,actor']),
      filename: 'tollgate-audit.csv',
    }),
    ...overrides,
  });
}

async function renderPage(tollgate: TollgateApi) {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [tollgateApiRef, tollgate],
        [alertApiRef, alertApi],
      ]}
    >
      <AuditLogPage />
    </TestApiProvider>,
  );
  return { alertApi };
}

describe('AuditLogPage', () => {
  beforeAll(() => {
    URL.createObjectURL = jest.fn(() => 'blob:x');
    URL.revokeObjectURL = jest.fn();
  });

  it('shows the entries and an intact chain', async () => {
    await renderPage(api());
    expect(
      await screen.findByText(/Chain intact: 7 entries verified/),
    ).toBeInTheDocument();
    expect(await screen.findByText('promotion.approve')).toBeInTheDocument();
    expect(screen.getByText('promotion/p-1')).toBeInTheDocument();
    expect(screen.getByText('1 entry')).toBeInTheDocument();
  });

  it('names the first broken entry', async () => {
    await renderPage(
      api({
        verifyAuditLog: jest.fn().mockResolvedValue({
          ok: false,
          checked: 3,
          firstBroken: { id: 3, reason: 'hash mismatch' },
        }),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /Chain broken at entry 3 \(hash mismatch\)/,
    );
  });

  it('filters by actor and exports with the same filter', async () => {
    const tollgate = api();
    await renderPage(tollgate);
    await screen.findByText('promotion.approve');
    await userEvent.type(screen.getByLabelText('Actor'), 'user:default/bob');
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply filters' }),
    );
    await waitFor(() =>
      expect(tollgate.listAuditLogs).toHaveBeenLastCalledWith({
        actor: 'user:default/bob',
        limit: 50,
        offset: 0,
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() =>
      expect(tollgate.exportAuditLog).toHaveBeenCalledWith('csv', {
        actor: 'user:default/bob',
      }),
    );
  });

  it('says what to do when the log is empty, and shows load errors', async () => {
    await renderPage(
      api({
        listAuditLogs: jest
          .fn()
          .mockResolvedValue({ items: [], total: 0, limit: 50, offset: 0 }),
      }),
    );
    expect(
      await screen.findByText(/Nothing has been recorded yet/),
    ).toBeInTheDocument();
  });

  it('shows why the log could not load', async () => {
    await renderPage(
      api({
        listAuditLogs: jest.fn().mockRejectedValue(new Error('forbidden')),
      }),
    );
    expect(
      await screen.findByText(/Could not load the audit log: forbidden/),
    ).toBeInTheDocument();
  });
});
