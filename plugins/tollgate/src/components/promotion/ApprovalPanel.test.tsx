import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { tollgateApiRef, type PromotionDetails } from '../../api';
import { fakeApi, promotionDetails } from '../../__testUtils__/promotions';
import { ApprovalPanel } from './ApprovalPanel';

// AuthorizeResult.DENY, without importing permission-common here.
const DENY = 'DENY' as never;

const approvable = promotionDetails({
  approval: {
    required: 2,
    received: 1,
    remaining: 1,
    canApprove: true,
    reasons: [],
  },
  approvals: [
    {
      actor: 'user:default/bob',
      decision: 'approve',
      comment: 'looks fine',
      at: '2026-12-01T11:00:00.000Z',
    },
  ],
});

async function renderPanel(
  promotion: PromotionDetails,
  options: { allow?: boolean; api?: ReturnType<typeof fakeApi> } = {},
) {
  const api = options.api ?? fakeApi();
  const onChanged = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [tollgateApiRef, api],
        [alertApiRef, { post: jest.fn(), alert$: jest.fn() }],
        [
          permissionApiRef,
          mockApis.permission(
            options.allow === false ? { authorize: DENY } : undefined,
          ),
        ],
      ]}
    >
      <ApprovalPanel promotion={promotion} onChanged={onChanged} />
    </TestApiProvider>,
  );
  return { api, onChanged };
}

describe('ApprovalPanel', () => {
  it('shows progress and lets an approver approve with a comment', async () => {
    const api = fakeApi({
      approvePromotion: jest
        .fn()
        .mockResolvedValue({ ...approvable, state: 'approved' }),
    });
    const { onChanged } = await renderPanel(approvable, { api });
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
    await renderPanel(approvable, { api });
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
    await renderPanel(approvable, { api });
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
    await renderPanel(
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
    await renderPanel(
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
    await renderPanel(
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

  it('degrades gracefully without approval fields', async () => {
    await renderPanel(promotionDetails());
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
