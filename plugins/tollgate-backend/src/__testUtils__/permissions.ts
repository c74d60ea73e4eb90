import {
  coreServices,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type DefinitivePolicyDecision,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';

/**
 * A permissions service answering what the test sets per permission name,
 * CONDITIONAL included, and ALLOW for the rest. Like the real permission
 * backend, it refuses a CONDITIONAL answer to `authorize` (that needs a
 * resourceRef Tollgate never sends).
 */
export class ScriptedPermissions implements PermissionsService {
  private readonly decisions = new Map<string, PolicyDecision>();
  fallback: DefinitivePolicyDecision = { result: AuthorizeResult.ALLOW };

  set(name: string, decision: PolicyDecision): this {
    this.decisions.set(name, decision);
    return this;
  }

  reset(fallback: AuthorizeResult.ALLOW | AuthorizeResult.DENY): this {
    this.decisions.clear();
    this.fallback = { result: fallback };
    return this;
  }

  async authorize(requests: Parameters<PermissionsService['authorize']>[0]) {
    return requests.map(({ permission }) => {
      const decision = this.decisionFor(permission.name);
      if (decision.result === AuthorizeResult.CONDITIONAL) {
        throw new Error(`authorize got a CONDITIONAL for ${permission.name}`);
      }
      return decision;
    });
  }

  async authorizeConditional(
    requests: Parameters<PermissionsService['authorizeConditional']>[0],
  ) {
    return requests.map(({ permission }) => this.decisionFor(permission.name));
  }

  factory() {
    return createServiceFactory({
      service: coreServices.permissions,
      deps: {},
      factory: () => this,
    });
  }

  private decisionFor(name: string): PolicyDecision {
    return this.decisions.get(name) ?? this.fallback;
  }
}
