import express from 'express';
import Router from 'express-promise-router';
import {
  deltaBatchSchema,
  heartbeatSchema,
  snapshotBatchSchema,
} from '@tollgate/plugin-tollgate-common';
import type { IngestService } from '../services/IngestService';
import { parse } from './authorize';

/** Largest agent body after gzip inflation: a 5,000-object snapshot part fits. */
const AGENT_BODY_LIMIT = '32mb';

/**
 * `/v1/agent/*`: what agents push. Authenticated by the cluster's agent token,
 * not by Backstage credentials. Bodies may be gzip-encoded.
 */
export function ingestRoutes(ingest: IngestService) {
  const router = Router();
  router.use(
    '/v1/agent',
    express.json({ limit: AGENT_BODY_LIMIT, inflate: true }),
  );

  router.post('/v1/agent/heartbeat', async (req, res) => {
    const agent = await ingest.authenticate(req.header('authorization'));
    const heartbeat = parse(heartbeatSchema, req.body, 'heartbeat');
    res.json(await ingest.heartbeat(agent, heartbeat));
  });

  router.post('/v1/agent/snapshots', async (req, res) => {
    const agent = await ingest.authenticate(req.header('authorization'));
    const batch = parse(snapshotBatchSchema, req.body, 'snapshot batch');
    res.json(await ingest.applySnapshot(agent, batch));
  });

  router.post('/v1/agent/deltas', async (req, res) => {
    const agent = await ingest.authenticate(req.header('authorization'));
    const batch = parse(deltaBatchSchema, req.body, 'delta batch');
    res.json(await ingest.applyDeltas(agent, batch));
  });

  return router;
}
