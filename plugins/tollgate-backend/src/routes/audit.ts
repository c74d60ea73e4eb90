import { pipeline } from 'node:stream/promises';
import Router from 'express-promise-router';
import {
  auditExportQuerySchema,
  auditLogQuerySchema,
  tollgateAuditReadPermission,
} from '@tollgate/plugin-tollgate-common';
import type { AuditLogService } from '../services/AuditLogService';
import {
  auditCsv,
  auditExportFilename,
  auditJson,
} from '../services/auditExport';
import { parse, type Authorize } from './authorize';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** `/v1/audit`: read, export and verify the hash-chained audit log. */
export function auditRoutes(authorize: Authorize, auditLog: AuditLogService) {
  const router = Router();

  router.get('/v1/audit/logs', async (req, res) => {
    await authorize(req, tollgateAuditReadPermission);
    const query = parse(auditLogQuerySchema, req.query, 'audit log query');
    res.json(await auditLog.list(query));
  });

  router.get('/v1/audit/export', async (req, res) => {
    await authorize(req, tollgateAuditReadPermission);
    const { format, ...filter } = parse(
      auditExportQuerySchema,
      req.query,
      'audit export query',
    );
    const entries = auditLog.entries(filter);
    const filename = auditExportFilename(format, new Date());
    res.attachment(filename);
    res.type(CONTENT_TYPES[format]);
    await pipeline(
      format === 'csv' ? auditCsv(entries) : auditJson(entries),
      res,
    );
  });

  router.get('/v1/audit/verify', async (req, res) => {
    await authorize(req, tollgateAuditReadPermission);
    res.json(await auditLog.verify());
  });

  return router;
}
