import { K8sObject, recordsAt, stringAt, valueAt } from '../objects';
import { formatPath } from '../paths';
import { formatBytes, optionalQuantity } from '../quantity';
import { ObjectPair, pairsOnBothSides } from './helpers';
import { RiskRule, RuleFinding, RuleInput } from './types';

/** A claim before and after: a PVC, or a StatefulSet's claim template. */
interface ClaimPair {
  ref: string;
  label: string;
  before: unknown;
  after: unknown;
  /** Path of the claim's spec. */
  specPath: (string | number | { name: string })[];
}

function claimPairs(input: RuleInput): ClaimPair[] {
  const claims = pairsOnBothSides(input, ['PersistentVolumeClaim']).map(
    pair => ({
      ref: pair.ref,
      label: pair.ref,
      before: pair.before,
      after: pair.after,
      specPath: ['spec'],
    }),
  );
  const templates = pairsOnBothSides(input, ['StatefulSet']).flatMap(
    templatePairs,
  );
  return [...claims, ...templates];
}

function templatePairs(pair: ObjectPair): ClaimPair[] {
  const templates = (object: K8sObject | undefined) =>
    recordsAt(object, 'spec', 'volumeClaimTemplates');
  const before = templates(pair.before);
  return templates(pair.after).flatMap(template => {
    const name = stringAt(template, 'metadata', 'name');
    const previous = before.find(
      old => stringAt(old, 'metadata', 'name') === name,
    );
    if (!name || !previous) return [];
    return [
      {
        ref: pair.ref,
        label: `${pair.ref} claim template "${name}"`,
        before: previous,
        after: template,
        specPath: ['spec', 'volumeClaimTemplates', { name }, 'spec'],
      },
    ];
  });
}

function requestedBytes(claim: unknown): number | undefined {
  try {
    return optionalQuantity(
      valueAt(claim, 'spec', 'resources', 'requests', 'storage'),
    );
  } catch {
    return undefined;
  }
}

export const pvcShrink: RiskRule = {
  id: 'pvc-shrink',
  title: 'Volume claim shrinks',
  severity: 'high',
  check: input =>
    claimPairs(input).flatMap((claim): RuleFinding[] => {
      const before = requestedBytes(claim.before);
      const after = requestedBytes(claim.after);
      if (before === undefined || after === undefined || after >= before) {
        return [];
      }
      const [from, to] = [formatBytes(before), formatBytes(after)];
      const template =
        claim.label === claim.ref ? '' : ' (claim templates are immutable too)';
      return [
        {
          message: `${claim.label} shrinks from ${from} to ${to}: Kubernetes cannot shrink a volume, so the apply fails${template}.`,
          object: claim.ref,
          path: formatPath([
            ...claim.specPath,
            'resources',
            'requests',
            'storage',
          ]),
          fix: `Keep the requested storage at ${from} or more.`,
        },
      ];
    }),
};

function storageClassOf(claim: unknown): string {
  return stringAt(claim, 'spec', 'storageClassName') ?? '(default)';
}

export const storageClassChanged: RiskRule = {
  id: 'storage-class-changed',
  title: 'Storage class changed',
  severity: 'high',
  check: input =>
    claimPairs(input).flatMap(claim => {
      const from = storageClassOf(claim.before);
      const to = storageClassOf(claim.after);
      if (from === to) return [];
      return [
        {
          message: `${claim.label} changes storage class from ${from} to ${to}: the class of a claim cannot change, so it must be recreated, and its data does not move with it.`,
          object: claim.ref,
          path: formatPath([...claim.specPath, 'storageClassName']),
          fix: 'Keep the existing storage class, or plan a data migration to a new claim.',
        },
      ];
    }),
};
