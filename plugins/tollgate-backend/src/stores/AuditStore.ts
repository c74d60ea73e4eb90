import type { Knex } from 'knex';
import type {
  AuditLogEntry,
  AuditLogFilter,
} from '@tollgate/plugin-tollgate-common';
import { canonicalJson, sha256Hex } from '../services/canonicalJson';
import type { Page } from './PromotionStore';
import { toIsoString } from './timestamps';

/** `previous_hash` of the first entry of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller appends; the store adds id, time and the chain hashes. */
export interface NewAuditEntry {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string;
  /** Omitted for work without a client; stored as null. */
  sourceIp?: string | null;
  details: Record<string, unknown>;
}

/** What the row hash covers: everything but `id` and the hash itself. */
export type HashedAuditContent = Omit<AuditLogEntry, 'id' | 'hash'>;

/** Serializes appends across backend replicas sharing one PostgreSQL database. */
const POSTGRES_APPEND_LOCK = 0x746f6c6c; // "toll" in ASCII; any fixed key works
const SCAN_BATCH = 500;

type AuditRow = {
  id: number | string;
  occurred_at: Date | string | number;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  request_id: string;
  source_ip: string | null;
  details: string;
  previous_hash: string;
  hash: string;
};

/**
 * SQL for the append-only, hash-chained `audit_logs` table: it inserts and
 * reads, never updates or deletes (the database refuses both).
 */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  /**
   * Appends one entry linked to the current head. Runs in a (nested)
   * transaction holding the append lock until the outermost one commits, so
   * concurrent appends from several replicas form one chain.
   */
  append(entry: NewAuditEntry, now: Date): Promise<AuditLogEntry> {
    return this.db.transaction(async trx => {
      await lockAppends(trx);
      const head = await trx<AuditRow>('audit_logs')
        .select('hash')
        .orderBy('id', 'desc')
        .first();
      const content = toHashedContent(entry, now, head?.hash ?? GENESIS_HASH);
      const hash = auditEntryHash(content);
      const [inserted] = await trx<AuditRow>('audit_logs')
        .insert(toRow(content, hash))
        .returning('id');
      return { ...content, id: Number(idOf(inserted)), hash };
    });
  }

  /**
   * Runs `callback` once the transaction this store works in has committed
   * (never after a rollback), or at once outside a transaction.
   */
  afterCommit(callback: () => unknown): void {
    if (!this.db.isTransaction) {
      callback();
      return;
    }
    (this.db as Knex.Transaction).executionPromise.then(callback, () => {});
  }

  /** Every matching entry, oldest first. */
  async list(filter: AuditLogFilter = {}): Promise<AuditLogEntry[]> {
    const rows = await applyFilter(this.db('audit_logs'), filter).orderBy('id');
    return rows.map(fromRow);
  }

  /** One page of matching entries, newest first, with how many match. */
  async page(
    filter: AuditLogFilter,
    page: Page,
  ): Promise<{ items: AuditLogEntry[]; total: number }> {
    const filtered = () => applyFilter(this.db('audit_logs'), filter);
    const [{ n }] = await filtered().count({ n: '*' });
    const rows: AuditRow[] = await filtered()
      .select('*')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset);
    return { items: rows.map(fromRow), total: Number(n) };
  }

  /** Matching entries in chain (id) order, read in batches. */
  async *scan(filter: AuditLogFilter = {}): AsyncGenerator<AuditLogEntry> {
    let afterId = 0;
    for (;;) {
      const rows: AuditRow[] = await applyFilter(this.db('audit_logs'), filter)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(SCAN_BATCH);
      for (const row of rows) yield fromRow(row);
      if (rows.length < SCAN_BATCH) return;
      afterId = Number(rows[rows.length - 1].id);
    }
  }
}

/**
 * SHA-256 over the canonical JSON of the entry's content and the previous
 * hash. The migration that introduced the chain hashes old rows the same way.
 */
export function auditEntryHash(content: HashedAuditContent): string {
  return sha256Hex(
    canonicalJson({
      occurredAt: content.occurredAt,
      actor: content.actor,
      action: content.action,
      targetType: content.targetType,
      targetId: content.targetId,
      requestId: content.requestId,
      sourceIp: content.sourceIp,
      details: content.details,
      previousHash: content.previousHash,
    }),
  );
}

async function lockAppends(trx: Knex.Transaction): Promise<void> {
  // SQLite allows one writer at a time, so only PostgreSQL needs the lock.
  if (trx.client.config.client === 'pg') {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [POSTGRES_APPEND_LOCK]);
  }
}

function toHashedContent(
  entry: NewAuditEntry,
  now: Date,
  previousHash: string,
): HashedAuditContent {
  return {
    occurredAt: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    requestId: entry.requestId,
    sourceIp: entry.sourceIp ?? null,
    // As it reads back from the database: no undefined, no Date objects.
    details: JSON.parse(JSON.stringify(entry.details)),
    previousHash,
  };
}

function toRow(
  content: HashedAuditContent,
  hash: string,
): Omit<AuditRow, 'id'> {
  return {
    occurred_at: new Date(content.occurredAt),
    actor: content.actor,
    action: content.action,
    target_type: content.targetType,
    target_id: content.targetId,
    request_id: content.requestId,
    source_ip: content.sourceIp,
    details: JSON.stringify(content.details),
    previous_hash: content.previousHash,
    hash,
  };
}

function idOf(inserted: { id: number | string } | number | string) {
  return typeof inserted === 'object' ? inserted.id : inserted;
}

function applyFilter(query: Knex.QueryBuilder, filter: AuditLogFilter) {
  if (filter.actor) query.where('actor', filter.actor);
  if (filter.action) query.where('action', filter.action);
  if (filter.targetType) query.where('target_type', filter.targetType);
  if (filter.targetId) query.where('target_id', filter.targetId);
  if (filter.from) query.where('occurred_at', '>=', new Date(filter.from));
  if (filter.to) query.where('occurred_at', '<', new Date(filter.to));
  return query;
}

function fromRow(row: AuditRow): AuditLogEntry {
  return {
    id: Number(row.id),
    occurredAt: toIsoString(row.occurred_at),
    actor: row.actor,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    requestId: row.request_id,
    sourceIp: row.source_ip,
    details: parseDetails(row.details),
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/** Details as stored; text altered into invalid JSON still reads (and fails verification). */
function parseDetails(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch {
    return { invalidJson: text };
  }
}
