import type { AuditorService } from '@backstage/backend-plugin-api';
import type { AuditLogEntry } from '@tollgate/plugin-tollgate-common';
import type { TollgateStores } from '../stores/TollgateStores';

/** Who did something and under which request: attached to every audit entry. */
export interface RequestContext {
  /** User entity ref, or the subject of a service principal. */
  actor: string;
  requestId: string;
  /**
   * The client's IP as Express sees it (`req.ip`, so `trust proxy` aware), or
   * {@link INTERNAL_SOURCE} for work the backend starts itself (startup
   * configuration, scheduled jobs). Stored as null when omitted.
   */
  sourceIp?: string;
}

/** `sourceIp` of work that no client asked for. */
export const INTERNAL_SOURCE = 'internal';

export interface AuditEvent {
  /** Dotted verb such as `cluster.create`. */
  action: string;
  targetType: string;
  targetId: string;
  /** Summary of the state before and after; never secrets. */
  details: Record<string, unknown>;
}

/**
 * The single way anything is written to the audit log, so the log's format
 * and its hash chain live in one place. With Backstage's auditor, each entry
 * is also emitted as an auditor event once its transaction has committed.
 */
export class AuditService {
  constructor(
    private readonly clock: () => Date = () => new Date(),
    private readonly auditor?: AuditorService,
  ) {}

  /** Appends within the caller's transaction, so the change and its record commit together. */
  async record(
    stores: TollgateStores,
    context: RequestContext,
    event: AuditEvent,
  ): Promise<void> {
    const entry = await stores.audit.append(
      {
        ...event,
        actor: context.actor,
        requestId: context.requestId,
        sourceIp: context.sourceIp,
      },
      this.clock(),
    );
    const auditor = this.auditor;
    if (auditor) stores.audit.afterCommit(() => emit(auditor, entry));
  }
}

/**
 * Best effort: the hash-chained table is the record, the auditor event a
 * copy for Backstage's audit pipeline.
 */
async function emit(auditor: AuditorService, entry: AuditLogEntry) {
  try {
    const event = await auditor.createEvent({
      eventId: entry.action.replace(/[^a-z0-9]+/gi, '-').toLowerCase(),
      severityLevel: 'medium',
      meta: {
        auditLogId: entry.id,
        actor: entry.actor,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        requestId: entry.requestId,
        sourceIp: entry.sourceIp,
        hash: entry.hash,
      },
    });
    await event.success();
  } catch {
    // The auditor logs its own failures; the change is committed either way.
  }
}
