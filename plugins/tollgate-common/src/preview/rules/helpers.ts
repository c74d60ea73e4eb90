import { ObjectMatch } from '../diff';
import { ContainerEntry, containersOf, podSpecOf } from '../kinds';
import { JsonRecord, K8sObject, objectRef } from '../objects';
import { PathSegment, containerPath } from '../paths';
import { RuleInput } from './types';

/** An object before and/or after promotion, with the name findings use. */
export interface ObjectPair {
  before?: K8sObject;
  after?: K8sObject;
  ref: string;
  kind: string;
}

export function pairOf(match: ObjectMatch): ObjectPair {
  const object = (match.after ?? match.before) as K8sObject;
  return {
    before: match.before,
    after: match.after,
    ref: objectRef(object),
    kind: object.kind,
  };
}

/** Objects of these kinds that exist after promotion (changed or new). */
export function pairsAfter(
  input: RuleInput,
  kinds: readonly string[],
): ObjectPair[] {
  return input.matches
    .filter(match => match.after && kinds.includes(match.after.kind))
    .map(pairOf);
}

/** Objects of these kinds present on both sides. */
export function pairsOnBothSides(
  input: RuleInput,
  kinds: readonly string[],
): ObjectPair[] {
  return pairsAfter(input, kinds).filter(pair => pair.before);
}

export const POD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
];

/** A container after promotion and the same-named one before, if any. */
export interface ContainerPair {
  name: string;
  /** `Deployment/web container "app"`, for messages. */
  label: string;
  before?: JsonRecord;
  after: JsonRecord;
  /** Path of a field of the container after promotion. */
  path(...rest: PathSegment[]): string;
  entry: ContainerEntry;
}

export function containerPairs(pair: ObjectPair): ContainerPair[] {
  if (!pair.after) return [];
  const previous = pair.before ? containersOf(podSpecOf(pair.before)) : [];
  return containersOf(podSpecOf(pair.after)).map(entry => ({
    name: entry.name,
    label: `${pair.ref} container "${entry.name}"`,
    before: previous.find(
      old => old.name === entry.name && old.list === entry.list,
    )?.spec,
    after: entry.spec,
    path: (...rest: PathSegment[]) => containerPath(pair.kind, entry, ...rest),
    entry,
  }));
}

/** Every container pair of every pod-bearing object after promotion. */
export function allContainerPairs(
  input: RuleInput,
): Array<{ pair: ObjectPair; container: ContainerPair }> {
  return pairsAfter(input, POD_KINDS).flatMap(pair =>
    containerPairs(pair).map(container => ({ pair, container })),
  );
}
