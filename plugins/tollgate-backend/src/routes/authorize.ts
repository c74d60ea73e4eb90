import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
  type PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { describeIssues } from '@tollgate/plugin-tollgate-common';
import {
  clusterResourceRef,
  promotionResourceRef,
  type FieldFilter,
  type PermissionFilter,
} from '../permissions/resources';
import type { RequestContext } from '../services/AuditService';

/**
 * Authenticates the caller, checks a permission and says who acts (for the
 * audit log). Throws 401 without credentials and 403 when not allowed.
 */
export interface Authorize {
  /** A basic permission. */
  (req: Request, permission: BasicPermission): Promise<RequestContext>;
  /**
   * A resource permission on one resource. `load` is called only when the
   * policy answers CONDITIONAL, to apply the conditions to the resource (it
   * may throw NotFoundError).
   */
  (
    req: Request,
    permission: ResourcePermission,
    load: () => Promise<unknown>,
  ): Promise<RequestContext>;
  /**
   * A resource permission on a list: no filter when allowed outright, the
   * conditions as a filter for the store's SQL when CONDITIONAL.
   */
  filter(
    req: Request,
    permission: ResourcePermission,
  ): Promise<{ context: RequestContext; filter?: PermissionFilter }>;
}

type Deps = {
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
};

/** Builds {@link Authorize} over Backstage's auth and permission services. */
export function createAuthorize(deps: Deps): Authorize {
  const rulesets = tollgateRulesets(deps.permissionsRegistry);

  const decide = async (req: Request, permission: ResourcePermission) => {
    const credentials = await credentialsOf(deps, req);
    const [decision] = await deps.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    refuseDenied(decision, permission);
    return { decision, context: contextOf(deps, req, credentials) };
  };

  const authorize = async (
    req: Request,
    permission: BasicPermission | ResourcePermission,
    load?: () => Promise<unknown>,
  ) => {
    if (permission.type === 'basic') {
      return authorizeBasic(deps, req, permission);
    }
    const { decision, context } = await decide(req, permission);
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      const ruleset = rulesetOf(rulesets, permission);
      const resource = load ? await load() : undefined;
      if (!createConditionAuthorizer(ruleset)(decision, resource)) {
        throw notAllowed(permission);
      }
    }
    return context;
  };

  const filter = async (req: Request, permission: ResourcePermission) => {
    const { decision, context } = await decide(req, permission);
    if (decision.result !== AuthorizeResult.CONDITIONAL) return { context };
    const transform = createConditionTransformer(
      rulesetOf(rulesets, permission),
    );
    return { context, filter: transform(decision.conditions) };
  };

  return Object.assign(authorize, { filter }) as Authorize;
}

/**
 * The audit context of a request: who (`actor`), which request (the
 * `x-request-id` header when sane, else a new UUID) and from where (`req.ip`,
 * which honours Express's `trust proxy` setting).
 */
export function requestContextOf(req: Request, actor: string): RequestContext {
  return { actor, requestId: requestIdOf(req), sourceIp: req.ip ?? 'unknown' };
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

async function authorizeBasic(
  deps: Deps,
  req: Request,
  permission: BasicPermission,
): Promise<RequestContext> {
  const credentials = await credentialsOf(deps, req);
  const [decision] = await deps.permissions.authorize([{ permission }], {
    credentials,
  });
  refuseDenied(decision, permission);
  return contextOf(deps, req, credentials);
}

function credentialsOf(deps: Deps, req: Request) {
  return deps.httpAuth.credentials(req, { allow: ['user', 'service'] });
}

function refuseDenied(
  decision: PolicyDecision,
  permission: BasicPermission | ResourcePermission,
) {
  if (decision.result === AuthorizeResult.DENY) throw notAllowed(permission);
}

function notAllowed(permission: { name: string }) {
  return new NotAllowedError(`Not allowed: ${permission.name}`);
}

type Rulesets = Record<string, PermissionRuleset<any, FieldFilter>>;

function tollgateRulesets(registry: PermissionsRegistryService): Rulesets {
  return {
    [clusterResourceRef.resourceType]:
      registry.getPermissionRuleset(clusterResourceRef),
    [promotionResourceRef.resourceType]:
      registry.getPermissionRuleset(promotionResourceRef),
  };
}

function rulesetOf(rulesets: Rulesets, permission: ResourcePermission) {
  const ruleset = rulesets[permission.resourceType];
  if (!ruleset) {
    throw new Error(`Unknown resource type ${permission.resourceType}`);
  }
  return ruleset;
}

function contextOf(
  deps: Deps,
  req: Request,
  credentials: BackstageCredentials,
): RequestContext {
  return requestContextOf(req, actorOf(deps.auth, credentials));
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
