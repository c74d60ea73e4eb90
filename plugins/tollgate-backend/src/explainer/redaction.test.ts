import { Redactor } from './redaction';

const redactor = new Redactor({
  names: ['checkout-api', 'api', 'shop'],
  namespaces: ['shop', 'payments'],
  images: ['ghcr.io/acme/checkout-api:2.4.0'],
  clusters: ['demo-production'],
  repos: [],
});

describe('Redactor', () => {
  it('replaces whole identifiers, longest first, and restores them', () => {
    const text =
      'Deployment/checkout-api runs ghcr.io/acme/checkout-api:2.4.0 (chart checkout-api-2.4.0) in shop on demo-production; apiVersion and rapid api stay.';
    const redacted = redactor.redact(text);
    expect(redacted).toBe(
      'Deployment/NAME_A runs IMAGE_A (chart NAME_A-2.4.0) in NAMESPACE_A on CLUSTER_A; apiVersion and rapid NAME_B stay.',
    );
    expect(redactor.restore(redacted)).toBe(text);
  });

  it('finds placeholders that stand for nothing', () => {
    expect(redactor.unknownPlaceholders('NAME_A, NAME_Z and IMAGE_B')).toEqual([
      'NAME_Z',
      'IMAGE_B',
    ]);
    expect(redactor.restore('NAME_Z')).toBe('NAME_Z');
    expect(Redactor.withoutPlaceholders('NAMESPACE_A costs $4')).toBe(
      '  costs $4',
    );
  });
});
