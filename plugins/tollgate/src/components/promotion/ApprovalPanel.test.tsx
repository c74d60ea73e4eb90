import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  approvable,
  renderApprovalPanel,
} from '../../__testUtils__/approvalPanel';
import { fakeApi, promotionDetails } from '../../__testUtils__/promotions';

describe('ApprovalPanel', () => {
  it('shows progress and lets an approver approve with a comment', async () => {
    const api = fakeApi({
      approvePromotion: jest
        .fn()
        .mockResolvedValue({ ...approvable, state: 'approved' }),
    });
    const { onChanged } = await renderApprovalPanel(approvable, { api });
    expect(
      await screen.findByText('1 of 2 approvals (1 more needed)'),
    ).toBeInTheDocument();
    expect(screen.getByText(/looks fine/)).toBeInTheDocument();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      screen.getByLabelText('Comment (optional)'),
      'ship it',
    );
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Approve' }).pop()!,
    );
    await waitFor(() =>
      expect(api.approvePromotion).toHaveBeenCalledWith('p-1', 'ship it'),
    );
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(onChanged).toHaveBeenCalledWith(
      expect.objectContaining({ state: 'approved' }),
    );
  });

  it('asks for a reason before rejecting', async () => {
    const api = fakeApi();
    await renderApprovalPanel(approvable, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject' }),
    );
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Reject' }).pop()!,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'A rejection needs a comment saying why.',
    );
    expect(api.rejectPromotion).not.toHaveBeenCalled();
  });

  it('rejects through the dialog and shows a failure in it', async () => {
    const api = fakeApi({
      rejectPromotion: jest.fn().mockRejectedValue(new Error('Too late')),
    });
    await renderApprovalPanel(approvable, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject' }),
    );
    await userEvent.type(screen.getByLabelText(/^Reason/), 'no');
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Reject' }).pop()!,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('Too late');
  });

  it('lists the reasons and the freeze window when approval is blocked', async () => {
    await renderApprovalPanel(
      promotionDetails({
        approval: {
          required: 1,
          received: 0,
          remaining: 1,
          canApprove: false,
          reasons: [
            'You previewed this promotion; someone else must approve it.',
          ],
          freezeWindow: {
            name: 'weekend',
            endsAt: '2026-12-07T08:00:00.000Z',
          },
        },
      }),
    );
    expect(
      await screen.findByText(
        'You previewed this promotion; someone else must approve it.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Freeze window “weekend”: approvals are blocked/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Approvals for this environment reopen at/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
  });

  it('shows the state and the pull request link', async () => {
    await renderApprovalPanel(
      promotionDetails({
        state: 'pr_open',
        approval: {
          required: 1,
          received: 1,
          remaining: 0,
          canApprove: false,
          reasons: [],
        },
        pullRequest: {
          id: 'pr-1',
          url: 'https://github.com/acme/gitops/pull/7',
          number: 7,
          state: 'open',
          provider: 'github',
          repo: 'acme/gitops',
          baseBranch: 'main',
          headBranch: 'tollgate/checkout-api-production',
          headSha: 'abc',
          files: ['apps/checkout-api/overlays/production/kustomization.yaml'],
          createdAt: '2026-12-01T12:00:00.000Z',
          updatedAt: '2026-12-01T12:00:00.000Z',
        },
      }),
    );
    expect(
      await screen.findByText('State: Pull request open'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Pull request #7 \(open\)/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/gitops/pull/7');
  });

  it('names the branch of a merged plain-git pull request, which has no web page', async () => {
    await renderApprovalPanel(
      promotionDetails({
        state: 'merged',
        pullRequest: {
          id: 'pr-2',
          url: '/srv/gitops.git#tollgate/promote-checkout-api-production',
          state: 'merged',
          provider: 'git',
          repo: '/srv/gitops.git',
          baseBranch: 'main',
          headBranch: 'tollgate/promote-checkout-api-production',
          headSha: 'abc',
          mergeCommitSha: '0123456789abcdef',
          files: ['overlays/production/kustomization.yaml'],
          createdAt: '2026-12-01T12:00:00.000Z',
          updatedAt: '2026-12-01T12:10:00.000Z',
        },
      }),
    );
    expect(await screen.findByTestId('pull-request-branch')).toHaveTextContent(
      'Branch tollgate/promote-checkout-api-production into main of /srv/gitops.git (merged, merge commit 0123456)',
    );
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('retries a pull request that failed to open, and says when it fails again', async () => {
    const failed = promotionDetails({
      state: 'approved',
      pullRequestError: {
        message: 'push to https://github.com/acme/gitops failed',
        at: '2026-12-01T12:00:00.000Z',
      },
    });
    const api = fakeApi({
      retryPullRequest: jest
        .fn()
        .mockRejectedValueOnce(new Error('The Git host is still down'))
        .mockResolvedValueOnce(promotionDetails({ state: 'pr_open' })),
    });
    const { onChanged } = await renderApprovalPanel(failed, { api });
    expect(
      await screen.findByText(/The pull request could not be opened/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/push to https:\/\/github.com\/acme\/gitops failed/),
    ).toBeVisible();

    const retry = screen.getByRole('button', {
      name: 'Retry the pull request',
    });
    await userEvent.click(retry);
    expect(
      await screen.findByText('The Git host is still down'),
    ).toBeInTheDocument();
    expect(onChanged).not.toHaveBeenCalled();

    await userEvent.click(retry);
    await waitFor(() =>
      expect(onChanged).toHaveBeenCalledWith(
        expect.objectContaining({ state: 'pr_open' }),
      ),
    );
    expect(api.retryPullRequest).toHaveBeenCalledWith(failed.promotion_id);
  });

  it('degrades gracefully without approval fields', async () => {
    await renderApprovalPanel(promotionDetails());
    expect(
      await screen.findByText('State: Previewed: waiting for approval'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Approval is not available for this promotion yet.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
  });
});
