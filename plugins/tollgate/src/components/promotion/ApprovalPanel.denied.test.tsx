// usePermission caches decisions per permission for the module's life, so
// the denied cases run in their own file.
import { screen } from '@testing-library/react';
import {
  approvable,
  renderApprovalPanel,
} from '../../__testUtils__/approvalPanel';
import { promotionDetails } from '../../__testUtils__/promotions';

describe('ApprovalPanel without permission', () => {
  it('hides Approve and Reject without the approve permission', async () => {
    await renderApprovalPanel(approvable, { allow: false });
    expect(
      await screen.findByText(
        'You do not have permission to approve promotions.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Reject' }),
    ).not.toBeInTheDocument();
  });

  it('offers no retry of a failed pull request', async () => {
    await renderApprovalPanel(
      promotionDetails({
        state: 'approved',
        pullRequestError: {
          message: 'push failed',
          at: '2026-12-01T12:00:00.000Z',
        },
      }),
      { allow: false },
    );
    expect(
      await screen.findByText('An approver of this environment can retry it.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The pull request could not be opened/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry the pull request' }),
    ).not.toBeInTheDocument();
  });
});
