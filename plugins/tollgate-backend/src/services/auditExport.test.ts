import { text } from 'node:stream/consumers';
import type { AuditLogEntry } from '@tollgate/plugin-tollgate-common';
import { auditCsv, auditExportFilename, auditJson } from './auditExport';

async function* entries(...items: AuditLogEntry[]) {
  yield* items;
}

const first: AuditLogEntry = {
  id: 1,
  occurredAt: '2026-12-01T10:00:00.000Z',
  actor: 'user:default/alice',
  action: 'cluster.update',
  targetType: 'cluster',
  targetId: 'prod, eu',
  requestId: 'req-1',
  sourceIp: '10.0.0.7',
  details: { after: { displayName: 'Say "hi"\nthen bye' } },
  previousHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};
const second: AuditLogEntry = {
  ...first,
  id: 2,
  targetId: 'plain',
  sourceIp: null,
  details: {},
  previousHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

describe('audit export', () => {
  it('writes RFC 4180 CSV: a header, CRLF, and quotes doubled inside quoted cells', async () => {
    expect(await text(auditCsv(entries(first, second)))).toBe(
      'id,occurredAt,actor,action,targetType,targetId,requestId,sourceIp,details,previousHash,hash\r\n' +
        `1,2026-12-01T10:00:00.000Z,user:default/alice,cluster.update,cluster,"prod, eu",req-1,10.0.0.7,"{""after"":{""displayName"":""Say \\""hi\\""\\nthen bye""}}",${'0'.repeat(
          64,
        )},${'a'.repeat(64)}\r\n` +
        `2,2026-12-01T10:00:00.000Z,user:default/alice,cluster.update,cluster,plain,req-1,,{},${'a'.repeat(
          64,
        )},${'b'.repeat(64)}\r\n`,
    );
  });

  it('writes only the header for no entries', async () => {
    expect(await text(auditCsv(entries()))).toBe(
      'id,occurredAt,actor,action,targetType,targetId,requestId,sourceIp,details,previousHash,hash\r\n',
    );
  });

  it('writes a JSON array', async () => {
    expect(JSON.parse(await text(auditJson(entries(first, second))))).toEqual([
      first,
      second,
    ]);
    expect(await text(auditJson(entries()))).toBe('[]');
  });

  it('names the file after the format and the time', () => {
    expect(
      auditExportFilename('csv', new Date('2026-12-02T10:15:00.123Z')),
    ).toBe('tollgate-audit-20261202T101500Z.csv');
  });
});
