import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { AgentStatus } from '@tollgate/plugin-tollgate-common';

const LABELS: Record<AgentStatus, string> = {
  connected: 'Connected',
  stale: 'Stale',
  offline: 'Offline',
  'never-connected': 'Never connected',
  revoked: 'Token revoked',
};

/** Icon and words, never colour alone. */
export function AgentStatusLabel(props: { status: AgentStatus }) {
  const label = LABELS[props.status];
  switch (props.status) {
    case 'connected':
      return <StatusOK>{label}</StatusOK>;
    case 'stale':
      return <StatusWarning>{label}</StatusWarning>;
    case 'offline':
      return <StatusError>{label}</StatusError>;
    case 'revoked':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}
