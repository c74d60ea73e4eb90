import type { Knex } from 'knex';
import { toIsoString } from './timestamps';

/** One entry of the audit log as stored. */
export interface AuditEntry {
  id: number;
  occurredAt: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string;
  details: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'occurredAt'>;

type AuditRow = {
  id: number | string;
  occurred_at: Date | string | number;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  request_id: string;
  details: string;
};

/** SQL for the append-only `audit_logs` table: it inserts and reads, never updates. */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  async append(entry: NewAuditEntry, now: Date): Promise<void> {
    await this.db<AuditRow>('audit_logs').insert({
      occurred_at: now,
      actor: entry.actor,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      request_id: entry.requestId,
      details: JSON.stringify(entry.details),
    });
  }

  async list(filter: { targetId?: string } = {}): Promise<AuditEntry[]> {
    const query = this.db<AuditRow>('audit_logs').orderBy('id');
    if (filter.targetId) query.where('target_id', filter.targetId);
    return (await query).map(row => ({
      id: Number(row.id),
      occurredAt: toIsoString(row.occurred_at),
      actor: row.actor,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      requestId: row.request_id,
      details: JSON.parse(row.details),
    }));
  }
}
