import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import { describeIssues } from '@tollgate/plugin-tollgate-common';
import type { RequestContext } from '../services/AuditService';

export type Authorize = (
  req: Request,
  permission: BasicPermission,
) => Promise<RequestContext>;

/** Authenticates the caller, checks one permission, and says who acts. */
export function createAuthorize(deps: {
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): Authorize {
  return async (req, permission) => {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await deps.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return {
      actor: actorOf(deps.auth, credentials),
      requestId: requestIdOf(req),
    };
  };
}

/** Validates input, turning every problem into one 400 that names the fields. */
export function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = Object.entries(describeIssues(result.error))
    .map(([field, message]) => `${field}: ${message}`)
    .join('; ');
  throw new InputError(`Invalid ${what}: ${problems}`);
}

function actorOf(auth: AuthService, credentials: BackstageCredentials): string {
  if (auth.isPrincipal(credentials, 'user'))
    return credentials.principal.userEntityRef;
  if (auth.isPrincipal(credentials, 'service'))
    return credentials.principal.subject;
  return 'unknown';
}

function requestIdOf(req: Request): string {
  const header = req.header('x-request-id');
  return header && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID();
}
