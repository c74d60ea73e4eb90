import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { promotionDetails } from '../../__testUtils__/promotions';
import { DiffViewer, parsePatch, splitRows } from './DiffViewer';

describe('DiffViewer', () => {
  const { diff } = promotionDetails();

  it('lists changed objects, first one open, with changed fields and redacted values', async () => {
    await renderInTestApp(<DiffViewer diff={diff} />);
    expect(screen.getByText('Deployment/checkout-api')).toBeInTheDocument();
    expect(screen.getByText('ConfigMap/checkout-flags')).toBeInTheDocument();
    // Unchanged objects are hidden until asked for.
    expect(screen.queryByText('Service/checkout-api')).not.toBeInTheDocument();

    const fields = screen.getByRole('table', {
      name: 'Changed fields of Deployment/checkout-api',
    });
    expect(within(fields).getByText('spec.replicas')).toBeInTheDocument();
    expect(within(fields).getAllByText('<redacted>')).toHaveLength(2);

    const unified = screen.getByRole('table', { name: 'Unified diff' });
    expect(within(unified).getByText('replicas: 3')).toBeInTheDocument();
    expect(within(unified).getByText('replicas: 1')).toBeInTheDocument();
  });

  it('switches to side by side and shows unchanged objects on request', async () => {
    await renderInTestApp(<DiffViewer diff={diff} />);
    await userEvent.click(
      screen.getByRole('button', { name: 'Side-by-side view' }),
    );
    const split = screen.getByRole('table', { name: 'Side-by-side diff' });
    const row = within(split).getByText('replicas: 3').closest('tr')!;
    expect(within(row).getByText('replicas: 1')).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText(/Show unchanged objects/));
    expect(screen.getByText('Service/checkout-api')).toBeInTheDocument();
  });

  it('opens a collapsed object on click', async () => {
    await renderInTestApp(<DiffViewer diff={diff} />);
    await userEvent.click(
      screen.getByRole('button', { name: 'ConfigMap/checkout-flags: Added' }),
    );
    expect(await screen.findByText('data: <redacted>')).toBeInTheDocument();
  });

  it('says so when nothing differs', async () => {
    await renderInTestApp(
      <DiffViewer
        diff={{
          ...diff,
          objects: diff.objects.filter(o => o.status === 'unchanged'),
        }}
      />,
    );
    expect(screen.getByText(/Nothing differs/)).toBeInTheDocument();
  });

  it('pairs removed and added lines', () => {
    const rows = splitRows(parsePatch(diff.objects[0].unifiedDiff));
    const changed = rows.find(r => r.left?.type === 'removed');
    expect(changed?.left?.text).toBe('  replicas: 3');
    expect(changed?.right?.text).toBe('  replicas: 1');
  });
});
