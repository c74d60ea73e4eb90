// usePermission caches decisions per permission for the module's life, so
// the denied case runs in its own file.
import { screen } from '@testing-library/react';
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

describe('ApprovalPanel without permission', () => {
  it('hides Approve and Reject without the approve permission', async () => {
    await renderPanel(approvable, { allow: false });
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
});
