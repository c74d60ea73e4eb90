import { InputError } from '@backstage/errors';
import { applyJsonPatch, parseJsonPatch } from './jsonPatch';

describe('JSON 6902 patches', () => {
  const document = () => ({
    spec: { replicas: 1, 'a/b': { '~x': 1 }, args: ['--one', '--two'] },
  });

  function apply(operations: unknown[]) {
    return applyJsonPatch(
      document(),
      parseJsonPatch(operations, 'patch.yaml'),
      'patch.yaml',
    );
  }

  it('applies add, remove, replace, move, copy and test', () => {
    expect(
      apply([
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 3 },
        { op: 'add', path: '/spec/args/-', value: '--three' },
        { op: 'add', path: '/spec/args/0', value: '--zero' },
        { op: 'remove', path: '/spec/args/1' },
        { op: 'copy', from: '/spec/replicas', path: '/spec/minReplicas' },
        { op: 'move', from: '/spec/a~1b/~0x', path: '/spec/moved' },
        { op: 'add', path: '/metadata', value: { labels: { a: 'b' } } },
      ]),
    ).toEqual({
      spec: {
        replicas: 3,
        'a/b': {},
        args: ['--zero', '--two', '--three'],
        minReplicas: 3,
        moved: 1,
      },
      metadata: { labels: { a: 'b' } },
    });
  });

  it('does not change the document it was given', () => {
    const original = document();
    applyJsonPatch(
      original,
      [{ op: 'replace', path: '/spec/replicas', value: 9 }],
      'p',
    );
    expect(original).toEqual(document());
  });

  it.each([
    [
      [{ op: 'replace', path: '/spec/missing', value: 1 }],
      'patch.yaml: JSON patch operation 1 (replace /spec/missing) failed: path does not exist at "missing"',
    ],
    [
      [{ op: 'add', path: '/nope/deeper', value: 1 }],
      'patch.yaml: JSON patch operation 1 (add /nope/deeper) failed: path does not exist at "nope"',
    ],
    [
      [{ op: 'remove', path: '/spec/args/5' }],
      'patch.yaml: JSON patch operation 1 (remove /spec/args/5) failed: list index "5" is out of range',
    ],
    [
      [{ op: 'test', path: '/spec/replicas', value: 2 }],
      'patch.yaml: JSON patch operation 1 (test /spec/replicas) failed: the value differs',
    ],
    [
      [{ op: 'jump', path: '/x' }],
      "patch.yaml: JSON patch operation 1 is invalid: Invalid discriminator value. Expected 'add' | 'replace' | 'test' | 'remove' | 'move' | 'copy'",
    ],
  ])('reports %j clearly', (operations, message) => {
    const error = (() => {
      try {
        return apply(operations);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(message);
  });
});
