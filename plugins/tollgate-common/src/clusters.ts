import { z } from 'zod';

/** Where a cluster runs; drives which price list and billing importer apply. */
export const CLOUD_PROVIDERS = [
  'aws',
  'gcp',
  'azure',
  'on-prem',
  'other',
] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** A Kubernetes cluster registered with Tollgate. */
export interface Cluster {
  id: string;
  name: string;
  displayName: string;
  provider: CloudProvider;
  region: string;
  environment: string;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

// RFC 1123 DNS label, as Kubernetes uses for namespace names.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const name = z
  .string()
  .min(1, 'Name is required')
  .max(63, 'Name must be at most 63 characters')
  .regex(
    DNS_LABEL,
    'Name must be a DNS label: lowercase letters, digits and hyphens, starting and ending with a letter or digit',
  );

const text = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);

const metadata = z
  .record(z.string().min(1).max(63), z.string().max(1024))
  .refine(m => Object.keys(m).length <= 50, {
    message: 'Metadata may hold at most 50 entries',
  });

/** What a user supplies to register a cluster. */
export const clusterCreateSchema = z.strictObject({
  name,
  displayName: text('Display name', 120).optional(),
  provider: z.enum(CLOUD_PROVIDERS, {
    error: issue =>
      issue.input === undefined || issue.input === ''
        ? `Provider is required: choose one of ${CLOUD_PROVIDERS.join(', ')}`
        : `Provider must be one of ${CLOUD_PROVIDERS.join(', ')}`,
  }),
  region: text('Region', 64),
  environment: z
    .string()
    .min(1, 'Environment is required')
    .max(63, 'Environment must be at most 63 characters')
    .regex(
      DNS_LABEL,
      'Environment must be lowercase letters, digits and hyphens, such as staging or production',
    ),
  metadata: metadata.optional(),
});
export type ClusterCreateRequest = z.input<typeof clusterCreateSchema>;

/** What a user may change on a registered cluster; the name is fixed. */
export const clusterUpdateSchema = clusterCreateSchema
  .omit({ name: true })
  .partial()
  .refine(patch => Object.keys(patch).length > 0, {
    message: 'Provide at least one field to change',
  });
export type ClusterUpdateRequest = z.input<typeof clusterUpdateSchema>;

/** Turns zod issues into `{ field: message }`, for forms and API errors. */
export function describeIssues(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join('.') || '(body)';
    fields[field] ??= issue.message;
  }
  return fields;
}
