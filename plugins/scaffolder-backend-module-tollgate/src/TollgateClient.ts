import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  PromotionPreview,
  PromotionPreviewRequest,
} from '@tollgate/plugin-tollgate-common';

/** `GET /v1/promotions/:id/change`: the files a promotion's pull request changes. */
export interface PromotionChange {
  promotionId: string;
  repo: string;
  baseBranch: string;
  baseCommit: string;
  headBranch: string;
  title: string;
  body: string;
  labels: string[];
  files: { path: string; content: string; previous: string | null }[];
  manualSteps: string[];
}

/**
 * The Tollgate backend's promotions API, called on behalf of whoever runs
 * the task (a token for the `tollgate` plugin from the auth service).
 */
export class TollgateClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  preview(
    request: PromotionPreviewRequest,
    credentials: BackstageCredentials,
  ): Promise<PromotionPreview> {
    return this.call('/v1/promotions/preview', credentials, {
      method: 'POST',
      body: request,
    });
  }

  change(
    promotionId: string,
    credentials: BackstageCredentials,
  ): Promise<PromotionChange> {
    return this.call(
      `/v1/promotions/${encodeURIComponent(promotionId)}/change`,
      credentials,
    );
  }

  private async call<T>(
    path: string,
    credentials: BackstageCredentials,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('tollgate');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'tollgate',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    if (!response.ok) {
      // Say what Tollgate said, so the task log explains the failure.
      const error = await ResponseError.fromResponse(response);
      throw new Error(
        `Tollgate answered ${response.status}: ${error.cause.message}`,
      );
    }
    return (await response.json()) as T;
  }
}
