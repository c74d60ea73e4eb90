import { ResponseError } from '@backstage/errors';
import { errorMessage } from './errorMessage';
import { TollgateClient } from './TollgateClient';

function clientReturning(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  const client = new TollgateClient({
    discoveryApi: { getBaseUrl: async () => 'http://backstage/api/tollgate' },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('TollgateClient', () => {
  it('lists clusters from the items envelope', async () => {
    const { client, fetch } = clientReturning(
      json(200, { items: [{ name: 'a' }] }),
    );
    expect(await client.listClusters()).toEqual([{ name: 'a' }]);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/tollgate/v1/clusters',
      {
        method: 'GET',
        headers: undefined,
        body: undefined,
      },
    );
  });

  it('posts JSON to register a cluster', async () => {
    const { client, fetch } = clientReturning(json(201, { name: 'a' }));
    await client.createCluster({
      name: 'a',
      provider: 'aws',
      region: 'r',
      environment: 'e',
    });
    const [, init] = fetch.mock.calls[0];
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual({
      name: 'a',
      provider: 'aws',
      region: 'r',
      environment: 'e',
    });
  });

  it('escapes ids in paths and accepts 204 on delete', async () => {
    const { client, fetch } = clientReturning(
      new Response(null, { status: 204 }),
    );
    await expect(client.deleteCluster('a/b')).resolves.toBeUndefined();
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backstage/api/tollgate/v1/clusters/a%2Fb',
    );
  });

  it('turns a Backstage error body into a ResponseError with its message', async () => {
    const { client } = clientReturning(
      json(409, {
        error: {
          name: 'ConflictError',
          message: "A cluster named 'a' is already registered",
        },
        response: { statusCode: 409 },
      }),
    );
    const error = await client
      .createCluster({
        name: 'a',
        provider: 'aws',
        region: 'r',
        environment: 'e',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(errorMessage(error)).toBe(
      "A cluster named 'a' is already registered",
    );
    expect(error.statusCode).toBe(409);
  });

  describe('promotions', () => {
    it('posts a preview request', async () => {
      const { client, fetch } = clientReturning(
        json(201, { promotion_id: 'p1' }),
      );
      const result = await client.previewPromotion({
        entityRef: 'component:default/checkout-api',
        source: { environment: 'staging' },
        target: { environment: 'production' },
      });
      expect(result.promotion_id).toBe('p1');
      const [url, init] = fetch.mock.calls[0];
      expect(url).toBe('http://backstage/api/tollgate/v1/promotions/preview');
      expect(init.method).toBe('POST');
      expect(JSON.parse(init.body).source).toEqual({ environment: 'staging' });
    });

    it('lists promotions with the filter as query, leaving out empty values', async () => {
      const { client, fetch } = clientReturning(
        json(200, { items: [], total: 0, limit: 20, offset: 0 }),
      );
      await client.listPromotions({
        entityRef: 'component:default/a',
        riskLevel: undefined,
        limit: 50,
      });
      expect(fetch.mock.calls[0][0]).toBe(
        'http://backstage/api/tollgate/v1/promotions?entityRef=component%3Adefault%2Fa&limit=50',
      );
    });

    it('gets, approves and rejects by escaped id', async () => {
      const { client, fetch } = clientReturning(json(200, {}));
      fetch.mockImplementation(async () => json(200, {}));
      await client.getPromotion('a/b');
      await client.approvePromotion('p1', 'ship it');
      await client.rejectPromotion('p1');
      await client.retryPullRequest('p1');
      expect(fetch.mock.calls.map(c => [c[0], c[1].method])).toEqual([
        ['http://backstage/api/tollgate/v1/promotions/a%2Fb', 'GET'],
        ['http://backstage/api/tollgate/v1/promotions/p1/approve', 'POST'],
        ['http://backstage/api/tollgate/v1/promotions/p1/reject', 'POST'],
        ['http://backstage/api/tollgate/v1/promotions/p1/pull-request', 'POST'],
      ]);
      expect(JSON.parse(fetch.mock.calls[1][1].body)).toEqual({
        comment: 'ship it',
      });
    });

    it('throws a ResponseError with the backend message', async () => {
      const { client } = clientReturning(
        json(409, {
          error: { name: 'ConflictError', message: 'Freeze window' },
          response: { statusCode: 409 },
        }),
      );
      const error = await client.approvePromotion('p1').catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(errorMessage(error)).toBe('Freeze window');
    });
  });
});
