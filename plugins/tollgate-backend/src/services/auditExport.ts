import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AuditLogEntry } from '@tollgate/plugin-tollgate-common';

/** CSV columns, named as the JSON fields are; `details` holds its JSON. */
const CSV_COLUMNS: Array<keyof AuditLogEntry> = [
  'id',
  'occurredAt',
  'actor',
  'action',
  'targetType',
  'targetId',
  'requestId',
  'sourceIp',
  'details',
  'previousHash',
  'hash',
];

/** RFC 4180 CSV (CRLF, quotes doubled) with a header row, streamed. */
export function auditCsv(entries: AsyncIterable<AuditLogEntry>): Readable {
  // Values are exported as stored, so hashes can be recomputed from the file.
  return Readable.from(entries).pipe(
    stringify({
      header: true,
      columns: CSV_COLUMNS,
      record_delimiter: 'windows',
      cast: { object: value => JSON.stringify(value) },
    }),
  );
}

/** A JSON array of the entries, streamed. */
export function auditJson(entries: AsyncIterable<AuditLogEntry>): Readable {
  return Readable.from(jsonArray(entries));
}

async function* jsonArray(entries: AsyncIterable<AuditLogEntry>) {
  let separator = '';
  yield '[';
  for await (const entry of entries) {
    yield `${separator}${JSON.stringify(entry)}`;
    separator = ',';
  }
  yield ']';
}

/** `tollgate-audit-20261202T101500Z.csv` */
export function auditExportFilename(format: 'csv' | 'json', now: Date) {
  const stamp = now.toISOString().replace(/[-:]|\.\d+/g, '');
  return `tollgate-audit-${stamp}.${format}`;
}
