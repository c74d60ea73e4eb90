import { randomUUID } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createTollgateConditionalDecision,
  tollgateClusterConditions,
  tollgateClusterDeletePermission,
  tollgateClusterReadPermission,
  tollgateClusterUpdatePermission,
  tollgatePromotionApprovePermission,
  tollgatePromotionConditions,
  tollgatePromotionReadPermission,
} from '@tollgate/plugin-tollgate-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { ScriptedPermissions } from '../__testUtils__/permissions';
import { promotionBetween } from '../__testUtils__/promotions';
import { tollgatePlugin } from '../plugin';
import { TollgateStores } from '../stores/TollgateStores';

jest.setTimeout(120_000);

const bob = `Bearer ${mockCredentials.user.token('user:default/bob')}`;
const { isInEnvironment, isCluster } = tollgateClusterConditions;
const { hasTargetEnvironment } = tollgatePromotionConditions;

describe('conditional permission decisions', () => {
  const databases = createTestDatabases();

  async function start(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const permissions = new ScriptedPermissions();
    const { server } = await startTestBackend({
      features: [
        tollgatePlugin,
        permissions.factory(),
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const call = (method: 'get' | 'post' | 'patch' | 'delete', path: string) =>
      request(server)
        [method](`/api/tollgate/v1${path}`)
        .set('Authorization', bob);
    const ids: Record<string, string> = {};
    for (const [name, environment] of [
      ['stg-1', 'staging'],
      ['prod-1', 'production'],
      ['prod-2', 'production'],
    ]) {
      const res = await call('post', '/clusters').send({
        name,
        provider: 'aws',
        region: 'eu-west-1',
        environment,
      });
      ids[name] = res.body.id;
    }
    return { permissions, call, ids, stores: new TollgateStores(knex) };
  }

  it.each(databases.eachSupportedId())(
    'lists only the clusters the conditions allow, filtered in SQL, on %p',
    async databaseId => {
      const { permissions, call } = await start(databaseId);
      const names = async (query = '') =>
        (await call('get', `/clusters${query}`)).body.items.map(
          (c: { name: string }) => c.name,
        );
      const readWhere = (
        conditions: Parameters<typeof createTollgateConditionalDecision>[1],
      ) =>
        permissions.set(
          tollgateClusterReadPermission.name,
          createTollgateConditionalDecision(
            tollgateClusterReadPermission,
            conditions,
          ),
        );

      expect(await names()).toEqual(['prod-1', 'prod-2', 'stg-1']);
      readWhere(isInEnvironment({ environments: ['production'] }));
      expect(await names()).toEqual(['prod-1', 'prod-2']);
      expect(await names('?environment=staging')).toEqual([]);
      readWhere({
        allOf: [
          isInEnvironment({ environments: ['production'] }),
          { not: isCluster({ clusters: ['prod-2'] }) },
        ],
      });
      expect(await names()).toEqual(['prod-1']);
      readWhere({
        anyOf: [
          isCluster({ clusters: ['stg-1'] }),
          isCluster({ clusters: ['prod-2'] }),
        ],
      });
      expect(await names()).toEqual(['prod-2', 'stg-1']);
      readWhere(isInEnvironment({ environments: [] }));
      expect(await names()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'checks single clusters against the conditions on %p',
    async databaseId => {
      const { permissions, call, ids } = await start(databaseId);
      const productionOnly = isInEnvironment({ environments: ['production'] });
      for (const permission of [
        tollgateClusterReadPermission,
        tollgateClusterUpdatePermission,
        tollgateClusterDeletePermission,
      ]) {
        permissions.set(
          permission.name,
          createTollgateConditionalDecision(permission, productionOnly),
        );
      }

      expect((await call('get', `/clusters/${ids['stg-1']}`)).status).toBe(403);
      expect((await call('get', `/clusters/${ids['prod-1']}`)).status).toBe(
        200,
      );
      expect(
        (await call('get', `/clusters/${ids['stg-1']}/agent-status`)).status,
      ).toBe(403);
      expect((await call('get', `/clusters/${randomUUID()}`)).status).toBe(404);

      const patch = (name: string) =>
        call('patch', `/clusters/${ids[name]}`).send({ region: 'us-east-1' });
      expect((await patch('stg-1')).status).toBe(403);
      expect((await patch('prod-1')).status).toBe(200);
      expect((await call('delete', `/clusters/${ids['stg-1']}`)).status).toBe(
        403,
      );
      expect((await call('delete', `/clusters/${ids['prod-2']}`)).status).toBe(
        204,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'lists and reads only promotions into allowed environments on %p',
    async databaseId => {
      const { permissions, call, stores } = await start(databaseId);
      const toStaging = promotionBetween('qa', 'staging');
      const toProduction = promotionBetween('staging', 'production');
      await stores.promotions.insert(toStaging, new Date());
      await stores.promotions.insert(toProduction, new Date());
      for (const permission of [
        tollgatePromotionReadPermission,
        tollgatePromotionApprovePermission,
      ]) {
        permissions.set(
          permission.name,
          createTollgateConditionalDecision(
            permission,
            hasTargetEnvironment({ environments: ['staging'] }),
          ),
        );
      }

      const listed = await call('get', '/promotions');
      expect(listed.body.total).toBe(1);
      expect(listed.body.items.map((p: any) => p.promotion_id)).toEqual([
        toStaging.id,
      ]);
      expect(
        (await call('get', '/promotions?environment=production')).body.total,
      ).toBe(0);
      for (const path of ['', '/diff', '/cost', '/risk']) {
        expect(
          (await call('get', `/promotions/${toProduction.id}${path}`)).status,
        ).toBe(403);
      }
      // (the fixture has no explanation, so the whole promotion is not readable)
      expect(
        (await call('get', `/promotions/${toStaging.id}/cost`)).status,
      ).toBe(200);

      const approve = (id: string) =>
        call('post', `/promotions/${id}/approve`).send({});
      const refused = await approve(toProduction.id);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        'Not allowed: tollgate.promotion.approve',
      );
      // Allowed by the permission; what the approval flow says next is its own.
      const allowed = await approve(toStaging.id);
      expect(allowed.body.error?.message).not.toBe(
        'Not allowed: tollgate.promotion.approve',
      );
    },
  );
});
