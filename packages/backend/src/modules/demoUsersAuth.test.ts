import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import demoUsersAuth, { DEMO_USER_HEADER } from './demoUsersAuth';

const user = (name: string, memberOf: string[]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf },
  relations: memberOf.map(group => ({
    type: 'memberOf',
    targetRef: `group:default/${group}`,
  })),
});

async function startAuth(options: { nodeEnv: string }) {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = options.nodeEnv;
  try {
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        demoUsersAuth,
        catalogServiceMock.factory({
          entities: [user('sre-lead', ['sre']), user('intruder', [])],
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: { providers: { demo: { users: ['sre-lead', 'guest'] } } },
          },
        }),
      ],
    });
    return server;
  } finally {
    process.env.NODE_ENV = previous;
  }
}

const refresh = (server: Awaited<ReturnType<typeof startAuth>>) =>
  request(server)
    .get('/api/auth/demo/refresh')
    .set('X-Requested-With', 'XMLHttpRequest');

describe('demo users sign-in', () => {
  it('signs in as the named catalog user, with its groups as ownership', async () => {
    const server = await startAuth({ nodeEnv: 'development' });
    const response = await refresh(server).set(DEMO_USER_HEADER, 'sre-lead');
    expect(response.status).toBe(200);
    expect(response.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/sre-lead',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/sre-lead',
        'group:default/sre',
      ]),
    });
    expect(response.body.profile.displayName).toBe('sre-lead');
  });

  it('says which header is missing', async () => {
    const server = await startAuth({ nodeEnv: 'development' });
    const response = await refresh(server);
    expect(response.status).toBe(401);
    expect(response.body.error.message).toContain(DEMO_USER_HEADER);
  });

  it('refuses users that are not listed, even if the catalog has them', async () => {
    const server = await startAuth({ nodeEnv: 'development' });
    const response = await refresh(server).set(DEMO_USER_HEADER, 'intruder');
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('sre-lead, guest');
  });

  it('refuses to run outside development', async () => {
    const server = await startAuth({ nodeEnv: 'production' });
    const response = await refresh(server).set(DEMO_USER_HEADER, 'sre-lead');
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('only runs in development');
  });
});
