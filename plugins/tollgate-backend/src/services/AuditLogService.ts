import type {
  AuditLogEntry,
  AuditLogFilter,
  AuditLogQuery,
  AuditVerification,
} from '@tollgate/plugin-tollgate-common';
import { auditEntryHash, GENESIS_HASH } from '../stores/AuditStore';
import type { TollgateStores } from '../stores/TollgateStores';

type BrokenReason = NonNullable<AuditVerification['firstBroken']>['reason'];

/** Reads, exports and verifies the hash-chained audit log. */
export class AuditLogService {
  constructor(private readonly stores: TollgateStores) {}

  /** A page of entries, newest first, with the number matching. */
  async list(query: AuditLogQuery) {
    const { limit, offset, ...filter } = query;
    const { items, total } = await this.stores.audit.page(filter, {
      limit,
      offset,
    });
    return { items, total, limit, offset };
  }

  /** Every matching entry in chain order, read lazily for exports. */
  entries(filter: AuditLogFilter): AsyncGenerator<AuditLogEntry> {
    return this.stores.audit.scan(filter);
  }

  /** Walks the whole chain in id order and names the first broken entry. */
  async verify(): Promise<AuditVerification> {
    let expectedPrevious = GENESIS_HASH;
    let checked = 0;
    for await (const entry of this.stores.audit.scan()) {
      checked += 1;
      const reason = brokenLink(entry, expectedPrevious);
      if (reason) {
        return { ok: false, checked, firstBroken: { id: entry.id, reason } };
      }
      expectedPrevious = entry.hash;
    }
    return { ok: true, checked };
  }
}

function brokenLink(
  entry: AuditLogEntry,
  expectedPrevious: string,
): BrokenReason | undefined {
  if (entry.previousHash !== expectedPrevious) return 'previous hash mismatch';
  if (auditEntryHash(entry) !== entry.hash) return 'hash mismatch';
  return undefined;
}
