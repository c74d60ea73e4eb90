import { startFakeHost, type RecordedRequest } from '../__testUtils__/fakeHost';
import { BitbucketProvider } from './BitbucketProvider';
import { GithubProvider } from './GithubProvider';
import { GitlabProvider } from './GitlabProvider';
import type { PullRequestContent } from './types';

const content: PullRequestContent = {
  title: 'Promote checkout-api to production (from staging)',
  body: '### Cost\n\n+$12.40 ($40.10 -> $52.50)',
  labels: ['tollgate', 'promotion', 'env:production', 'risk:low'],
  baseBranch: 'main',
  headBranch: 'tollgate/promote-checkout-api-production',
};
const tracked = {
  number: 7,
  url: 'x',
  baseBranch: 'main',
  headBranch: content.headBranch,
  headSha: 'c'.repeat(40),
};
const call = (r: RecordedRequest) => `${r.method} ${r.url}`;

describe('GithubProvider', () => {
  // docs.github.com/rest/pulls/pulls and /rest/issues/labels
  const pr = (state: string, merged = false) => ({
    number: 7,
    html_url: 'https://github.com/acme/gitops/pull/7',
    state,
    merged,
    merge_commit_sha: merged ? 'd'.repeat(40) : null,
  });

  it('creates the pull request with labels, updates it and reads its merge', async () => {
    let listed: unknown[] = [];
    let merged = false;
    const host = await startFakeHost(request => {
      const route = call(request);
      if (route.startsWith('GET /repos/acme/gitops/pulls?'))
        return { status: 200, body: listed };
      if (route === 'POST /repos/acme/gitops/pulls')
        return { status: 201, body: pr('open') };
      if (route === 'PATCH /repos/acme/gitops/pulls/7')
        return { status: 200, body: pr('open') };
      if (route === 'POST /repos/acme/gitops/issues/7/labels')
        return { status: 200, body: [] };
      if (route === 'GET /repos/acme/gitops/pulls/7') {
        return { status: 200, body: pr(merged ? 'closed' : 'open', merged) };
      }
      return undefined;
    });
    const provider = new GithubProvider(async () => ({
      token: 'ghs_token',
      apiBaseUrl: host.url,
    }));
    const repo = 'https://github.com/acme/gitops.git';
    try {
      expect(await provider.create(repo, content)).toEqual({
        number: 7,
        url: 'https://github.com/acme/gitops/pull/7',
      });
      expect(host.requests.map(call)).toEqual([
        'GET /repos/acme/gitops/pulls?state=open&head=acme%3Atollgate%2Fpromote-checkout-api-production&base=main',
        'POST /repos/acme/gitops/pulls',
        'POST /repos/acme/gitops/issues/7/labels',
      ]);
      expect(host.requests[1].headers.authorization).toBe('token ghs_token');
      expect(host.requests[1].body).toEqual({
        title: content.title,
        body: content.body,
        head: content.headBranch,
        base: 'main',
      });
      expect(host.requests[2].body).toEqual({ labels: content.labels });

      // An open pull request for the branch is updated, not duplicated.
      listed = [pr('open')];
      host.requests.length = 0;
      await provider.create(repo, content);
      expect(host.requests.map(call).slice(1)).toEqual([
        'PATCH /repos/acme/gitops/pulls/7',
        'POST /repos/acme/gitops/issues/7/labels',
      ]);
      expect(host.requests[1].body).toEqual({
        title: content.title,
        body: content.body,
      });

      expect(await provider.status(repo, tracked)).toEqual({ state: 'open' });
      merged = true;
      expect(await provider.status(repo, tracked)).toEqual({
        state: 'merged',
        mergeCommitSha: 'd'.repeat(40),
      });
      expect(await provider.remote(repo)).toEqual({
        url: 'https://x-access-token:ghs_token@github.com/acme/gitops.git',
        secrets: ['ghs_token'],
      });
    } finally {
      await host.close();
    }
  });
});

