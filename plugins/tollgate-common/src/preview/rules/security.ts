import { podSpecOf } from '../kinds';
import { K8sObject, arrayAt, booleanAt, valueAt } from '../objects';
import { podSpecFieldPath } from '../paths';
import { POD_KINDS, allContainerPairs, pairsAfter } from './helpers';
import { RiskRule, RuleFinding } from './types';

export const privilegedContainer: RiskRule = {
  id: 'privileged-container',
  title: 'Privileged container',
  severity: 'critical',
  check: input =>
    allContainerPairs(input)
      .filter(
        ({ container }) =>
          booleanAt(container.after, 'securityContext', 'privileged') ===
            true &&
          booleanAt(container.before, 'securityContext', 'privileged') !== true,
      )
      .map(({ pair, container }) => ({
        message: `${container.label} becomes privileged: it gets full access to its node.`,
        object: pair.ref,
        path: container.path('securityContext', 'privileged'),
        fix: 'Remove privileged: true; grant only the capabilities actually needed.',
      })),
};

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;
const HOST_NAMESPACE_NAMES = {
  hostNetwork: 'network',
  hostPID: 'process',
  hostIPC: 'IPC',
};

export const hostNamespaces: RiskRule = {
  id: 'host-namespaces',
  title: 'Host namespaces shared',
  severity: 'high',
  check: input =>
    pairsAfter(input, POD_KINDS).flatMap(pair =>
      HOST_NAMESPACES.filter(
        field =>
          booleanAt(podSpecOf(pair.after as K8sObject), field) === true &&
          !(pair.before && booleanAt(podSpecOf(pair.before), field) === true),
      ).map(field => ({
        message: `${pair.ref} turns on ${field}: its pods share the node's ${HOST_NAMESPACE_NAMES[field]} namespace and can see or reach host processes and traffic.`,
        object: pair.ref,
        path: podSpecFieldPath(pair.kind, field),
        fix: `Remove ${field} unless the workload is node infrastructure that needs it.`,
      })),
    ),
};

const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'DAC_READ_SEARCH',
  'NET_RAW',
  'BPF',
]);

function addedCapabilities(container: unknown): string[] {
  return arrayAt(valueAt(container, 'securityContext', 'capabilities'), 'add')
    .filter((cap): cap is string => typeof cap === 'string')
    .map(cap => cap.toUpperCase().replace(/^CAP_/, ''));
}

export const capabilitiesAdded: RiskRule = {
  id: 'capabilities-added',
  title: 'Linux capabilities added',
  severity: 'medium',
  check: input =>
    allContainerPairs(input).flatMap(({ pair, container }) => {
      const before = new Set(addedCapabilities(container.before));
      const added = addedCapabilities(container.after).filter(
        cap => !before.has(cap),
      );
      if (added.length === 0) return [];
      const dangerous = added.some(cap => DANGEROUS_CAPABILITIES.has(cap));
      const names = added.join(', ');
      const warning = dangerous
        ? ', which can be used to escape the container'
        : '';
      const finding: RuleFinding = {
        severity: dangerous ? 'high' : 'medium',
        message: `${container.label} adds capabilities ${names}${warning}.`,
        object: pair.ref,
        path: container.path('securityContext', 'capabilities', 'add'),
        fix: 'Drop ALL capabilities and add back only what the process needs.',
      };
      return [finding];
    }),
};

function runsAsNonRoot(container: unknown, podSpec: unknown): boolean {
  return (
    (booleanAt(container, 'securityContext', 'runAsNonRoot') ??
      booleanAt(podSpec, 'securityContext', 'runAsNonRoot')) === true
  );
}

export const runAsNonRootRemoved: RiskRule = {
  id: 'run-as-non-root-removed',
  title: 'runAsNonRoot removed',
  severity: 'medium',
  check: input =>
    allContainerPairs(input)
      .filter(
        ({ pair, container }) =>
          pair.before &&
          container.before &&
          runsAsNonRoot(container.before, podSpecOf(pair.before)) &&
          !runsAsNonRoot(container.after, podSpecOf(pair.after as K8sObject)),
      )
      .map(({ pair, container }) => ({
        message: `${container.label} no longer has to run as non-root: the image's user, possibly root, applies.`,
        object: pair.ref,
        path: container.path('securityContext', 'runAsNonRoot'),
        fix: 'Keep runAsNonRoot: true (pod or container securityContext).',
      })),
};

export const privilegeEscalationAllowed: RiskRule = {
  id: 'privilege-escalation-allowed',
  title: 'Privilege escalation allowed',
  severity: 'medium',
  check: input =>
    allContainerPairs(input)
      .filter(
        ({ container }) =>
          booleanAt(
            container.before,
            'securityContext',
            'allowPrivilegeEscalation',
          ) === false &&
          booleanAt(
            container.after,
            'securityContext',
            'allowPrivilegeEscalation',
          ) !== false,
      )
      .map(({ pair, container }) => ({
        message: `${container.label} no longer forbids privilege escalation: setuid binaries can gain privileges.`,
        object: pair.ref,
        path: container.path('securityContext', 'allowPrivilegeEscalation'),
        fix: 'Keep allowPrivilegeEscalation: false.',
      })),
};
