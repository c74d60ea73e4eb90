import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { encodeForHash, goJson, kustomizeHash } from './hash';

// Expected values are kustomize's own test vectors (api/hasher/hasher_test.go).
function object(fields: Record<string, unknown>): K8sObject {
  return { apiVersion: 'v1', metadata: { name: '' }, ...fields } as K8sObject;
}

describe('kustomizeHash', () => {
  it.each([
    ['empty ConfigMap', { kind: 'ConfigMap' }, '6ct58987ht'],
    ['one key', { kind: 'ConfigMap', data: { one: '' } }, '9g67k2htb6'],
    [
      'three keys, sorted',
      { kind: 'ConfigMap', data: { two: 2, one: '', three: 3 } },
      '7757f9kkct',
    ],
    [
      'binaryData',
      { kind: 'ConfigMap', binaryData: { one: '' } },
      '6mtk2m274t',
    ],
    [
      'data and binaryData',
      { kind: 'ConfigMap', data: { one: '' }, binaryData: { two: '' } },
      '698h7c7t9m',
    ],
    ['empty Secret', { kind: 'Secret', type: 'my-type' }, '5gmgkf8578'],
    [
      'Secret with a key',
      { kind: 'Secret', type: 'my-type', data: { one: '' } },
      '74bd68bm66',
    ],
    [
      'Secret with three keys',
      { kind: 'Secret', type: 'my-type', data: { two: 2, one: '', three: 3 } },
      '4gf75c7476',
    ],
    [
      'Secret with stringData',
      {
        kind: 'Secret',
        type: 'my-type',
        data: { one: '' },
        stringData: { two: 2 },
      },
      'c4h4264gdb',
    ],
  ])('matches kustomize for %s', (_case, fields, expected) => {
    expect(kustomizeHash(object(fields))).toBe(expected);
  });

  it('matches the generatorOptions example in the kustomize docs', () => {
    const configMap = object({
      kind: 'ConfigMap',
      data: { 'application.properties': '# application.properties\nFOO=Bar' },
    });
    configMap.metadata.name = 'my-application-properties';
    expect(kustomizeHash(configMap)).toBe('f7mm6mhf59');
  });

  it('encodes like Go encoding/json: sorted keys, HTML-safe strings', () => {
    expect(
      encodeForHash(object({ kind: 'ConfigMap', data: { b: '<&>', a: 'x' } })),
    ).toBe(
      '{"data":{"a":"x","b":"\\u003c\\u0026\\u003e"},"kind":"ConfigMap","name":""}',
    );
    expect(goJson({ z: [1, 'a\u2028'], a: null })).toBe(
      '{"a":null,"z":[1,"a\\u2028"]}',
    );
  });
});
