import express, { type Request } from 'express';
import Router from 'express-promise-router';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AuthenticationError, InputError } from '@backstage/errors';
import { tollgatePromotionReadPermission } from '@tollgate/plugin-tollgate-common';
import { parse, type Authorize } from '../routes/authorize';
import type { RequestContext } from '../services/AuditService';
import type { PullRequestService, ReportedChange } from './PullRequestService';
import {
  githubChange,
  gitlabChange,
  isValidGithubSignature,
  isValidGitlabToken,
} from './webhooks';

/** Where webhooks are received; unauthenticated for Backstage, signed by the host. */
export const WEBHOOK_PATH = '/v1/git/webhooks';

export interface WebhookSecrets {
  github?: string;
  gitlab?: string;
}

const listQuerySchema = z.strictObject({
  state: z.enum(['open', 'merged', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * `GET /v1/promotions/:id/pull-request`, `GET /v1/promotions/:id/change` (the
 * files a pull request would change, for Scaffolder templates) and
 * `GET /v1/git/pull-requests`.
 */
export function pullRequestRoutes(
  authorize: Authorize,
  pullRequests: PullRequestService,
  loadPromotion: (id: string) => Promise<unknown>,
) {
  const router = Router();

  router.get('/v1/promotions/:id/pull-request', async (req, res) => {
    const id = req.params.id;
    await authorize(req, tollgatePromotionReadPermission, () =>
      loadPromotion(id),
    );
    res.json(await pullRequests.forPromotion(id));
  });

  router.get('/v1/promotions/:id/change', async (req, res) => {
    const id = req.params.id;
    await authorize(req, tollgatePromotionReadPermission, () =>
      loadPromotion(id),
    );
    res.json(await pullRequests.describeChange(id));
  });

  router.get('/v1/git/pull-requests', async (req, res) => {
    const { filter } = await authorize.filter(
      req,
      tollgatePromotionReadPermission,
    );
    const query = parse(listQuerySchema, req.query, 'pull request query');
    res.json(await pullRequests.list(query, filter));
  });

  return router;
}

/**
 * `POST /v1/git/webhooks/github` and `/gitlab`: pull request events mapped
 * to state changes. Read as raw bytes, since GitHub signs the exact body.
 */
export function pullRequestWebhookRoutes(
  pullRequests: PullRequestService,
  secrets: WebhookSecrets,
) {
  const router = Router();
  const raw = express.raw({ type: '*/*', limit: '2mb' });

  router.post(`${WEBHOOK_PATH}/github`, raw, async (req, res) => {
    const body = rawBody(req);
    const signature = req.header('x-hub-signature-256');
    if (
      !secrets.github ||
      !isValidGithubSignature(secrets.github, body, signature)
    ) {
      throw new AuthenticationError('Invalid or missing X-Hub-Signature-256');
    }
    const change = githubChange(req.header('x-github-event'), parseJson(body));
    res.json(await apply(pullRequests, change, webhookContext(req, 'github')));
  });

  router.post(`${WEBHOOK_PATH}/gitlab`, raw, async (req, res) => {
    if (
      !secrets.gitlab ||
      !isValidGitlabToken(secrets.gitlab, req.header('x-gitlab-token'))
    ) {
      throw new AuthenticationError('Invalid or missing X-Gitlab-Token');
    }
    const change = gitlabChange(parseJson(rawBody(req)));
    res.json(await apply(pullRequests, change, webhookContext(req, 'gitlab')));
  });

  return router;
}

async function apply(
  pullRequests: PullRequestService,
  change: ReportedChange | undefined,
  context: RequestContext,
) {
  if (!change) return { matched: 0 };
  return { matched: await pullRequests.report(change, context) };
}

function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

function parseJson(body: Buffer) {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new InputError('Webhook body is not JSON');
  }
}

function webhookContext(req: Request, host: string): RequestContext {
  const delivery =
    req.header('x-github-delivery') ?? req.header('x-gitlab-event-uuid');
  return {
    actor: `webhook:${host}`,
    requestId:
      delivery && /^[\w.:-]{1,64}$/.test(delivery) ? delivery : randomUUID(),
    sourceIp: req.ip,
  };
}
