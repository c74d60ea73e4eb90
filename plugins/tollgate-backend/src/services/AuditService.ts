import type { TollgateStores } from '../stores/TollgateStores';

/** Who did something and under which request: attached to every audit entry. */
export interface RequestContext {
  /** User entity ref, or the subject of a service principal. */
  actor: string;
  requestId: string;
}

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
 * (and a future hash chain) lives in one place.
 */
export class AuditService {
  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Appends within the caller's transaction, so the change and its record commit together. */
  async record(
    stores: TollgateStores,
    context: RequestContext,
    event: AuditEvent,
  ): Promise<void> {
    await stores.audit.append(
      { ...event, actor: context.actor, requestId: context.requestId },
      this.clock(),
    );
  }
}
