import { mockServices } from '@backstage/backend-test-utils';
import { previewOptionsFromConfig } from './previewConfig';

const optionsFrom = (preview: Record<string, any> | undefined) =>
  previewOptionsFromConfig(
    mockServices.rootConfig({ data: { tollgate: { preview } } }),
  );

describe('previewOptionsFromConfig', () => {
  it('builds engine options with price overrides and a discount', () => {
    const options = optionsFrom({
      ignore: [{ kind: '*', paths: ['/metadata/labels/helm.sh~1chart'] }],
      pricing: {
        discountPercent: 25,
        instances: [
          {
            provider: 'aws',
            region: 'eu-west-1',
            instanceType: 'm5.xlarge',
            vcpu: 4,
            memoryGiB: 16,
            hourly: 0.2,
          },
        ],
      },
      risk: { rules: { 'target-drift': { enabled: false } } },
    });
    expect(options.ignore).toHaveLength(1);
    expect(options.risk).toEqual({
      rules: { 'target-drift': { enabled: false } },
    });
    const price = options.priceBook?.instance({
      provider: 'aws',
      region: 'eu-west-1',
      instanceType: 'm5.xlarge',
    });
    expect(price?.hourly).toBeCloseTo(0.15, 12);
    expect(price?.source).toBe('app-config (tollgate.preview)');
    expect(optionsFrom(undefined).priceBook?.discountPercent).toBe(0);
  });

  it('stops at startup on a bad setting or an unknown rule id', () => {
    expect(() => optionsFrom({ pricing: { discountPercent: 100 } })).toThrow(
      'Invalid configuration: tollgate.preview.pricing.discountPercent:',
    );
    expect(() =>
      optionsFrom({ risk: { rules: { 'no-such-rule': { enabled: false } } } }),
    ).toThrow('Unknown risk rule id(s) in configuration: no-such-rule');
  });
});
