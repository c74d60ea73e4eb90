import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases } from '../__testUtils__/databases';
import { ExplanationService } from '../explainer';
import type {
  PullRequestOpener,
  PullRequestRecord,
} from '../pullRequests/types';
import { migrateLatest, TollgateStores } from '../stores/TollgateStores';
import { storeDemoClusters } from './__testUtils__/demoClusters';
import { ApprovalPolicies, type ApprovalPolicyConfig } from './ApprovalPolicy';
import { ApprovalService } from './ApprovalService';
import { AuditService } from './AuditService';
import { PreviewFreshness } from './PreviewFreshness';
import { PromotionService } from './PromotionService';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice'; // previews
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const DAVE = 'user:default/dave'; // no approver
const SRE_LEAD = 'user:default/sre-lead'; // approver through group:default/sre
const GROUPS: Record<string, string[]> = {
  [SRE_LEAD]: ['group:default/sre'],
  [DAVE]: ['group:default/guests'],
};
const MERGE_SHA = 'f'.repeat(40);

const callerOf = (ref: string, requestId = `req-${ref.split('/')[1]}`) => ({
  context: { actor: ref, requestId },
  credentials: mockCredentials.user(ref),
});

const userInfo = {
  async getUserInfo(credentials: BackstageCredentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...(GROUPS[ref] ?? [])],
    };
  },
};

function exampleEntities(): Entity[] {
  const file = join(__dirname, '../../../../examples/entities.yaml');
  return parseAllDocuments(readFileSync(file, 'utf8')).map(doc => ({
    ...doc.toJS(),
    metadata: { namespace: 'default', ...doc.toJS().metadata },
  })) as Entity[];
}

const stagingToProduction = {
  entityRef: 'component:default/checkout-api',
  source: { environment: 'staging' },
  target: { environment: 'production' },
};

function pullRequestOf(
  promotionId: string,
  changes: Partial<PullRequestRecord> = {},
): PullRequestRecord {
  return {
    id: 'pr-1',
    promotionId,
    provider: 'git',
    repo: '/srv/gitops.git',
    baseBranch: 'main',
    headBranch: 'tollgate/checkout-api/production',
    url: 'file:///srv/gitops.git#tollgate/checkout-api/production',
    state: 'open',
    headSha: 'a'.repeat(40),
    files: ['apps/checkout-api/overlays/production/kustomization.yaml'],
    createdAt: '2026-12-02T12:00:00.000Z',
    updatedAt: '2026-12-02T12:00:00.000Z',
    ...changes,
  };
}

const sreOnly: ApprovalPolicyConfig = {
  requiredApprovals: 1,
  approvers: ['group:default/sre', BOB, CAROL],
};

