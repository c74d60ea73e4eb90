import { mockServices } from '@backstage/backend-test-utils';
import { ApprovalPolicies, requiredApprovals } from './ApprovalPolicy';

const fromConfig = (approvals?: Record<string, any>) =>
  ApprovalPolicies.fromConfig(
    mockServices.rootConfig({ data: { tollgate: { approvals } } }),
  );

describe('ApprovalPolicies', () => {
  it('falls back field by field to the default, then to one approval without self-approval', () => {
    const policies = fromConfig({
      default: { requiredApprovals: 2, approvers: ['group:sre'] },
      environments: {
        production: {
          allowSelfApproval: true,
          approverRoles: ['User:default/Alice'],
          approvers: ['group:default/sre'],
        },
      },
    });
    expect(policies.forEnvironment('production')).toMatchObject({
      name: 'production',
      requiredApprovals: 2,
      allowSelfApproval: true,
      approvers: ['group:default/sre', 'user:default/alice'],
    });
    expect(policies.forEnvironment('staging')).toMatchObject({
      name: 'default',
      requiredApprovals: 2,
      allowSelfApproval: false,
      approvers: ['group:default/sre'],
    });
    expect(fromConfig(undefined).forEnvironment(null)).toEqual({
      name: 'default',
      requiredApprovals: 1,
      allowSelfApproval: false,
      approvers: [],
      freezeWindows: [],
      costGuardrail: undefined,
    });
  });

  it('refuses invalid configuration at startup, naming the fields', () => {
    expect(() =>
      fromConfig({
        environments: {
          production: { requiredApprovals: 0, approvers: ['sre'] },
        },
      }),
    ).toThrow(
      'Invalid tollgate.approvals: environments.production.requiredApprovals: Too small: expected number to be >=1; environments.production.approvers.0: must be an entity ref such as group:default/sre',
    );
    expect(() =>
      fromConfig({
        default: {
          freezeWindows: [
            { name: 'Weekend', rrule: 'FREQ=WEEKLY', duration: '64h' },
          ],
        },
      }),
    ).toThrow(
      "Freeze window 'Weekend': duration '64h' is not an ISO 8601 duration",
    );
    expect(() =>
      fromConfig({ default: { costGuardrail: { extraApprovals: 1 } } }),
    ).toThrow('Give monthlyDeltaUsd, percent or both');
  });

  it('adds the guardrail’s approvals only when the cost rises past it', () => {
    const policy = ApprovalPolicies.of({
      requiredApprovals: 1,
      costGuardrail: { monthlyDeltaUsd: 500, percent: 25 },
    }).forEnvironment('production');
    expect(requiredApprovals(policy, { delta: 600, deltaPercent: 10 })).toEqual(
      {
        required: 2,
        guardrail:
          'the monthly cost rises by $600.00, above the $500 guardrail',
      },
    );
    expect(requiredApprovals(policy, { delta: 50, deltaPercent: 30 })).toEqual({
      required: 2,
      guardrail: 'the monthly cost rises by 30.0%, above the 25% guardrail',
    });
    expect(
      requiredApprovals(policy, { delta: 50, deltaPercent: null }).required,
    ).toBe(2);
    expect(requiredApprovals(policy, { delta: 500, deltaPercent: 25 })).toEqual(
      { required: 1 },
    );
    expect(
      requiredApprovals(policy, { delta: -900, deltaPercent: -90 }),
    ).toEqual({ required: 1 });
  });
});
