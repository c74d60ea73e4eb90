import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startTollgateApi } from '../__testUtils__/tollgateApi';
import { createPromotionPreviewAction } from './preview';

const preview = {
  promotion_id: 'p-1',
  risk_level: 'medium',
  estimated_cost: {
    currency: 'USD',
    baseline: 40.1,
    projected: 52.5,
    delta: 12.4,
    text: '+$12.40 ($40.10 -> $52.50)',
  },
  explanation: { text: 'checkout-api moves to 2.4.0 with smaller replicas.' },
};
const input = {
  entityRef: 'component:default/checkout-api',
  sourceEnvironment: 'staging',
  targetEnvironment: 'production',
};

describe('tollgate:promotion:preview', () => {
  let api: Awaited<ReturnType<typeof startTollgateApi>>;

  beforeEach(async () => {
    api = await startTollgateApi({
      'POST /api/tollgate/v1/promotions/preview': {
        status: 201,
        body: preview,
      },
    });
  });
  afterEach(() => api.close());

  it('previews through the Tollgate API and outputs cost, risk and explanation', async () => {
    const action = createPromotionPreviewAction(api.client);
    const ctx = createMockActionContext({ input });

    await action.handler(ctx as any);

    expect(api.received).toHaveLength(1);
    expect(api.received[0].body).toEqual({
      entityRef: 'component:default/checkout-api',
      source: { environment: 'staging' },
      target: { environment: 'production' },
    });
    // On behalf of the task's initiator, with a token for the tollgate plugin.
    expect(api.received[0].headers.authorization).toMatch(/^Bearer \S+/);
    expect(ctx.output).toHaveBeenCalledWith('promotionId', 'p-1');
    expect(ctx.output).toHaveBeenCalledWith('costDelta', 12.4);
    expect(ctx.output).toHaveBeenCalledWith(
      'costText',
      '+$12.40 ($40.10 -> $52.50)',
    );
    expect(ctx.output).toHaveBeenCalledWith('riskLevel', 'medium');
    expect(ctx.output).toHaveBeenCalledWith(
      'explanation',
      'checkout-api moves to 2.4.0 with smaller replicas.',
    );
  });

  it('passes within the guardrails', async () => {
    const action = createPromotionPreviewAction(api.client);
    const ctx = createMockActionContext({
      input: {
        ...input,
        failAbove: { monthlyDeltaUsd: 20, riskLevel: 'medium' },
      },
    });
    await expect(action.handler(ctx as any)).resolves.toBeUndefined();
  });

  it('fails the task above the cost guardrail, after giving the outputs', async () => {
    const action = createPromotionPreviewAction(api.client);
    const ctx = createMockActionContext({
      input: { ...input, failAbove: { monthlyDeltaUsd: 10 } },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'Promotion p-1 costs +$12.40 ($40.10 -> $52.50) per month, above the guardrail of +$10.00',
    );
    expect(ctx.output).toHaveBeenCalledWith('promotionId', 'p-1');
  });

  it('fails the task above the risk guardrail', async () => {
    const action = createPromotionPreviewAction(api.client);
    const ctx = createMockActionContext({
      input: { ...input, failAbove: { riskLevel: 'low' } },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'Promotion p-1 has risk level medium, above the guardrail of low',
    );
  });

  it('fails with the API’s error', async () => {
    await api.close();
    api = await startTollgateApi({
      'POST /api/tollgate/v1/promotions/preview': {
        status: 400,
        body: {
          error: {
            name: 'InputError',
            message: "Environment 'qa' is not declared",
          },
          response: { statusCode: 400 },
        },
      },
    });
    const action = createPromotionPreviewAction(api.client);
    const ctx = createMockActionContext({
      input: { ...input, sourceEnvironment: 'qa' },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      "Environment 'qa' is not declared",
    );
  });

  it('documents its input with examples', () => {
    const action = createPromotionPreviewAction(api.client);
    expect(action.examples?.length).toBeGreaterThan(0);
    expect(action.examples?.[1].example).toContain('monthlyDeltaUsd: 100');
  });
});
