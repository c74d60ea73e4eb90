import {
  hpaMaxBelowReplicas,
  livenessProbeRemoved,
  pdbRemoved,
  pdbUnsatisfiable,
  readinessProbeRemoved,
  recreateStrategy,
  replicasReduced,
  singleReplica,
} from './availability';
import {
  insufficientCapacity,
  limitsRemoved,
  memoryLimitBelowUsage,
  quotaExceeded,
  requestsRemoved,
} from './capacity';
import {
  imageDigestDropped,
  imageLatestTag,
  imageRegistryChanged,
} from './images';
import { costGuardrail, deprecatedApi, targetDrift } from './lifecycle';
import {
  ingressHostChanged,
  ingressTlsChanged,
  serviceExposed,
} from './networking';
import { envVarRemoved, missingReference } from './references';
import {
  capabilitiesAdded,
  hostNamespaces,
  privilegeEscalationAllowed,
  privilegedContainer,
  runAsNonRootRemoved,
} from './security';
import { pvcShrink, storageClassChanged } from './storage';
import { RiskRule } from './types';

/** Every built-in rule, in the order they are documented. */
export const RISK_RULES: readonly RiskRule[] = [
  replicasReduced,
  singleReplica,
  pdbRemoved,
  pdbUnsatisfiable,
  readinessProbeRemoved,
  livenessProbeRemoved,
  recreateStrategy,
  hpaMaxBelowReplicas,
  requestsRemoved,
  limitsRemoved,
  memoryLimitBelowUsage,
  quotaExceeded,
  insufficientCapacity,
  imageLatestTag,
  imageDigestDropped,
  imageRegistryChanged,
  privilegedContainer,
  hostNamespaces,
  capabilitiesAdded,
  runAsNonRootRemoved,
  privilegeEscalationAllowed,
  serviceExposed,
  ingressHostChanged,
  ingressTlsChanged,
  envVarRemoved,
  missingReference,
  pvcShrink,
  storageClassChanged,
  deprecatedApi,
  costGuardrail,
  targetDrift,
];

export * from './types';
