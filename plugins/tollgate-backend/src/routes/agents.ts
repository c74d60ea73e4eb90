import Router from 'express-promise-router';
import {
  tollgateAgentTokenManagePermission,
  tollgateClusterReadPermission,
} from '@tollgate/plugin-tollgate-common';
import type { AgentService } from '../services/AgentService';
import type { ClusterService } from '../services/ClusterService';
import type { InventoryService } from '../services/InventoryService';
import type { Authorize } from './authorize';

const queryString = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

/** A cluster's agent, its token, and what it reported. */
export function agentRoutes(
  authorize: Authorize,
  clusters: ClusterService,
  agents: AgentService,
  inventory: InventoryService,
) {
  const router = Router();
  const load = (id: string) => () => clusters.get(id);

  router.post('/v1/clusters/:id/agent-token', async (req, res) => {
    const context = await authorize(
      req,
      tollgateAgentTokenManagePermission,
      load(req.params.id),
    );
    res.status(201).json(await agents.issueToken(req.params.id, context));
  });

  router.delete('/v1/clusters/:id/agent-token', async (req, res) => {
    const context = await authorize(
      req,
      tollgateAgentTokenManagePermission,
      load(req.params.id),
    );
    await agents.revokeToken(req.params.id, context);
    res.status(204).end();
  });

  router.get('/v1/clusters/:id/agent-status', async (req, res) => {
    await authorize(req, tollgateClusterReadPermission, load(req.params.id));
    res.json(await agents.getInfo(req.params.id));
  });

  router.get('/v1/clusters/:id/agents', async (req, res) => {
    await authorize(req, tollgateClusterReadPermission, load(req.params.id));
    const info = await agents.getInfo(req.params.id);
    res.json({
      items:
        info.status === 'never-connected' && !info.tokenCreatedAt ? [] : [info],
    });
  });

  router.get('/v1/clusters/:id/snapshots', async (req, res) => {
    await authorize(req, tollgateClusterReadPermission, load(req.params.id));
    res.json({ items: await inventory.listSnapshots(req.params.id) });
  });

  router.get('/v1/clusters/:id/objects', async (req, res) => {
    await authorize(req, tollgateClusterReadPermission, load(req.params.id));
    const items = await inventory.listObjects(req.params.id, {
      kind: queryString(req.query.kind),
      namespace: queryString(req.query.namespace),
      labelSelector: queryString(req.query.labelSelector),
    });
    res.json({ items });
  });

  router.get('/v1/clusters/:id/helm-releases', async (req, res) => {
    await authorize(req, tollgateClusterReadPermission, load(req.params.id));
    res.json({ items: await inventory.listHelmReleases(req.params.id) });
  });

  return router;
}
