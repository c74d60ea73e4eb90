import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { tollgateApiRef, type PromotionDetails } from '../api';
import { ApprovalPanel } from '../components/promotion/ApprovalPanel';
import { fakeApi, promotionDetails } from './promotions';

// AuthorizeResult.DENY, without importing permission-common here.
const DENY = 'DENY' as never;

/** A production promotion with one of two approvals, which the caller may approve. */
export const approvable = promotionDetails({
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

/**
 * The Approval panel with a fake Tollgate API. usePermission caches its
 * decisions for the module's life, so a file tests either allowed or denied.
 */
export async function renderApprovalPanel(
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