describe('GitlabProvider', () => {
  // docs.gitlab.com/api/merge_requests
  const mr = (state: string) => ({
    iid: 3,
    web_url: 'https://gitlab.com/acme/platform/gitops/-/merge_requests/3',
    state,
    sha: 'c'.repeat(40),
    merge_commit_sha: state === 'merged' ? 'e'.repeat(40) : null,
  });

  it('opens, updates and reads merge requests with PRIVATE-TOKEN', async () => {
    let state = 'opened';
    let existing: unknown[] = [];
    const project = '/api/v4/projects/acme%2Fplatform%2Fgitops/merge_requests';
    const host = await startFakeHost(request => {
      if (request.method === 'GET' && request.url.startsWith(`${project}?`)) {
        return { status: 200, body: existing };
      }
      if (call(request) === `POST ${project}`)
        return { status: 201, body: mr('opened') };
      if (call(request) === `PUT ${project}/3`)
        return { status: 200, body: mr('opened') };
      if (call(request) === `GET ${project}/3`)
        return { status: 200, body: mr(state) };
      return undefined;
    });
    const provider = new GitlabProvider(async () => ({
      token: 'glpat-token',
      apiBaseUrl: `${host.url}/api/v4`,
    }));
    const repo = 'https://gitlab.com/acme/platform/gitops.git';
    try {
      expect(await provider.create(repo, content)).toEqual({
        number: 3,
        url: 'https://gitlab.com/acme/platform/gitops/-/merge_requests/3',
      });
      expect(host.requests.map(call)).toEqual([
        `GET ${project}?source_branch=tollgate%2Fpromote-checkout-api-production&target_branch=main&state=opened`,
        `POST ${project}`,
      ]);
      expect(host.requests[1].headers['private-token']).toBe('glpat-token');
      expect(host.requests[1].body).toEqual({
        source_branch: content.headBranch,
        target_branch: 'main',
        title: content.title,
        description: content.body,
        labels: 'tollgate,promotion,env:production,risk:low',
        remove_source_branch: true,
      });

      existing = [mr('opened')];
      await provider.create(repo, content);
      expect(call(host.requests[host.requests.length - 1])).toBe(
        `PUT ${project}/3`,
      );

      expect(await provider.status(repo, { ...tracked, number: 3 })).toEqual({
        state: 'open',
      });
      state = 'merged';
      expect(await provider.status(repo, { ...tracked, number: 3 })).toEqual({
        state: 'merged',
        mergeCommitSha: 'e'.repeat(40),
      });
      state = 'closed';
      expect(await provider.status(repo, { ...tracked, number: 3 })).toEqual({
        state: 'closed',
      });
    } finally {
      await host.close();
    }
  });

  it('turns an API error into a ResponseError', async () => {
    const host = await startFakeHost(() => ({
      status: 401,
      body: { message: '401 Unauthorized' },
    }));
    const provider = new GitlabProvider(async () => ({
      token: 'bad',
      apiBaseUrl: host.url,
    }));
    try {
      await expect(
        provider.status('https://gitlab.com/acme/gitops', {
          ...tracked,
          number: 3,
        }),
      ).rejects.toMatchObject({
        name: 'ResponseError',
        response: { status: 401 },
      });
    } finally {
      await host.close();
    }
  });
});

describe('BitbucketProvider', () => {
  // developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests
  const pr = (state: string) => ({
    id: 12,
    state,
    links: {
      html: { href: 'https://bitbucket.org/acme/gitops/pull-requests/12' },
    },
    merge_commit: state === 'MERGED' ? { hash: 'f'.repeat(12) } : null,
  });

  it('opens, updates and reads pull requests with an access token', async () => {
    let state = 'OPEN';
    const base = '/2.0/repositories/acme/gitops/pullrequests';
    const host = await startFakeHost(request => {
      if (request.method === 'GET' && request.url.startsWith(`${base}?`)) {
        return { status: 200, body: { values: [] } };
      }
      if (call(request) === `POST ${base}`)
        return { status: 201, body: pr('OPEN') };
      if (call(request) === `PUT ${base}/12`)
        return { status: 200, body: pr('OPEN') };
      if (call(request) === `GET ${base}/12`)
        return { status: 200, body: pr(state) };
      return undefined;
    });
    const provider = new BitbucketProvider(async () => ({
      apiBaseUrl: `${host.url}/2.0`,
      token: 'bb-token',
    }));
    const repo = 'https://bitbucket.org/acme/gitops.git';
    try {
      expect(await provider.create(repo, content)).toEqual({
        number: 12,
        url: 'https://bitbucket.org/acme/gitops/pull-requests/12',
      });
      const [query, create] = host.requests;
      expect(new URL(query.url, host.url).searchParams.get('q')).toBe(
        'source.branch.name="tollgate/promote-checkout-api-production" AND destination.branch.name="main" AND state="OPEN"',
      );
      expect(create.headers.authorization).toBe('Bearer bb-token');
      expect(create.body).toEqual({
        title: content.title,
        description: `${content.body}\n\nLabels: \`tollgate\` \`promotion\` \`env:production\` \`risk:low\``,
        source: { branch: { name: content.headBranch } },
        destination: { branch: { name: 'main' } },
        close_source_branch: true,
      });

      await provider.update(repo, { number: 12, url: 'x' }, content);
      expect(call(host.requests[2])).toBe(`PUT ${base}/12`);

      expect(await provider.status(repo, { ...tracked, number: 12 })).toEqual({
        state: 'open',
      });
      state = 'MERGED';
      expect(await provider.status(repo, { ...tracked, number: 12 })).toEqual({
        state: 'merged',
        mergeCommitSha: 'f'.repeat(12),
      });
      state = 'DECLINED';
      expect(await provider.status(repo, { ...tracked, number: 12 })).toEqual({
        state: 'closed',
      });
    } finally {
      await host.close();
    }
  });

  it('uses Basic auth with a username and app password', async () => {
    const host = await startFakeHost(() => ({ status: 200, body: pr('OPEN') }));
    const provider = new BitbucketProvider(async () => ({
      apiBaseUrl: host.url,
      username: 'tollgate-bot',
      appPassword: 'app-pass',
    }));
    try {
      await provider.status('https://bitbucket.org/acme/gitops', {
        ...tracked,
        number: 12,
      });
      expect(host.requests[0].headers.authorization).toBe(
        `Basic ${Buffer.from('tollgate-bot:app-pass').toString('base64')}`,
      );
      expect(
        (await provider.remote('https://bitbucket.org/acme/gitops')).url,
      ).toBe('https://tollgate-bot:app-pass@bitbucket.org/acme/gitops');
    } finally {
      await host.close();
    }
  });
});
