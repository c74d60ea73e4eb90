import { z } from 'zod';

/** One entry of the hash-chained audit log, as the API returns it. */
export interface AuditLogEntry {
  id: number;
  occurredAt: string;
  /** User entity ref, service subject, or `config:...` for startup work. */
  actor: string;
  /** Dotted verb such as `cluster.create` or `promotion.approve`. */
  action: string;
  targetType: string;
  targetId: string;
  requestId: string;
  /** Client IP as the backend saw it (proxy-aware), `internal`, or null for old rows. */
  sourceIp: string | null;
  /** Before/after summary; never secrets. */
  details: Record<string, unknown>;
  /** The previous entry's hash; 64 zeros for the first entry. */
  previousHash: string;
  /** SHA-256 (hex) over the canonical JSON of this entry's content and previousHash. */
  hash: string;
}

/** Answer of `GET /v1/audit/verify`. */
export interface AuditVerification {
  ok: boolean;
  /** Entries checked, up to and including the first broken one. */
  checked: number;
  firstBroken?: {
    id: number;
    reason: 'hash mismatch' | 'previous hash mismatch';
  };
}

const timestamp = (what: string) =>
  z.iso.datetime({
    offset: true,
    error: `${what} must be an ISO 8601 date-time, such as 2026-12-01T00:00:00Z`,
  });

const text = z.string().trim().min(1).max(255);

/** Filters of `GET /v1/audit/logs` and `GET /v1/audit/export`. */
export const auditLogFilterSchema = z.strictObject({
  actor: text.optional(),
  action: text.optional(),
  targetType: text.optional(),
  targetId: text.optional(),
  /** Inclusive lower bound of `occurredAt`. */
  from: timestamp('from').optional(),
  /** Exclusive upper bound of `occurredAt`. */
  to: timestamp('to').optional(),
});
export type AuditLogFilter = z.infer<typeof auditLogFilterSchema>;

/** Query of `GET /v1/audit/logs`: the filters and a page, newest first. */
export const auditLogQuerySchema = auditLogFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AuditLogQuery = z.infer<typeof auditLogQuerySchema>;

/** Query of `GET /v1/audit/export`: the filters, in chain order (oldest first). */
export const auditExportQuerySchema = auditLogFilterSchema.extend({
  format: z
    .enum(['csv', 'json'], { error: 'Format must be csv or json' })
    .default('csv'),
});
export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;
