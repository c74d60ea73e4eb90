import { K8sObject, arrayAt, recordsAt, stringAt } from '../objects';
import { pairsAfter, pairsOnBothSides } from './helpers';
import { RiskRule, RuleFinding } from './types';

const EXPOSED_TYPES: Record<string, 'high' | 'medium'> = {
  LoadBalancer: 'high',
  NodePort: 'medium',
};

const EXPOSURE: Record<string, string> = {
  LoadBalancer: 'from outside the cluster and adds a billed load balancer',
  NodePort: 'from outside the cluster on every node',
};

export const serviceExposed: RiskRule = {
  id: 'service-exposed',
  title: 'Service exposed outside the cluster',
  severity: 'high',
  check: input =>
    pairsAfter(input, ['Service']).flatMap(pair => {
      const type = stringAt(pair.after, 'spec', 'type') ?? 'ClusterIP';
      const previous = pair.before
        ? stringAt(pair.before, 'spec', 'type') ?? 'ClusterIP'
        : undefined;
      const severity = EXPOSED_TYPES[type];
      if (!severity || previous === type) return [];
      const finding: RuleFinding = {
        severity,
        message: previous
          ? `${pair.ref} changes from ${previous} to ${type}: it becomes reachable ${EXPOSURE[type]}.`
          : `${pair.ref} is new and of type ${type}: it is reachable ${EXPOSURE[type]}.`,
        object: pair.ref,
        path: 'spec.type',
        fix: 'Keep the Service ClusterIP and expose it through the Ingress, unless external access is intended.',
      };
      return [finding];
    }),
};

function ingressHosts(ingress: K8sObject | undefined): string[] {
  return recordsAt(ingress, 'spec', 'rules')
    .map(rule => rule.host)
    .filter((host): host is string => typeof host === 'string')
    .sort();
}

function tlsHosts(ingress: K8sObject | undefined): string[] {
  return recordsAt(ingress, 'spec', 'tls')
    .flatMap(entry => arrayAt(entry, 'hosts'))
    .filter((host): host is string => typeof host === 'string')
    .sort();
}

function difference(a: string[], b: string[]): string[] {
  return a.filter(item => !b.includes(item));
}

export const ingressHostChanged: RiskRule = {
  id: 'ingress-host-changed',
  title: 'Ingress hosts changed',
  severity: 'medium',
  check: input =>
    pairsOnBothSides(input, ['Ingress']).flatMap(pair => {
      const before = ingressHosts(pair.before);
      const after = ingressHosts(pair.after);
      const removed = difference(before, after);
      const added = difference(after, before);
      if (removed.length === 0 && added.length === 0) return [];
      const change = [
        ...(removed.length ? [`stops serving ${removed.join(', ')}`] : []),
        ...(added.length ? [`starts serving ${added.join(', ')}`] : []),
      ].join(' and ');
      return [
        {
          message: `${pair.ref} ${change}: check DNS, certificates and clients of the old hosts.`,
          object: pair.ref,
          path: 'spec.rules',
          fix: "Make sure the hosts are the target environment's, not the source's (e.g. staging hostnames in production).",
        },
      ];
    }),
};

export const ingressTlsChanged: RiskRule = {
  id: 'ingress-tls-changed',
  title: 'Ingress TLS changed',
  severity: 'medium',
  check: input =>
    pairsOnBothSides(input, ['Ingress']).flatMap((pair): RuleFinding[] => {
      const before = recordsAt(pair.before, 'spec', 'tls');
      const after = recordsAt(pair.after, 'spec', 'tls');
      if (before.length > 0 && after.length === 0) {
        return [
          {
            severity: 'high',
            message: `${pair.ref} drops TLS: its hosts would be served over plain HTTP.`,
            object: pair.ref,
            path: 'spec.tls',
            fix: 'Keep the tls section (hosts and secretName) of the target.',
          },
        ];
      }
      const hostsChanged =
        tlsHosts(pair.before).join() !== tlsHosts(pair.after).join();
      const secrets = (list: typeof before) =>
        list
          .map(entry => String(entry.secretName))
          .sort()
          .join();
      if (!hostsChanged && secrets(before) === secrets(after)) return [];
      return [
        {
          message: `${pair.ref} changes its TLS hosts or certificate secret: a certificate that does not cover the hosts breaks HTTPS.`,
          object: pair.ref,
          path: 'spec.tls',
          fix: 'Check the certificate in the target namespace covers every host.',
        },
      ];
    }),
};