describe('ApprovalService', () => {
  const databases = createTestDatabases();

  async function setUp(
    databaseId: Parameters<typeof databases.init>[0],
    options: {
      production?: ApprovalPolicyConfig;
      opener?: PullRequestOpener;
    } = {},
  ) {
    const db = await databases.init(databaseId);
    await migrateLatest(db);
    const stores = new TollgateStores(db);
    const clusters = await storeDemoClusters(stores);
    const clock = { now: new Date('2026-12-02T12:00:00.000Z') };
    const tick = () => clock.now;
    const audit = new AuditService(tick);
    const promotions = new PromotionService({
      stores,
      audit,
      catalog: catalogServiceMock({ entities: exampleEntities() }),
      explainer: new ExplanationService(stores),
      previewOptions: {},
      clock: tick,
    });
    const serviceWith = (production: ApprovalPolicyConfig | undefined) =>
      new ApprovalService({
        stores,
        audit,
        auth: mockServices.auth(),
        userInfo,
        promotions,
        policies: ApprovalPolicies.of({}, production ? { production } : {}),
        freshness: new PreviewFreshness(stores),
        opener: options.opener,
        clock: tick,
      });
    const approvals = serviceWith(options.production ?? sreOnly);
    const preview = async (author = ALICE) => {
      const created = await promotions.preview(
        stagingToProduction,
        callerOf(author),
      );
      return created.promotion_id;
    };
    const actions = async (id: string) =>
      (await stores.audit.list({ targetId: id })).map(entry => entry.action);
    return {
      db,
      stores,
      clusters,
      clock,
      promotions,
      approvals,
      serviceWith,
      preview,
      actions,
    };
  }

  it.each(databases.eachSupportedId())(
    'needs a quorum of distinct approvers, opens the pull request once, follows it to merged and audits every step on %p',
    async databaseId => {
      const opener = {
        openForPromotion: jest.fn(async (id: string) => pullRequestOf(id)),
      };
      const { stores, approvals, preview, actions } = await setUp(databaseId, {
        production: { ...sreOnly, requiredApprovals: 2 },
        opener,
      });
      const id = await preview();

      const first = await approvals.approve(
        id,
        { comment: 'LGTM' },
        callerOf(BOB),
      );
      expect(first.state).toBe('previewed');
      expect(first.approval).toMatchObject({
        required: 2,
        received: 1,
        remaining: 1,
        canApprove: false,
      });
      expect(first.approval.reasons[0]).toMatch(/^You already approved/);
      expect(first.approvals).toEqual([
        {
          actor: BOB,
          decision: 'approve',
          comment: 'LGTM',
          at: '2026-12-02T12:00:00.000Z',
        },
      ]);
      expect(opener.openForPromotion).not.toHaveBeenCalled();

      const twice = approvals.approve(id, {}, callerOf(BOB));
      await expect(twice).rejects.toThrow(ConflictError);
      await expect(twice).rejects.toThrow(/an approval counts once per user/);
      expect((await approvals.describe(id, callerOf(CAROL))).approval).toEqual({
        required: 2,
        received: 1,
        remaining: 1,
        canApprove: true,
        reasons: [],
      });

      const second = await approvals.approve(id, {}, callerOf(CAROL));
      expect(opener.openForPromotion).toHaveBeenCalledTimes(1);
      expect(opener.openForPromotion).toHaveBeenCalledWith(id, {
        actor: CAROL,
        requestId: 'req-carol',
      });
      expect(second.state).toBe('pr_open');
      expect(second.approval).toMatchObject({ received: 2, remaining: 0 });
      expect(second.pullRequest).toMatchObject({ id: 'pr-1', state: 'open' });
      expect(second.pullRequest).not.toHaveProperty('promotionId');

      const webhook = { actor: 'webhook:github', requestId: 'delivery-1' };
      await approvals.pullRequestChanged(
        pullRequestOf(id, { state: 'merged', mergeCommitSha: MERGE_SHA }),
        webhook,
      );
      // A repeated delivery changes nothing.
      await approvals.pullRequestChanged(
        pullRequestOf(id, { state: 'merged', mergeCommitSha: MERGE_SHA }),
        webhook,
      );
      const merged = await approvals.describe(id, callerOf(BOB));
      expect(merged.state).toBe('merged');
      expect(merged.pullRequest?.mergeCommitSha).toBe(MERGE_SHA);
      expect(merged.history.map(t => [t.from, t.to, t.actor])).toEqual([
        [null, 'previewed', ALICE],
        ['previewed', 'approved', CAROL],
        ['approved', 'pr_open', CAROL],
        ['pr_open', 'merged', 'webhook:github'],
      ]);
      expect(await actions(id)).toEqual([
        'promotion.preview',
        'promotion.approve',
        'promotion.approve',
        'promotion.pr_opened',
        'promotion.merged',
      ]);
      const [, , approvedEntry, , mergedEntry] = await stores.audit.list({
        targetId: id,
      });
      expect(approvedEntry.details).toMatchObject({
        from: 'previewed',
        to: 'approved',
        received: 2,
        required: 2,
      });
      expect(mergedEntry).toMatchObject({
        actor: 'webhook:github',
        requestId: 'delivery-1',
        details: { mergeCommitSha: MERGE_SHA, to: 'merged' },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses self-approval and non-approvers with 403 and the reason; a group member approves on %p',
    async databaseId => {
      const { approvals, serviceWith, preview, actions } = await setUp(
        databaseId,
      );
      const id = await preview(ALICE);

      const own = approvals.approve(id, {}, callerOf(ALICE));
      await expect(own).rejects.toThrow(NotAllowedError);
      await expect(own).rejects.toThrow(
        'You previewed this promotion, and environment production does not allow approving your own; You are not an approver for environment production; approvers are group:default/sre, user:default/bob, user:default/carol',
      );
      const outsider = approvals.approve(id, {}, callerOf(DAVE));
      await expect(outsider).rejects.toThrow(NotAllowedError);
      await expect(outsider).rejects.toThrow(
        /^You are not an approver for environment production/,
      );
      const seenByDave = await approvals.describe(id, callerOf(DAVE));
      expect(seenByDave.approval).toMatchObject({
        canApprove: false,
        received: 0,
      });
      expect(seenByDave.approval.reasons).toHaveLength(1);
      await expect(
        approvals.approve(
          id,
          {},
          {
            context: { actor: 'plugin:scaffolder', requestId: 'r' },
            credentials: mockCredentials.service('plugin:scaffolder'),
          },
        ),
      ).rejects.toThrow('Only users can approve promotions');

      // Allowed self-approval lets the author approve (when listed).
      const lenient = serviceWith({
        allowSelfApproval: true,
        approvers: [ALICE],
      });
      expect(
        (await lenient.describe(id, callerOf(ALICE))).approval.canApprove,
      ).toBe(true);

      // No pull request service: the approval is kept, the caller told.
      const approved = approvals.approve(id, {}, callerOf(SRE_LEAD));
      await expect(approved).rejects.toThrow(ServiceUnavailableError);
      const detail = await approvals.describe(id, callerOf(SRE_LEAD));
      expect(detail.state).toBe('approved');
      expect(detail.approvals.map(a => a.actor)).toEqual([SRE_LEAD]);
      expect(detail.pullRequestError?.message).toBe(
        'no pull request service is configured in this backend',
      );
      expect(await actions(id)).toEqual([
        'promotion.preview',
        'promotion.approve',
        'promotion.pr_failed',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts concurrent approvals one after the other, opening the pull request once, on %p',
    async databaseId => {
      const opener = {
        openForPromotion: jest.fn(async (id: string) => pullRequestOf(id)),
      };
      const { approvals, preview } = await setUp(databaseId, {
        production: { ...sreOnly, requiredApprovals: 2 },
        opener,
      });
      const id = await preview();
      await Promise.all([
        approvals.approve(id, {}, callerOf(BOB)),
        approvals.approve(id, {}, callerOf(CAROL)),
      ]);
      expect(opener.openForPromotion).toHaveBeenCalledTimes(1);
      expect((await approvals.describe(id, callerOf(BOB))).state).toBe(
        'pr_open',
      );

      const other = await preview();
      const clicks = await Promise.allSettled([
        approvals.approve(other, {}, callerOf(BOB)),
        approvals.approve(other, {}, callerOf(BOB)),
      ]);
      expect(clicks.map(click => click.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const refused = clicks.find(click => click.status === 'rejected') as
        | PromiseRejectedResult
        | undefined;
      expect(refused?.reason.name).toBe('ConflictError');
      const detail = await approvals.describe(other, callerOf(CAROL));
      expect(detail.approvals).toHaveLength(1);
      expect(detail.state).toBe('previewed');
    },
  );

  it('keeps the approval when opening the pull request fails, without leaking tokens', async () => {
    const opener = {
      openForPromotion: jest.fn(async () => {
        throw new Error(
          'push to https://x-access-token:ghp_secret1234@github.com/acme/gitops failed',
        );
      }),
    };
    const { approvals, preview, actions } = await setUp('SQLITE_3', {
      opener,
    });
    const id = await preview();
    const attempt = approvals.approve(id, {}, callerOf(BOB));
    await expect(attempt).rejects.toThrow(
      `Promotion ${id} is approved (the approval is kept), but its pull request could not be opened: push to https://github.com/acme/gitops failed`,
    );
    expect(opener.openForPromotion).toHaveBeenCalledTimes(1);
    const detail = await approvals.describe(id, callerOf(BOB));
    expect(detail.state).toBe('approved');
    expect(JSON.stringify(detail)).not.toContain('ghp_secret1234');
    expect(await actions(id)).toEqual([
      'promotion.preview',
      'promotion.approve',
      'promotion.pr_failed',
    ]);

    // The pull-request service reports it later: the error gives way to it.
    await approvals.pullRequestChanged(pullRequestOf(id), {
      actor: 'tollgate:pull-requests',
      requestId: 'poll',
    });
    const opened = await approvals.describe(id, callerOf(BOB));
    expect(opened.state).toBe('pr_open');
    expect(opened.pullRequestError).toBeUndefined();
  });

  it('retries opening the pull request of an approved promotion, and only that', async () => {
    const opener = {
      openForPromotion: jest
        .fn()
        .mockRejectedValueOnce(new Error('the Git host is down'))
        .mockImplementation(async (id: string) => pullRequestOf(id)),
    };
    const { approvals, preview, actions } = await setUp('SQLITE_3', {
      opener,
    });
    const id = await preview();
    await expect(approvals.approve(id, {}, callerOf(BOB))).rejects.toThrow(
      'the Git host is down',
    );

    const retried = await approvals.retryPullRequest(id, callerOf(BOB));
    expect(retried.state).toBe('pr_open');
    expect(retried.pullRequestError).toBeUndefined();
    expect(opener.openForPromotion).toHaveBeenCalledTimes(2);
    expect(await actions(id)).toEqual([
      'promotion.preview',
      'promotion.approve',
      'promotion.pr_failed',
      'promotion.pr_opened',
    ]);

    const again = approvals.retryPullRequest(id, callerOf(BOB));
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow(
      'The promotion is pr_open; only an approved promotion whose pull request failed to open can retry it',
    );
    const previewed = await preview();
    await expect(
      approvals.retryPullRequest(previewed, callerOf(BOB)),
    ).rejects.toThrow('The promotion is previewed');
    expect(opener.openForPromotion).toHaveBeenCalledTimes(2);
  });

  it('freezes approvals inside a freeze window, to the minute, in its time zone', async () => {
    const { approvals, clock, preview } = await setUp('SQLITE_3', {
      production: {
        ...sreOnly,
        freezeWindows: [
          {
            name: 'Weekend',
            rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0',
            duration: 'PT64H',
            timezone: 'Europe/Berlin',
          },
        ],
      },
    });
    const id = await preview();
    const statusAt = async (iso: string) => {
      clock.now = new Date(iso);
      return (await approvals.describe(id, callerOf(BOB))).approval;
    };

    expect(await statusAt('2026-12-04T14:59:00Z')).toMatchObject({
      canApprove: true,
      reasons: [],
    });
    const frozen = await statusAt('2026-12-04T15:00:00Z');
    expect(frozen).toMatchObject({
      canApprove: false,
      freezeWindow: { name: 'Weekend', endsAt: '2026-12-07T07:00:00.000Z' },
    });
    const refusal = approvals.approve(id, {}, callerOf(BOB));
    await expect(refusal).rejects.toThrow(ConflictError);
    await expect(refusal).rejects.toThrow(
      "Approvals for environment production are frozen by 'Weekend' until 2026-12-07 08:00 Europe/Berlin (2026-12-07T07:00:00.000Z)",
    );
    expect((await statusAt('2026-12-07T06:59:00Z')).canApprove).toBe(false);
    expect(await statusAt('2026-12-07T07:00:00Z')).toEqual({
      required: 1,
      received: 0,
      remaining: 1,
      canApprove: true,
      reasons: [],
    });
    await expect(approvals.approve(id, {}, callerOf(BOB))).rejects.toThrow(
      ServiceUnavailableError,
    ); // approved; no PR service
  });

  it('asks for extra approvals when the monthly cost rises past the guardrail', async () => {
    // The demo promotion adds $47.08 a month to a $32.24 baseline (+146%).
    const { approvals, serviceWith, preview } = await setUp('SQLITE_3', {
      production: {
        ...sreOnly,
        costGuardrail: { monthlyDeltaUsd: 40, extraApprovals: 1 },
      },
    });
    const id = await preview();
    const requiredWith = async (
      costGuardrail: ApprovalPolicyConfig['costGuardrail'],
    ) =>
      (
        await serviceWith({ ...sreOnly, costGuardrail }).describe(
          id,
          callerOf(BOB),
        )
      ).approval.required;
    expect(await requiredWith({ monthlyDeltaUsd: 500, percent: 200 })).toBe(1);
    expect(await requiredWith({ monthlyDeltaUsd: 47 })).toBe(2);
    expect(await requiredWith({ percent: 25, extraApprovals: 2 })).toBe(3);
    expect(await requiredWith(undefined)).toBe(1);

    const first = await approvals.approve(id, {}, callerOf(BOB));
    expect(first.state).toBe('previewed');
    expect(first.approval).toMatchObject({ required: 2, remaining: 1 });
  });

  it.each(databases.eachSupportedId())(
    'refuses a stale preview with 409, and a newer preview supersedes the older on %p',
    async databaseId => {
      const { stores, clusters, clock, approvals, preview, actions } =
        await setUp(databaseId);
      const older = await preview();

      const [deployment] = await stores.objects.list(clusters.production.id, {
        kind: 'Deployment',
        namespace: 'shop',
      });
      const scaled = structuredClone(deployment.object) as any;
      scaled.spec.replicas = 9;
      await stores.objects.upsert(
        clusters.production.id,
        [{ object: scaled, hash: 'scaled' }],
        'delta',
        new Date('2026-12-02T12:30:00.000Z'),
      );
      const stale = approvals.approve(older, {}, callerOf(BOB));
      await expect(stale).rejects.toThrow(ConflictError);
      await expect(stale).rejects.toThrow(
        "The preview is out of date: the target's objects in demo-production/shop changed (last reported 2026-12-02T12:30:00.000Z). Run the preview again and approve the new one",
      );
      const seen = await approvals.describe(older, callerOf(BOB));
      expect(seen.state).toBe('previewed');
      expect(seen.approval.canApprove).toBe(false);
      expect(seen.approvals).toEqual([]);

      clock.now = new Date('2026-12-02T13:00:00.000Z');
      const newer = await preview();
      const fresh = await approvals.afterPreview(newer, callerOf(ALICE));
      expect(fresh.state).toBe('previewed');
      const replaced = await approvals.describe(older, callerOf(BOB));
      expect(replaced.state).toBe('superseded');
      expect(replaced.history.at(-1)).toEqual({
        from: 'previewed',
        to: 'superseded',
        actor: ALICE,
        at: '2026-12-02T13:00:00.000Z',
      });
      await expect(approvals.approve(older, {}, callerOf(BOB))).rejects.toThrow(
        'The promotion is superseded; only a previewed promotion can be approved',
      );
      expect(await actions(older)).toEqual([
        'promotion.preview',
        'promotion.superseded',
      ]);

      // A preview made elsewhere (no afterPreview) is found when approving.
      clock.now = new Date('2026-12-02T14:00:00.000Z');
      const newest = await preview();
      expect(
        (await approvals.describe(newer, callerOf(BOB))).approval.reasons,
      ).toEqual([
        `A newer preview of the same workload and target exists (${newest}, 2026-12-02T14:00:00.000Z); approve that one`,
      ]);
      await expect(approvals.approve(newer, {}, callerOf(BOB))).rejects.toThrow(
        `is superseded by the newer preview ${newest}`,
      );
      expect((await approvals.describe(newer, callerOf(BOB))).state).toBe(
        'superseded',
      );
      await expect(
        approvals.approve(newest, {}, callerOf(BOB)),
      ).rejects.toThrow(ServiceUnavailableError);
      expect((await approvals.describe(newest, callerOf(BOB))).state).toBe(
        'approved',
      );
    },
  );

  it('ends a promotion on rejection, by an approver or its author only', async () => {
    const { approvals, preview, actions } = await setUp('SQLITE_3');
    const id = await preview();
    await expect(
      approvals.reject(id, { comment: 'no' }, callerOf(DAVE)),
    ).rejects.toThrow(
      new NotAllowedError(
        'Only the author or an approver of environment production may reject this promotion; approvers are group:default/sre, user:default/bob, user:default/carol',
      ),
    );
    await expect(
      approvals.reject(
        id,
        { comment: 'no' },
        {
          context: { actor: 'plugin:scaffolder', requestId: 'r' },
          credentials: mockCredentials.service('plugin:scaffolder'),
        },
      ),
    ).rejects.toThrow('Only users can reject promotions');

    const rejected = await approvals.decide(
      id,
      { action: 'reject', comment: 'Exposes the service publicly' },
      callerOf(BOB),
    );
    expect(rejected.state).toBe('rejected');
    expect(rejected.approvals).toEqual([
      expect.objectContaining({
        actor: BOB,
        decision: 'reject',
        comment: 'Exposes the service publicly',
      }),
    ]);
    expect(rejected.approval.reasons).toEqual([
      'The promotion is rejected; only a previewed promotion can be approved',
    ]);
    await expect(approvals.approve(id, {}, callerOf(CAROL))).rejects.toThrow(
      ConflictError,
    );
    await expect(
      approvals.reject(id, { comment: 'again' }, callerOf(CAROL)),
    ).rejects.toThrow(
      `Promotion ${id} is rejected; only a previewed or approved promotion can be rejected`,
    );
    expect(await actions(id)).toEqual([
      'promotion.preview',
      'promotion.reject',
    ]);

    // The author may withdraw their own preview.
    const own = await preview(ALICE);
    expect(
      (await approvals.reject(own, { comment: 'wrong tag' }, callerOf(ALICE)))
        .state,
    ).toBe('rejected');
  });

  it('follows the pull request: updated, closed, reopened, merged; a takeover supersedes', async () => {
    const opener = {
      openForPromotion: jest.fn(async (id: string) => pullRequestOf(id)),
    };
    const { approvals, clock, preview, actions } = await setUp('SQLITE_3', {
      opener,
    });
    const poll = { actor: 'tollgate:pull-requests', requestId: 'poll' };
    const first = await preview();
    await approvals.approve(first, {}, callerOf(BOB));

    await approvals.pullRequestChanged(
      pullRequestOf(first, { headSha: 'b'.repeat(40) }),
      poll,
    );
    await approvals.pullRequestChanged(
      pullRequestOf(first, { state: 'closed' }),
      poll,
    );
    expect((await approvals.describe(first, callerOf(BOB))).state).toBe(
      'pr_closed',
    );
    await approvals.pullRequestChanged(pullRequestOf(first), poll);
    expect(await actions(first)).toEqual([
      'promotion.preview',
      'promotion.approve',
      'promotion.pr_opened',
      'promotion.pr_updated',
      'promotion.pr_closed',
      'promotion.pr_opened',
    ]);

    // A newer promotion updates the same pull request: the older is superseded.
    clock.now = new Date('2026-12-02T15:00:00.000Z');
    const second = await preview();
    await approvals.approve(second, {}, callerOf(BOB));
    expect((await approvals.describe(second, callerOf(BOB))).state).toBe(
      'pr_open',
    );
    expect((await approvals.describe(first, callerOf(BOB))).state).toBe(
      'superseded',
    );

    // A report that does not fit the promotion's state is refused.
    const third = await preview();
    await expect(
      approvals.pullRequestChanged(
        pullRequestOf(third, { id: 'pr-2', state: 'merged' }),
        poll,
      ),
    ).rejects.toThrow(
      `Promotion ${third} is previewed and cannot become merged`,
    );
  });
});
