import { createHmac } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { tollgatePlugin } from '../plugin';

jest.setTimeout(60_000);

const user = `Bearer ${mockCredentials.user.token('user:default/alice')}`;
const GITHUB_SECRET = 'it-is-a-secret';
const GITLAB_TOKEN = 'gitlab-hook-token';

async function start(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startTestBackend({
    features: [
      tollgatePlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.permissions.factory({ result }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          tollgate: {
            pullRequests: {
              webhooks: {
                githubSecret: GITHUB_SECRET,
                gitlabToken: GITLAB_TOKEN,
              },
            },
          },
        },
      }),
    ],
  });
  return server;
}

/** A `pull_request` delivery as docs.github.com/webhooks/webhook-events-and-payloads#pull_request shows it. */
const merged = JSON.stringify({
  action: 'closed',
  number: 7,
  pull_request: { number: 7, merged: true, merge_commit_sha: 'a'.repeat(40) },
  repository: {
    full_name: 'acme/gitops',
    html_url: 'https://github.com/acme/gitops',
  },
});
const sign = (body: string, secret = GITHUB_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('pull request routes', () => {
  it('accepts a GitHub delivery signed with the secret, without Backstage credentials', async () => {
    const server = await start();
    const response = await request(server)
      .post('/api/tollgate/v1/git/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'pull_request')
      .set('x-hub-signature-256', sign(merged))
      .send(merged);
    expect(response.status).toBe(200);
    // No pull request of Tollgate's has that number: nothing to update.
    expect(response.body).toEqual({ matched: 0 });
  });

  it('refuses a GitHub delivery with a wrong or missing signature', async () => {
    const server = await start();
    const post = () =>
      request(server)
        .post('/api/tollgate/v1/git/webhooks/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'pull_request');
    const wrong = await post()
      .set('x-hub-signature-256', sign(merged, 'another-secret'))
      .send(merged);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({
      name: 'AuthenticationError',
      message: 'Invalid or missing X-Hub-Signature-256',
    });
    // A signature over other bytes does not cover this body.
    const tampered = await post()
      .set('x-hub-signature-256', sign(merged))
      .send(merged.replace('true', 'false'));
    expect(tampered.status).toBe(401);
    expect((await post().send(merged)).status).toBe(401);
  });

  it('checks the GitLab token', async () => {
    const server = await start();
    const body = {
      object_kind: 'merge_request',
      project: { web_url: 'https://gitlab.com/acme/gitops' },
      object_attributes: {
        iid: 3,
        action: 'merge',
        merge_commit_sha: 'b'.repeat(40),
      },
    };
    const ok = await request(server)
      .post('/api/tollgate/v1/git/webhooks/gitlab')
      .set('x-gitlab-token', GITLAB_TOKEN)
      .send(body);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ matched: 0 });
    const wrong = await request(server)
      .post('/api/tollgate/v1/git/webhooks/gitlab')
      .set('x-gitlab-token', 'guess')
      .send(body);
    expect(wrong.status).toBe(401);
  });

  it('lists pull requests and reads a promotion’s for a reader', async () => {
    const server = await start();
    const list = await request(server)
      .get('/api/tollgate/v1/git/pull-requests?state=open')
      .set('Authorization', user);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], total: 0, limit: 20, offset: 0 });

    const missing = await request(server)
      .get(
        '/api/tollgate/v1/promotions/00000000-0000-0000-0000-000000000000/pull-request',
      )
      .set('Authorization', user);
    expect(missing.status).toBe(404);

    const invalid = await request(server)
      .get('/api/tollgate/v1/git/pull-requests?state=draft')
      .set('Authorization', user);
    expect(invalid.status).toBe(400);
  });

  it('needs credentials and the read permission', async () => {
    const anonymous = await request(await start()).get(
      '/api/tollgate/v1/git/pull-requests',
    );
    expect(anonymous.status).toBe(401);
    const denied = await request(await start(AuthorizeResult.DENY))
      .get('/api/tollgate/v1/git/pull-requests')
      .set('Authorization', user);
    expect(denied.status).toBe(403);
  });
});
