import type { CloudProvider } from '@tollgate/plugin-tollgate-common';

export const PROVIDER_LABELS: Record<CloudProvider, string> = {
  aws: 'AWS',
  gcp: 'Google Cloud',
  azure: 'Azure',
  'on-prem': 'On-premises',
  other: 'Other',
};
