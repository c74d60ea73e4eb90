import Router from 'express-promise-router';
import {
  clusterCreateSchema,
  clusterUpdateSchema,
  tollgateClusterCreatePermission,
  tollgateClusterDeletePermission,
  tollgateClusterReadPermission,
  tollgateClusterUpdatePermission,
} from '@tollgate/plugin-tollgate-common';
import type { ClusterService } from '../services/ClusterService';
import { parse, type Authorize } from './authorize';

const queryString = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

/** `/v1/clusters`: register, list, read, change and remove clusters. */
export function clusterRoutes(authorize: Authorize, clusters: ClusterService) {
  const router = Router();

  router.get('/v1/clusters', async (req, res) => {
    const { filter } = await authorize.filter(
      req,
      tollgateClusterReadPermission,
    );
    const items = await clusters.list(
      {
        environment: queryString(req.query.environment),
        provider: queryString(req.query.provider),
      },
      filter,
    );
    res.json({ items });
  });

  router.post('/v1/clusters', async (req, res) => {
    const context = await authorize(req, tollgateClusterCreatePermission);
    const registration = parse(clusterCreateSchema, req.body, 'cluster');
    res.status(201).json(await clusters.create(registration, context));
  });

  const load = (id: string) => () => clusters.get(id);

  router.get('/v1/clusters/:id', async (req, res) => {
    await authorize(req, tollgateClusterReadPermission, load(req.params.id));
    res.json(await clusters.get(req.params.id));
  });

  router.patch('/v1/clusters/:id', async (req, res) => {
    const context = await authorize(
      req,
      tollgateClusterUpdatePermission,
      load(req.params.id),
    );
    const changes = parse(clusterUpdateSchema, req.body, 'cluster change');
    res.json(await clusters.update(req.params.id, changes, context));
  });

  router.delete('/v1/clusters/:id', async (req, res) => {
    const context = await authorize(
      req,
      tollgateClusterDeletePermission,
      load(req.params.id),
    );
    await clusters.delete(req.params.id, context);
    res.status(204).end();
  });

  return router;
}
