import { canonicalJson, sha256Hex } from './canonicalJson';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(
      canonicalJson({ b: [3, { z: 1, a: null }], a: { d: 'x', c: true } }),
    ).toBe('{"a":{"c":true,"d":"x"},"b":[3,{"a":null,"z":1}]}');
  });

  it('drops undefined properties and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe(
      '{"b":[null,1]}',
    );
  });

  it('escapes keys and strings as JSON does', () => {
    const value = { 'we"ird\nkey': 'quote " and \u2028' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('serializes equal values equally whatever their key order', () => {
    const one = { metadata: { name: 'a', labels: { x: '1', y: '2' } } };
    const two = { metadata: { labels: { y: '2', x: '1' }, name: 'a' } };
    expect(sha256Hex(canonicalJson(one))).toBe(sha256Hex(canonicalJson(two)));
    expect(sha256Hex('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
